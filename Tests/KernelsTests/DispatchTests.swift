import Foundation
import Testing
import CKernels

@Suite struct DispatchTests {
    @Test func detectedPathsMatchProcCpuinfo() throws {
        let paths = ck_cpu_paths()
        #expect(paths & UInt32(CK_PATH_SCALAR) != 0)
        #if arch(x86_64)
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(info.split(separator: "\n").first { $0.hasPrefix("flags") }?
            .split(separator: ":").last?.split(separator: " ").map(String.init) ?? [])
        let hasAVX2 = flags.contains("avx2") && flags.contains("fma") && flags.contains("f16c")
        #expect((paths & UInt32(CK_PATH_AVX2) != 0) == hasAVX2)
        #expect((paths & UInt32(CK_PATH_AVXVNNI) != 0) == (hasAVX2 && flags.contains("avx_vnni")))
        let has512 = hasAVX2 && ["avx512f", "avx512bw", "avx512vl", "avx512_vnni"].allSatisfy(flags.contains)
        #expect((paths & UInt32(CK_PATH_AVX512VNNI) != 0) == has512)
        #expect(paths & UInt32(CK_PATH_NEON) == 0)
        #endif
    }

    @Test func forcingAPathRestrictsTheDispatcher() {
        Paths.with(Paths.scalar) {
            #expect(ck_path() == Paths.scalar)
            #expect(String(cString: ck_path_name()) == "scalar")
        }
        // asking for more than the CPU has keeps only what it has; scalar is always kept
        Paths.with(0) { #expect(ck_path() == Paths.scalar) }
        Paths.with(0xffff_ffff) { #expect(ck_path() == Paths.cpu) }
        // VNNI without AVX2 is not a valid combination
        Paths.with(UInt32(CK_PATH_AVXVNNI)) { #expect(ck_path() == Paths.scalar) }
        // a forced path is the calling thread's only: another thread still sees the process-wide mask
        Paths.with(Paths.scalar) {
            let other = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
            defer { other.deallocate() }
            other.pointee = 0
            nonisolated(unsafe) let box = other
            let done = DispatchSemaphore(value: 0)
            Thread { box.pointee = ck_path(); done.signal() }.start()
            done.wait()
            #expect(ck_path() == Paths.scalar && other.pointee == Paths.cpu)
        }
    }

    @Test func kernelIdsAreStableUniqueAndNamed() {
        let names = (0..<ck_kernel_count()).map { String(cString: ck_kernel_name($0)) }
        #expect(Set(names).count == names.count)
        for (i, name) in names.enumerated() {
            let parts = name.split(separator: ".")
            #expect(parts.count == 2, "\(name)")
            // a dispatch path, or "c": the one C implementation of an op that has no SIMD variant (not a fallback)
            #expect(["scalar", "avx2", "avxvnni", "avx512vnni", "avx512", "neon", "dotprod", "c"].contains(String(parts.last ?? "")), "\(name)")
            #expect(ck_kernel_index(name) == Int32(i))
        }
        #expect(names.contains("i2s_i8_gemv.avx2") && names.contains("i2s_i8_gemv.scalar"))
        #expect(ck_kernel_name(-1) == nil && ck_kernel_name(ck_kernel_count()) == nil)
        #expect(ck_kernel_index("no.such") == -1)
    }

    @Test func callCountersCountOnePerCallOnThePathThatRan() {
        var rng = Rng(7)
        let n = 256, rows = 9
        let w = rng.bytes(rows * n / 4), q = rng.int8s(n)
        var out = [Int32](repeating: 0, count: rows)
        for (path, id) in [(Paths.scalar, "i2s_i8_gemv.scalar"), (Paths.avx2, "i2s_i8_gemv.avx2"),
                           (Paths.vnni, "i2s_i8_gemv.avxvnni")] where Paths.available.contains(path) {
            Paths.with(path) {
                let k = ck_kernel_index(id)
                let before = ck_kernel_calls(k), mine = ck_kernel_calls_this_thread(k)
                ck_i2s_gemv(w, n, 0, rows, q, &out)
                ck_i2s_gemv(w, n, 2, 5, q, &out)
                // Other tests may run kernels meanwhile: exact on this thread, at least as many process-wide.
                #expect(ck_kernel_calls_this_thread(k) - mine == 2, "\(id)")
                #expect(ck_kernel_calls(k) - before >= 2, "\(id)")
            }
        }
    }
}
