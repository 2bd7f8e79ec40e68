#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The engine's graph ops as they were written in Swift (Sources/Engine/Graph before they moved to CKernels
/// graph.c / attention.c): the reference the C kernels must equal bit for bit. Kept verbatim apart from the
/// cache type (f16 bit patterns) and the names.
enum RefMath {
    /// ggml_v_expf for one lane.
    static func expf(_ x: Float) -> Float {
        let shift: Float = 0x1.8p23
        let z = shift.addingProduct(x, 0x1.715476p+0)
        let n = z - shift
        if !(abs(n) <= 192) {
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

    static func scalef(_ j: Float, _ n: Float) -> Float {
        let k = Int(n)
        if k > 127 { return j * Float(sign: .plus, exponent: 127, significand: 1) * Float(sign: .plus, exponent: k - 127, significand: 1) }
        if k < -126 { return (j * Float(sign: .plus, exponent: -126, significand: 1)) * Float(sign: .plus, exponent: k + 126, significand: 1) }
        return j * Float(sign: .plus, exponent: k, significand: 1)
    }

    static func reduce16(_ l: UnsafePointer<Float>) -> Float {
        var a = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
        a.0 = l[0] + l[8]; a.1 = l[1] + l[9]; a.2 = l[2] + l[10]; a.3 = l[3] + l[11]
        a.4 = l[4] + l[12]; a.5 = l[5] + l[13]; a.6 = l[6] + l[14]; a.7 = l[7] + l[15]
        let b0 = a.0 + a.4, b1 = a.1 + a.5, b2 = a.2 + a.6, b3 = a.3 + a.7
        return (b0 + b2) + (b1 + b3)
    }

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

    static func swiglu(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, count n: Int) {
        let vec = n / 16 * 16
        for i in 0..<vec { g[i] = (g[i] / (1 + expf(-g[i]))) * u[i] }
        for i in vec..<n { g[i] = (g[i] / (1 + libmExpf(-g[i]))) * u[i] }
    }

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

@inline(__always) func libmExpf(_ x: Float) -> Float {
    #if canImport(Glibc)
    Glibc.expf(x)
    #else
    Darwin.expf(x)
    #endif
}

@inline(__always) func roundToHalf(_ x: Float) -> Float { Float(Float16(x)) }

enum RefOps {
    static func rmsNorm(_ x: UnsafePointer<Float>, _ w: [Float], eps: Float, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        var sum = 0.0
        for i in 0..<n { sum += Double(x[i] * x[i]) }
        let mean = Float(sum / Double(n))
        let scale = 1.0 / sqrtf(mean + eps)
        for i in 0..<n { y[i] = (x[i] * scale) * w[i] }
    }

    static func rope(_ x: UnsafeMutablePointer<Float>, heads: Int, headDim: Int, ropeDims: Int, position: Int,
                     base: Float, neox: Bool, fused: Bool = false) {
        let half = ropeDims / 2
        var cs = [Float](repeating: 0, count: half), sn = cs
        let thetaScale = powf(base, -2.0 / Float(ropeDims))
        var theta = Float(position)
        for i in 0..<half { cs[i] = cosf(theta); sn[i] = sinf(theta); theta *= thetaScale }
        for h in 0..<heads {
            let p = x + h * headDim
            for i in 0..<half {
                let a = neox ? i : 2 * i, b = neox ? i + half : 2 * i + 1
                let x0 = p[a], x1 = p[b]
                if fused {
                    p[a] = (-(x1 * sn[i])).addingProduct(x0, cs[i])
                    p[b] = (x1 * cs[i]).addingProduct(x0, sn[i])
                } else {
                    p[a] = x0 * cs[i] - x1 * sn[i]
                    p[b] = x0 * sn[i] + x1 * cs[i]
                }
            }
        }
    }

    static func reluSquared(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, count n: Int) {
        for i in 0..<n { let r = max(g[i], 0); g[i] = r * r * u[i] }
    }

    static func gelu(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, count n: Int) {
        for i in 0..<n {
            let x = g[i]
            g[i] = 0.5 * x * (1 + tanhf(0.7978845608 * x * (1 + 0.044715 * x * x))) * u[i]
        }
    }
}

enum RefAttention {
    /// One token's attention over positions 0..<n of one layer's cache (`keys`/`values`: f16 bits, position t at
    /// t·kvDim, kv head j at j·headDim).
    static func run(q: [Float], keys: [UInt16], values: [UInt16], positions n: Int, heads: Int, kvHeads: Int,
                    headDim hd: Int, tiny: Bool) -> [Float] {
        let group = heads / kvHeads, kvDim = kvHeads * hd
        let scale = 1 / sqrtf(Float(hd))
        var out = [Float](repeating: 0, count: heads * hd)
        var scores = [Float](repeating: 0, count: n)
        var q16 = [Float](repeating: 0, count: hd)
        var kf = [Float](repeating: 0, count: n * hd), vf = kf
        for kvh in 0..<kvHeads {
            for t in 0..<n {
                for d in 0..<hd {
                    kf[t * hd + d] = Float(Float16(bitPattern: keys[t * kvDim + kvh * hd + d]))
                    vf[t * hd + d] = Float(Float16(bitPattern: values[t * kvDim + kvh * hd + d]))
                }
            }
            for h in kvh * group ..< (kvh + 1) * group {
                for d in 0..<hd { q16[d] = roundToHalf(q[h * hd + d]) }
                let qp = q16, k = kf
                for t in 0..<n {
                    let kp = t * hd
                    scores[t] = (tiny ? RefMath.dot16({ k[kp + $0] }, { qp[$0] }, count: hd)
                                      : RefMath.vecDotF16({ k[kp + $0] }, { qp[$0] }, count: hd, padded: false)) * scale
                }
                scores.withUnsafeMutableBufferPointer { RefMath.softmax($0.baseAddress!, count: n) }
                for t in 0..<n { scores[t] = roundToHalf(scores[t]) }
                let p = scores, v = vf
                for d in 0..<hd {
                    out[h * hd + d] = tiny ? RefMath.dot16({ v[$0 * hd + d] }, { p[$0] }, count: n)
                                           : RefMath.vecDotF16({ v[$0 * hd + d] }, { p[$0] }, count: n, padded: true)
                }
            }
        }
        return out
    }
}
