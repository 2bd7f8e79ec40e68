import CKernels
import Foundation
import ModelInspector
import Testing
@testable import Engine

/// The TQ1_0/TQ2_0 → I2_S repack (`ModelOptions.repackTernary` / `--repack i2_s`; TQ2_0 by default,
/// `ModelOptions.repackTQ2`): the synthetic tiny model in
/// TQ1_0 and TQ2_0 (same seed = same ternary weights and scale as the I2_S file) gives the I2_S file's logits bit for
/// bit and runs on the I2_S kernels; without the option the TQ kernels run; llama.cpp parity never repacks.
@Suite struct TernaryRepackTests {
    static func session(_ url: URL, repack: Bool, parity: Parity = .bitnet) throws -> Session {
        var o = ModelOptions()
        o.parity = parity
        o.contextSize = 128
        o.repackTernary = repack
        o.repackTQ2 = repack
        return Session(model: try Model.load(url: url, options: o))
    }

    @Test(arguments: [SyntheticModel.WeightFormat.tq1_0, .tq2_0])
    func repackedTQEqualsI2S(_ format: SyntheticModel.WeightFormat) throws {
        let i2s = try SynthFixtures.session(try SynthFixtures.model(.bitnetB158, .i2_s))
        let url = try SynthFixtures.model(.bitnetB158, format)
        let repacked = try Self.session(url, repack: true), asStored = try Self.session(url, repack: false)
        let prompt = FormatModelTests.prompt
        let (lr, i2sCalls) = try FormatModelTests.calls(FormatModelTests.i2sKernels) { try repacked.logits(after: prompt) }
        #expect(try i2s.logits(after: prompt).map(\.bitPattern) == lr.map(\.bitPattern))
        #expect(i2sCalls > 0)
        let name = format == .tq1_0 ? "TQ1_0" : "TQ2_0"
        let mats = repacked.model.weights.layers.flatMap(\.matrices)
        #expect(repacked.model.weightLayouts == ["\(name)→I2_S (load-time repack): \(mats.count) tensors"])
        #expect(mats.allSatisfy { $0.format == .i2_s })
        // as stored: the TQ kernels, no repack recorded, same logits (the formats are bit-identical by design)
        let (ls, stillI2S) = try FormatModelTests.calls(FormatModelTests.i2sKernels) { try asStored.logits(after: prompt) }
        #expect(asStored.model.weightLayouts.isEmpty && stillI2S == 0)
        // as stored, the shared block scale is found, so the sums are finished as I2_S finishes them
        #expect(asStored.model.weights.layers.flatMap(\.matrices).allSatisfy { $0.format.name == name && $0.uniformScale != nil })
        #expect(ls.map(\.bitPattern) == lr.map(\.bitPattern))
        // llama.cpp parity multiplies TQ with Q8_K: no repack there
        let parity = try Self.session(url, repack: true, parity: .llamaCpp)
        #expect(parity.model.weightLayouts.isEmpty)
    }

    /// `--repack tq1_0` (`ModelOptions.repackI2SToTQ1`): the I2_S file's matrices re-encoded as TQ1_0 blocks give the
    /// I2_S logits bit for bit (batched prefill and decode) through the TQ1_0 kernels, at 1.69 bits per weight; declined,
    /// with the reason, where TQ1_0's fast kernel cannot run and under llama.cpp numerics.
    @Test func i2sRepackedAsTQ1EqualsI2S() throws {
        let url = try SynthFixtures.model(.bitnetB158, .i2_s)
        let i2s = try SynthFixtures.session(url)
        var o = ModelOptions()
        o.contextSize = 128
        o.repackI2SToTQ1 = true
        let m = try Model.load(url: url, options: o)
        let mats = m.weights.layers.flatMap(\.matrices)
        if let why = Model.declineTQ1Repack(o) {
            #expect(m.weightLayouts == [why] && mats.allSatisfy { $0.format == .i2_s })
            return
        }
        #expect(m.weightLayouts == ["I2_S→TQ1_0 (load-time repack; batched prefill reads the file's I2_S): \(mats.count) tensors"])
        #expect(mats.allSatisfy { $0.format == .tq1_0 && $0.sourceFormat == .i2_s })
        #expect(m.blockFormat == "I2_S")
        let tq1 = (0..<ck_kernel_count()).compactMap { ck_kernel_name($0).map { String(cString: $0) } }.filter { $0.hasPrefix("tq1_0_i8_") }
        let s = Session(model: m)
        // the prompt in one batch: the file's I2_S through its GEMM; then the decode: TQ1_0
        let (l, gemm) = try FormatModelTests.calls(FormatModelTests.i2sKernels) { try s.logits(after: FormatModelTests.prompt) }
        #expect(gemm > 0)
        #expect(try i2s.logits(after: FormatModelTests.prompt).map(\.bitPattern) == l.map(\.bitPattern))
        let (g, decode) = try FormatModelTests.calls(tq1) {
            try s.generate(promptTokens: FormatModelTests.prompt, options: GenerateOptions(maxTokens: 12))
        }
        #expect(decode > 0)
        #expect(try i2s.generate(promptTokens: FormatModelTests.prompt, options: GenerateOptions(maxTokens: 12)).generatedTokens
                == g.generatedTokens)
        // token by token (no batch) the TQ1_0 matrices give the batch's logits
        let one = Session(model: m)
        one.prefillBatchSize = 1
        let (l1, rows) = try FormatModelTests.calls(tq1) { try one.logits(after: FormatModelTests.prompt) }
        #expect(rows > 0 && l1.map(\.bitPattern) == l.map(\.bitPattern))
        // every matrix at 54 bytes per 256 weights instead of 64
        let saved = mats.reduce(0) { $0 + $1.rows * $1.cols / 256 * 10 }
        #expect(i2s.model.bytesPerToken - m.bytesPerToken == saved + mats.count * 32)
        // the codes survive the trip: TQ1_0 → I2_S (the existing repack) gives the file's bytes back
        let file = try #require(i2s.model.source.tensor(mats[0].name))
        let back = try #require(WeightRepack.tq(.tq1_0, data: mats[0].data, rows: mats[0].rows, cols: mats[0].cols))
        #expect(memcmp(back.bytes, file.data, mats[0].rows * mats[0].cols / 4) == 0)
        var p = o
        p.parity = .llamaCpp
        #expect(Model.declineTQ1Repack(p) == "--repack tq1_0 declined: llama.cpp numerics (TQ1_0 × Q8_K); I2_S runs as stored")
    }

    /// By default TQ2_0 (2.06 → 2 bits per weight: no memory traded) is repacked, TQ1_0 (1.69 → 2) is not.
    @Test func defaultsRepackTQ2ButNotTQ1() throws {
        var o = ModelOptions()
        o.contextSize = 128
        let tq2 = Session(model: try Model.load(url: try SynthFixtures.model(.bitnetB158, .tq2_0), options: o))
        let tq1 = Session(model: try Model.load(url: try SynthFixtures.model(.bitnetB158, .tq1_0), options: o))
        #expect(tq2.model.weightLayouts.first?.hasPrefix("TQ2_0→I2_S") == true)
        #expect(tq1.model.weightLayouts.isEmpty)
    }

    @Test func tqBlocksWithDifferentScalesAreNotRepacked() throws {
        // two TQ2_0 blocks (one row of 512) with different scales: the repack must decline (it would be inexact)
        var blocks = [ck_block_tq2_0](repeating: ck_block_tq2_0(), count: 2)
        for i in 0..<2 {
            withUnsafeMutableBytes(of: &blocks[i].qs) { $0.initializeMemory(as: UInt8.self, repeating: 0b10_01_00_10) }
            blocks[i].d = ck_f32_to_f16(i == 0 ? 0.5 : 0.25)
        }
        let buffer = blocks.withUnsafeBytes { WeightRepack.tq(.tq2_0, data: $0.baseAddress!, rows: 1, cols: 512) }
        #expect(buffer == nil)
        blocks[1].d = blocks[0].d
        let same = try #require(blocks.withUnsafeBytes { WeightRepack.tq(.tq2_0, data: $0.baseAddress!, rows: 1, cols: 512) })
        // codes move unchanged: I2_S byte j of block 0 holds weights j, j+32, j+64, j+96 (all from byte 0b10_01_00_10's
        // 2-bit groups in TQ2_0 order: weight l·32 + k has code (qs[k] >> 2l) & 3 → 2, 0, 1, 2)
        let b0 = same.bytes.load(as: UInt8.self)
        #expect(b0 == (2 << 6) | (0 << 4) | (1 << 2) | 2)
        let scale = same.bytes.load(fromByteOffset: 512 / 4, as: Float.self)
        #expect(scale == 0.5)
    }
}

/// `ModelOptions.hugePages`: every matrix copied into huge-page-advised memory at load: the same logits bit for bit,
/// the copy recorded in `weight_layouts`, and repacked formats land there too.
@Suite struct HugePagesTests {
    @Test func hugePageCopiesGiveTheSameLogits() throws {
        let url = try SynthFixtures.model(.bitnetB158, .i2_s)
        var o = ModelOptions()
        o.contextSize = 128
        o.hugePages = true
        let decision = HugePages.decide(requested: true, fileBacked: true, fileBytes: 0, kvBytes: 0,
                                        thpMode: HugePages.thpMode(), availableBytes: nil)
        let huge = Session(model: try Model.load(url: url, options: o))
        let plain = try SynthFixtures.session(url)
        let prompt = FormatModelTests.prompt
        #expect(try plain.logits(after: prompt).map(\.bitPattern) == (try huge.logits(after: prompt)).map(\.bitPattern))
        let mats = huge.model.weights.layers.flatMap(\.matrices).count + 1 // + the (tied) embedding/head
        // copied where THP is on (CI's machines: "madvise"), else declined with the reason
        #expect(huge.model.weightLayouts == (decision.copy ? ["\(WeightRepack.hugePagesDescription(decision.reason)): \(mats) tensors"]
                                                            : ["file mapping, 4 KiB pages (\(decision.reason))"]))
        #expect(plain.model.weightLayouts.isEmpty)
        // a repack under --hugepages is still recorded as the repack
        o.repackTernary = true
        let tq = Session(model: try Model.load(url: try SynthFixtures.model(.bitnetB158, .tq1_0), options: o))
        #expect(tq.model.weightLayouts.contains { $0.hasPrefix("TQ1_0→I2_S") })
        #expect(try tq.logits(after: prompt).map(\.bitPattern) == (try plain.logits(after: prompt)).map(\.bitPattern))
    }
}
