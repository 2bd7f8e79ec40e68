import Foundation
import Testing
import TestSupport
import GGUF
@testable import ModelInspector

/// `inspect` names the tile configuration of every TL1/TL2 weight shape and where it comes from. Expected
/// values are the arguments microsoft/BitNet's setup_env.py passes to codegen_tl1.py/codegen_tl2.py for
/// bitnet_b1_58-large (TL1 --BM 256,128,256 --BK 128,64,128 --bm 32,64,32; TL2 --BM 256,128,256 --BK 96,192,96
/// --bm 32,32,32 for the shapes 1536×4096, 1536×1536, 4096×1536, M × K).
@Suite struct TLConfigInspectionTests {
    /// A file with TL weights of the given (M, K) shapes; `record` adds bitnet_doctor.tl.* keys for the first.
    static func file(_ format: TensorFormat, _ shapes: [(Int, Int)], record: TLConfig? = nil) throws -> GGUFFile {
        var w = try GGUFWriter()
        w.set("general.architecture", .string("bitnet"))
        if let r = record, let (m, k) = shapes.first {
            for (key, v) in [("rows", m), ("cols", k), ("bm", r.bigM), ("bk", r.bigK), ("bmm", r.smallM)] {
                w.set("bitnet_doctor.tl.\(key)", .array(.uint32, [.uint32(UInt32(v))]))
            }
        }
        for (i, (m, k)) in shapes.enumerated() {
            let size = format.traits.byteSize(elements: m * k, rowLength: k)!
            try w.addTensor("blk.\(i).attn_q.weight", dims: [k, m], type: format, .bytes([UInt8](repeating: 0, count: size)))
        }
        return try GGUFFile(bytes: try w.serialized())
    }

    typealias Entry = ModelInspection.TLConfigEntry

    @Test func presetsAreRecognisedByShape() throws {
        let shapes = [(1536, 4096), (1536, 1536), (4096, 1536)]
        let tl1 = ModelInspector.inspect(try Self.file(.tl1, shapes)).tlConfigs
        #expect(tl1 == [Entry(format: "tl1", rows: 1536, cols: 4096, bm: 256, bk: 128, bmm: 32, source: "preset bitnet_b1_58-large"),
                        Entry(format: "tl1", rows: 1536, cols: 1536, bm: 128, bk: 64, bmm: 64, source: "preset bitnet_b1_58-large"),
                        Entry(format: "tl1", rows: 4096, cols: 1536, bm: 256, bk: 128, bmm: 32, source: "preset bitnet_b1_58-large")])
        let i = ModelInspector.inspect(try Self.file(.tl2, shapes))
        #expect(i.tlConfigs == [Entry(format: "tl2", rows: 1536, cols: 4096, bm: 256, bk: 96, bmm: 32, source: "preset bitnet_b1_58-large"),
                                Entry(format: "tl2", rows: 1536, cols: 1536, bm: 128, bk: 192, bmm: 32, source: "preset bitnet_b1_58-large"),
                                Entry(format: "tl2", rows: 4096, cols: 1536, bm: 256, bk: 96, bmm: 32, source: "preset bitnet_b1_58-large")])
        #expect(i.text().contains("tl configs        TL2 1536×4096: BM 256, BK 96, bm 32  (preset bitnet_b1_58-large)"))
        let json = try i.jsonString()
        #expect(json.contains("\"tl_configs\""))
        #expect(i.warnings.first { $0.id == "tl_kernel_config_unknown" }?.message.contains("published preset for each shape") == true)
    }

    @Test func recordedWinsAndUnknownShapesSayNone() throws {
        let i = ModelInspector.inspect(try Self.file(.tl2, [(256, 512), (1536, 1536), (64, 768)],
                                                     record: TLConfig(bigM: 128, bigK: 96, smallM: 32)))
        #expect(i.tlConfigs == [Entry(format: "tl2", rows: 256, cols: 512, bm: 128, bk: 96, bmm: 32, source: "recorded"),
                                Entry(format: "tl2", rows: 1536, cols: 1536, bm: 128, bk: 192, bmm: 32, source: "preset bitnet_b1_58-large"),
                                Entry(format: "tl2", rows: 64, cols: 768, bm: nil, bk: nil, bmm: nil, source: "none")])
        #expect(i.text().contains("TL2 64×768: no configuration (needs --tl-config)  (none)"))
        #expect(i.compatibility["bitnet_doctor"]?.ok == false)
        #expect(i.warnings.first { $0.id == "tl_kernel_config_unknown" }?.message.contains("no published preset") == true)
        #expect(ModelInspector.inspect(try Self.file(.i2_s, [(256, 512)])).tlConfigs == nil)
        // Every shape recorded (files our writers produce): nothing to warn about.
        let recorded = ModelInspector.inspect(try Self.file(.tl2, [(256, 512)], record: TLConfig(bigM: 128, bigK: 96, smallM: 32)))
        #expect(recorded.tlConfigs?.map(\.source) == ["recorded"])
        #expect(!recorded.warnings.contains { $0.id == "tl_kernel_config_unknown" })
    }
}
