/// The float routines llama.cpp's x86-64 AVX-512 build uses in attention and the FFN, re-expressed lane by lane
/// so the engine rounds like it: the vector exp (the Arm optimized-routines polynomial ggml uses, max error
/// ~1.5 ulp), softmax with 16-value chunk sums accumulated in double, SiLU as x / (1 + exp(−x)), and the 16-lane
/// fused-multiply-add dot of llamafile's tinyBLAS (batches of two or more tokens) and ggml_vec_dot_f16 (one-token
/// batches), each followed by the _mm512_reduce_add_ps tree.
enum GGMLMath {
    /// ggml_v_expf for one lane.
    @inline(__always) static func expf(_ x: Float) -> Float {
        let shift: Float = 0x1.8p23
        let z = shift.addingProduct(x, 0x1.715476p+0)
        let n = z - shift
        if !(abs(n) <= 192) {
            // ggml's out-of-range branch: +inf above, 0 below (and for −inf).
            return n > 0 ? .infinity : (n.isNaN ? .nan : 0)
        }
        var b = x.addingProduct(-n, 0x1.62e4p-1)
        b = b.addingProduct(-n, 0x1.7f7d1cp-20)
        let u = b * b
        let p1 = Float(0x1.573e2ep-5).addingProduct(0x1.0e4020p-7, b)
        let p2 = Float(0x1.fffdb6p-2).addingProduct(0x1.555e66p-3, b)
        let p3 = Float(1).addingProduct(0x1.ffffecp-1, b)
        let j = p3.addingProduct(p2.addingProduct(p1, u), u)
        return scalef(j, n)
    }

    /// j · 2^n for integral n (vscalefps), with gradual underflow.
    @inline(__always) static func scalef(_ j: Float, _ n: Float) -> Float {
        let k = Int(n)
        if k > 127 { return j * Float(sign: .plus, exponent: 127, significand: 1) * Float(sign: .plus, exponent: k - 127, significand: 1) }
        if k < -126 { return (j * Float(sign: .plus, exponent: -126, significand: 1)) * Float(sign: .plus, exponent: k + 126, significand: 1) }
        return j * Float(sign: .plus, exponent: k, significand: 1)
    }

    /// The tree of _mm512_reduce_add_ps over 16 lanes.
    @inline(__always) static func reduce16(_ l: UnsafePointer<Float>) -> Float {
        var a = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
        a.0 = l[0] + l[8]; a.1 = l[1] + l[9]; a.2 = l[2] + l[10]; a.3 = l[3] + l[11]
        a.4 = l[4] + l[12]; a.5 = l[5] + l[13]; a.6 = l[6] + l[14]; a.7 = l[7] + l[15]
        let b0 = a.0 + a.4, b1 = a.1 + a.5, b2 = a.2 + a.6, b3 = a.3 + a.7
        return (b0 + b2) + (b1 + b3)
    }

    /// In place: x = exp(x − max) / Σ, as ggml_soft_max over llama.cpp's KV window (padded with masked −inf
    /// entries to a multiple of 256, so every chunk is a full vector): chunks of 16 with the vector exp, chunk sums
    /// reduced by the lane tree and accumulated in double, then one multiply by (float)(1/Σ).
    static func softmax(_ x: UnsafeMutablePointer<Float>, count n: Int) {
        var mx = -Float.infinity
        for i in 0..<n { mx = max(mx, x[i]) }
        var sum = 0.0, i = 0
        var lanes = [Float](repeating: 0, count: 16)
        while i < n {
            for l in 0..<16 { lanes[l] = i + l < n ? expf(x[i + l] - mx) : 0 }
            for l in 0..<16 where i + l < n { x[i + l] = lanes[l] }
            sum += Double(lanes.withUnsafeBufferPointer { reduce16($0.baseAddress!) })
            i += 16
        }
        let inv = Float(1.0 / sum)
        for k in 0..<n { x[k] *= inv }
    }

    /// silu(g)·u in place into g, as ggml_vec_swiglu_f32 (vector lanes in chunks of 16, scalar tail with expf).
    static func swiglu(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, count n: Int) {
        let vec = n / 16 * 16
        for i in 0..<vec { g[i] = (g[i] / (1 + expf(-g[i]))) * u[i] }
        for i in vec..<n { g[i] = (g[i] / (1 + Foundation_expf(-g[i]))) * u[i] }
    }

    /// ggml_vec_dot_f16 on AVX-512 (what llama.cpp runs for a one-token batch, where tinyBLAS declines n < 2):
    /// four 16-lane accumulators take the elements of each 64-wide step (accumulator j, lane l gets element
    /// 64·s + 16·j + l, FMA in step order), then (acc0 + acc2) + (acc1 + acc3) and the _mm512_reduce_add_ps tree;
    /// a tail shorter than 64 is added in double. With `padded` the tail is zero-padded into the vector loop
    /// instead (llama.cpp's KV window is a multiple of 256, the unused entries carry probability 0).
    static func vecDotF16(_ a: (Int) -> Float, _ b: (Int) -> Float, count n: Int, padded: Bool) -> Float {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 64) { acc -> Float in
            acc.initialize(repeating: 0)
            let np = padded ? (n + 63) / 64 * 64 : n / 64 * 64
            var s = 0
            while s < np {
                for e in s..<min(s + 64, n) { acc[e - s] = acc[e - s].addingProduct(a(e), b(e)) }
                s += 64
            }
            for l in 0..<16 { acc[l] = (acc[l] + acc[32 + l]) + (acc[16 + l] + acc[48 + l]) }
            var sum = Double(reduce16(UnsafePointer(acc.baseAddress!)))
            if np < n { for e in np..<n { sum += Double(a(e) * b(e)) } }
            return Float(sum)
        }
    }

    /// tinyBLAS dot of two rows already rounded as the kernel sees them: lane i accumulates a[i+16k]·b[i+16k] with
    /// FMA in k order; a tail shorter than 16 is zero-padded (zeros add nothing).
    static func dot16(_ a: (Int) -> Float, _ b: (Int) -> Float, count n: Int) -> Float {
        var acc = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0),
                   Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
        return withUnsafeMutableBytes(of: &acc) { raw -> Float in
            let l = raw.baseAddress!.assumingMemoryBound(to: Float.self)
            var k = 0
            while k < n {
                for i in 0..<16 where k + i < n { l[i] = l[i].addingProduct(a(k + i), b(k + i)) }
                k += 16
            }
            return reduce16(l)
        }
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func Foundation_expf(_ x: Float) -> Float { Glibc.expf(x) }
#else
import Darwin
@inline(__always) func Foundation_expf(_ x: Float) -> Float { Darwin.expf(x) }
#endif
