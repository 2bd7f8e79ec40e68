import Foundation
import Testing
@testable import Engine

/// `--head auto`'s choice (`Model.autoHead`) from hand-computed shares: a float head of at least 30% of the bytes per
/// token is screened, a smaller one, a quantized one or one whose rows do not fit the int8 head is not; each choice
/// says why.
@Suite struct AutoHeadTests {
    static func head(_ format: WeightFormat, rows: Int, cols: Int) -> (MatVec, UnsafeMutableRawPointer) {
        let bytes = format.tensorBytes(rowLength: cols, rows: rows)
        let p = UnsafeMutableRawPointer.allocate(byteCount: bytes + 64, alignment: 64)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: bytes + 64)
        return (MatVec(name: "output.weight", format: format, rows: rows, cols: cols, data: UnsafeRawPointer(p),
                       interleave: 128, parity: .bitnet), p)
    }

    @Test func choiceFollowsTheShareTheFormatAndTheRowLength() {
        let (f16, a) = Self.head(.f16, rows: 1000, cols: 64)   // 128,000 bytes
        defer { a.deallocate() }
        // 128000 / (128000 + 298666) = 30.0001%: screened; one byte more of the rest: 29.99998%, exact
        #expect(Model.autoHead(f16, otherBytes: 298_666) == (.screened, "auto: screened (the F16 head is 30% of the bytes per token)"))
        #expect(Model.autoHead(f16, otherBytes: 298_667).0 == .exact)
        #expect(Model.autoHead(f16, otherBytes: 1_152_000) == (.exact, "auto: exact (the F16 head is 10% of the bytes per token)"))
        let (f32, b) = Self.head(.f32, rows: 1000, cols: 64)
        defer { b.deallocate() }
        #expect(Model.autoHead(f32, otherBytes: 256_000) == (.screened, "auto: screened (the F32 head is 50% of the bytes per token)"))
        let (q8, c) = Self.head(.q8_0, rows: 1000, cols: 64)
        defer { c.deallocate() }
        #expect(Model.autoHead(q8, otherBytes: 1) == (.exact, "auto: exact (the Q8_0 head has no int8 screen; only float heads do)"))
        let (wide, d) = Self.head(.f16, rows: 2, cols: 32_800)   // rows longer than the int8 head takes
        defer { d.deallocate() }
        #expect(Model.autoHead(wide, otherBytes: 1) == (.exact, "auto: exact (rows of 32800 do not fit the int8 head)"))
    }
}
