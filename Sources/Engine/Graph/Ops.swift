import CKernels

/// Element-wise steps of the graph, with ggml's CPU numerics, computed by CKernels (graph.c): exactly the floats
/// of the Swift reference they replaced (Tests/KernelsTests/GraphReference.swift), on every instruction-set path.
enum Ops {
    /// ggml rms_norm then mul: Σx² in double of float squares, scale = 1/sqrtf(mean + eps), y = (x·scale)·w.
    /// `y` may be `x`.
    @inline(__always)
    static func rmsNorm(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, eps: Float, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        ck_g_rmsnorm(x, w, y, n, eps)
    }

    /// ggml rope (ext_factor 0, freq_scale 1) with a table from `RopeTable` for the token's position.
    /// `fused`: the rotation rounds like llama.cpp's x86 build (GCC contracts x0·cos − x1·sin and x0·sin + x1·cos
    /// into fma(x0, cos, −(x1·sin)) and fma(x0, sin, x1·cos)).
    @inline(__always)
    static func rope(_ x: UnsafeMutablePointer<Float>, heads: Int, headDim: Int, table: RopeTable.Row, neox: Bool, fused: Bool) {
        ck_g_rope(x, heads, headDim, table.dims, table.cos, table.sin, neox ? 1 : 0, fused ? 1 : 0)
    }

    /// act(gate)·up in place into `gate` (SwiGLU as ggml_vec_swiglu_f32).
    static func gatedActivation(_ g: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, count n: Int, _ act: FFNActivation) {
        switch act {
        case .silu: ck_g_swiglu(g, u, n)
        case .reluSquared: ck_g_relu2_mul(g, u, n)
        case .gelu: ck_g_gelu_mul(g, u, n)
        }
    }

    @inline(__always)
    static func scale(_ x: UnsafeMutablePointer<Float>, count n: Int, by s: Float?) {
        guard let s else { return }
        ck_g_scale(x, n, s)
    }

    /// x = a + x (the residual connection).
    @inline(__always)
    static func addResidual(_ a: UnsafePointer<Float>, into x: UnsafeMutablePointer<Float>, count n: Int) {
        ck_add_f32(a, x, x, n)
    }
}
