#if canImport(Glibc)
import Glibc
#endif

/// Element-wise steps of the graph, with ggml's CPU numerics.
enum Ops {
    /// ggml rms_norm then mul: Σx² in double of float squares, scale = 1/sqrtf(mean + eps), y = (x·scale)·w.
    static func rmsNorm(_ x: UnsafePointer<Float>, _ w: [Float], eps: Float, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        var sum = 0.0
        for i in 0..<n { sum += Double(x[i] * x[i]) }
        let mean = Float(sum / Double(n))
        let scale = 1.0 / sqrtf(mean + eps)
        for i in 0..<n { y[i] = (x[i] * scale) * w[i] }
    }

    /// ggml rope (ext_factor 0, freq_scale 1): theta_i = pos · base^(-2i/n_dims) by repeated float products.
    /// `fused`: the rotation rounds like llama.cpp's x86 build (two fused multiply-adds, see below).
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
                    // GCC contracts ggml's x0·cos − x1·sin and x0·sin + x1·cos (-ffp-contract=fast) into
                    // fma(x0, cos, −(x1·sin)) and fma(x0, sin, x1·cos).
                    p[a] = (-(x1 * sn[i])).addingProduct(x0, cs[i])
                    p[b] = (x1 * cs[i]).addingProduct(x0, sn[i])
                } else {
                    p[a] = x0 * cs[i] - x1 * sn[i]
                    p[b] = x0 * sn[i] + x1 * cs[i]
                }
            }
        }
    }

    /// act(gate)·up in place into `gate`.
    static func gatedActivation(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, count n: Int, _ act: FFNActivation) {
        switch act {
        case .silu: GGMLMath.swiglu(g, u, count: n)
        case .reluSquared: for i in 0..<n { let r = max(g[i], 0); g[i] = r * r * u[i] }
        case .gelu:
            for i in 0..<n {
                let x = g[i]
                g[i] = 0.5 * x * (1 + tanhf(0.7978845608 * x * (1 + 0.044715 * x * x))) * u[i]
            }
        }
    }

    static func scale(_ x: UnsafeMutablePointer<Float>, count n: Int, by s: Float?) {
        guard let s else { return }
        for i in 0..<n { x[i] *= s }
    }
}
