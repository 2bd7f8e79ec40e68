import Foundation
import Testing
import TestSupport
import GGUF
@testable import ModelInspector

@Suite struct TextReportTests {
    @Test func textReportShowsEverySection() throws {
        let dir = try TestEnvironment.makeTempDir("text")
        let path = dir.appendingPathComponent("m.gguf").path
        try SyntheticModel.write(to: path, options: .init(format: .tq1_0, seed: 3))
        let f = try GGUFFile.open(path)
        let text = ModelInspector.inspect(f).text()
        for needle in ["model", "shape", "layers 2, hidden 256, ffn 512, heads 4/2 kv, head dim 64", "parameters",
                       "TQ1_0 (llama.cpp ternary", "bytes per token", "formats", "tokenizer", "gpt2, pre default",
                       "compatibility", "bitnet_doctor", "llama_cpp", "NO   mainline llama.cpp has no 'bitnet-b1.58'"] {
            #expect(text.contains(needle), "missing '\(needle)'")
        }
        #expect(!text.contains("\u{1B}"), "no colour codes in the library's text")
        // Listings: one line per tensor / key, names first.
        let tensors = InspectListing.tensors(f).split(separator: "\n")
        #expect(tensors.count == f.tensors.count)
        #expect(tensors[0].hasPrefix("token_embd.weight") && tensors[0].contains("F16") && tensors[0].contains("[256, 272]"))
        let kv = InspectListing.keyValues(f).split(separator: "\n")
        #expect(kv.count == f.metadata.count)
        #expect(kv.contains { $0.hasPrefix("general.architecture") && $0.contains("\"bitnet-b1.58\"") })
        #expect(kv.allSatisfy { $0.count < 200 })
    }

    @Test func jsonListingsAppearOnlyWhenAsked() throws {
        let dir = try TestEnvironment.makeTempDir("json")
        let path = dir.appendingPathComponent("m.gguf").path
        try SyntheticModel.write(to: path, options: .init(format: .f16))
        let f = try GGUFFile.open(path)
        var i = ModelInspector.inspect(f)
        let plain = try #require(try JSONSerialization.jsonObject(with: Data(try i.jsonString().utf8)) as? [String: Any])
        #expect(plain["tensors"] == nil && plain["metadata"] == nil)
        i.tensors = ModelInspection.tensorEntries(f)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(try i.jsonString().utf8)) as? [String: Any])
        let t = try #require(obj["tensors"] as? [[String: Any]])
        #expect(t.count == 24 && t[0]["name"] as? String == "token_embd.weight" && t[0]["type_id"] as? Int == 1)
    }

    @Test func largeCountsAndSizesPrintExactly() {
        #expect(ModelInspection.count(2_412_820_480) == "2.41 B (2412820480)")
        #expect(ModelInspection.count(134_515_008) == "134.5 M (134515008)")
        #expect(ModelInspection.bytes(1_183_331_104) == "1.10 GiB")
        #expect(ModelInspection.bytes(512) == "512 B")
    }
}
