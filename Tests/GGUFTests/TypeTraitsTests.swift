import Foundation
import Testing
import TestSupport
@testable import GGUF

@Suite struct TypeTraitsTests {
    @Test func mainlineRowsMatchTheGGUFPackage() throws {
        guard TestEnvironment.shouldRun(needs: PythonGGUF.available) else { return }
        let table = try #require(try JSONSerialization.jsonObject(with: try PythonGGUF.run("gguf_type_sizes.py", [])) as? [String: [Int]])
        #expect(table.count >= 30)
        for (name, v) in table {
            // gguf-py still lists Q8_1 with f32 d and s (40 bytes); ggml's block_q8_1 has two f16s (36).
            if name == "Q8_1" { continue }
            let rows = TensorTypeTraits.candidates(id: UInt32(v[0])).filter { $0.origin == .mainline }
            let row = try #require(rows.first, "no mainline row for \(name)")
            #expect(rows.count == 1 && row.name == name, "\(name)")
            #expect(row.blockSize == v[1] && row.bytesPerBlock == v[2], "\(name)")
        }
    }

    @Test func collidingIDsHaveEveryMeaning() {
        #expect(Set(TensorTypeTraits.candidates(id: 36).map(\.format)) == [.iq4_nl_4_4, .i2_s, .bitnet32_f16])
        #expect(Set(TensorTypeTraits.candidates(id: 37).map(\.format)) == [.iq4_nl_4_8, .i8_s])
        #expect(Set(TensorTypeTraits.candidates(id: 38).map(\.format)) == [.iq4_nl_8_8, .tl1])
        #expect(Set(TensorTypeTraits.candidates(id: 39).map(\.format)) == [.mxfp4, .tl2])
        #expect(TensorTypeTraits.candidates(id: 4).isEmpty && TensorTypeTraits.candidates(id: 42).isEmpty)
        #expect(Set(TensorTypeTraits.all.map(\.format)) == Set(TensorFormat.allCases))
    }

    @Test func specialSizeRules() {
        // I2_S and TL1: n/4 + 32 (bitnet.cpp's ggml_nbytes).
        #expect(TensorFormat.i2_s.traits.byteSize(elements: 2560 * 2560, rowLength: 2560) == 2560 * 2560 / 4 + 32)
        #expect(TensorFormat.tl1.traits.byteSize(elements: 2560 * 6912, rowLength: 2560) == 2560 * 6912 / 4 + 32)
        // TL2, by hand with the fork's formula: [6912, 2560]: 6656·2560/3·5/8 = 3549866, + 256·2560/2·4/8 = 163840,
        // = 3713706 → 3713728 (up to 32) + 32.
        #expect(TensorFormat.tl2.traits.byteSize(elements: 6912 * 2560, rowLength: 6912) == 3_713_760)
        #expect(TensorFormat.tl2.traits.byteSize(elements: 2560 * 4, rowLength: 2560) == 2208)
        #expect(TensorFormat.tl2.traits.byteSize(elements: 128, rowLength: 128) == nil)
        #expect(TensorFormat.bitnet32_f16.traits.byteSize(elements: 64, rowLength: 64) == 20)
        #expect(TensorFormat.q8_0.traits.byteSize(elements: 48, rowLength: 48) == nil)
        #expect(TensorFormat.f32.traits.byteSize(elements: Int.max / 2, rowLength: 1) == nil)
    }
}
