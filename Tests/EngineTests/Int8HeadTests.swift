import Foundation
import ModelInspector
import Testing
import TestSupport
@testable import Engine

/// `--head int8`: the float head re-quantized to Q8_0 rows at load.
@Suite struct Int8HeadTests {
    static func session(_ url: URL, head: HeadPrecision, threads: Int = 1) throws -> Session {
        var o = ModelOptions()
        o.head = head
        o.threads = threads
        o.contextSize = 128
        return Session(model: try Model.load(url: url, options: o))
    }

    /// The Q8_0 rows hold round(x / d) with d = max|x| / 127 per 32 values (checked by hand on the first row),
    /// the logits stay close to the exact head's (cosine, also in the receipt), and tokens do not depend on the
    /// thread count.
    @Test func int8HeadQuantizesRowsAndReportsTheLogitCosine() throws {
        let url = try SynthFixtures.model(.bitnetB158, .i2_s)
        let exact = try Self.session(url, head: .exact), fast = try Self.session(url, head: .int8)
        #expect(exact.model.weights.output.format == .f16)
        #expect(fast.model.weights.output.format == .q8_0)
        #expect(fast.model.bytesPerToken < exact.model.bytesPerToken)

        // first row, by hand: the split layout holds each row's 32-value blocks' int8 codes contiguously and their f16
        // scales d in a separate array
        let m = exact.model.weights.output, n = m.cols
        var row = [Float](repeating: 0, count: n)
        row.withUnsafeMutableBufferPointer { m.row(0, into: $0.baseAddress!) }
        let q = fast.model.weights.output.data
        let scales = try #require(fast.model.weights.output.headScales)
        for b in 0..<(n / 32) {
            let amax = row[(b * 32)..<(b * 32 + 32)].map { abs($0) }.max()!
            let d = amax / 127
            #expect(abs(Float(Float16(bitPattern: scales[b])) - d) <= d * 1e-3)
            for i in 0..<32 {
                let code = Int(q.load(fromByteOffset: b * 32 + i, as: Int8.self))
                let want = d == 0 ? 0 : Int((row[b * 32 + i] / d).rounded(.toNearestOrAwayFromZero))
                #expect(abs(code - want) <= 1)
            }
        }

        #expect(try exact.probeHeadCosine() == nil)
        let cosine = try #require(try fast.probeHeadCosine())
        #expect(cosine > 0.999 && cosine <= 1.000001)
        let r = try fast.generate(promptTokens: [1, 2, 3, 4, 5], options: GenerateOptions(maxTokens: 6))
        let receipt = Receipt(result: r, session: fast, tool: ToolIdentity(version: "test"), deterministic: true, seed: nil)
        #expect(receipt.options?.head == "int8" && receipt.options?.head_logit_cosine == cosine)
        #expect(receipt.activation_formats.contains("q8_0"))
        let r0 = try exact.generate(promptTokens: [1, 2, 3, 4, 5], options: GenerateOptions(maxTokens: 6))
        #expect(Receipt(result: r0, session: exact, tool: ToolIdentity(version: "test"), deterministic: true, seed: nil).options == nil)
        for threads in [2, 3] {
            let s = try Self.session(url, head: .int8, threads: threads)
            #expect(try s.generate(promptTokens: [1, 2, 3, 4, 5], options: GenerateOptions(maxTokens: 6)).generatedTokens
                    == r.generatedTokens)
        }
    }

    /// A head that is already quantized (SmolLM2's Q8_0/Q4_1 tensors) is refused with one clear error.
    @Test(.enabled(if: TestEnvironment.shouldRun(needs: LlamaGoldenTests.modelURL != nil)))
    func quantizedHeadIsRefused() throws {
        let url = try #require(LlamaGoldenTests.modelURL)
        var o = ModelOptions()
        o.head = .int8
        o.contextSize = 64
        #expect(throws: EngineError.self) { try Model.load(url: url, options: o) }
    }
}
