import Testing
import CKernels
@Test func sumIsHandComputed() {
    let x: [Float] = [1, 2, 3.5]
    #expect(ck_sum_f32(x, 3) == 6.5)
}
