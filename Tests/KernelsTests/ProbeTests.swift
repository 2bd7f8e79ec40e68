import Foundation
import Testing
import CKernels

@Suite struct ProbeTests {
    @Test func bandwidthProbeMeasuresSomethingAndRefusesBadArguments() {
        for threads in [1, 2] {
            let gbs = ck_measure_read_bandwidth(16 << 20, Int32(threads))
            #expect(gbs > 0 && gbs.isFinite)
        }
        #expect(ck_measure_read_bandwidth(16 << 20, 0) < 0)
        #expect(ck_measure_read_bandwidth(100, 1) < 0)
        #expect(ck_measure_read_bandwidth(1 << 50, 1) < 0)
    }

    @Test func i2sBenchRunsAndRefusesBadShapes() {
        #expect(ck_bench_i2s_gemv(64, 1280, 2, 2) > 0)
        #expect(ck_bench_i2s_gemv(64, 1000, 1, 1) < 0) // not a multiple of 128
        #expect(ck_bench_i2s_gemv(0, 1280, 1, 1) < 0)
    }
}
