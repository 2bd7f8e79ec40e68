/* Per-token graph ops of the engine (RMSNorm, RoPE, scaling, FFN activations, ggml's vector exp, softmax),
 * computing exactly the floats of the engine's reference (llama.cpp's x86 CPU numerics): same operation order,
 * same roundings, the same fused multiply-adds (written out: this target compiles with -ffp-contract=off).
 * The AVX2+FMA path and the portable path (fmaf) give identical bits. */
#include "ck_internal.h"
#include <math.h>

static inline float g_pow2(int e) { /* 2^e for -126 <= e <= 127 */
    uint32_t u = (uint32_t)(e + 127) << 23;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

#if CK_X86
CK_AVX2 static float g_expf_fma(float x);
CK_AVX2 static void g_swiglu_fma(float *g, const float *u, size_t n);
CK_AVX2 static void g_expf_row_avx2(const float *x, float *y, size_t n);
#endif

static inline float g_qnan(void) { uint32_t u = 0x7fc00000u; float f; memcpy(&f, &u, 4); return f; }

/* ggml_v_expf for one lane (the Arm optimized-routines polynomial), with vscalefps' gradual underflow. */
static inline float g_expf1(float x) {
    const float shift = 0x1.8p23f;
    const float z = fmaf(x, 0x1.715476p+0f, shift);
    const float n = z - shift;
    if (!(fabsf(n) <= 192.0f)) return n > 0 ? INFINITY : (isnan(n) ? g_qnan() : 0.0f);
    float b = fmaf(-n, 0x1.62e4p-1f, x);
    b = fmaf(-n, 0x1.7f7d1cp-20f, b);
    const float u = b * b;
    const float p1 = fmaf(0x1.0e4020p-7f, b, 0x1.573e2ep-5f);
    const float p2 = fmaf(0x1.555e66p-3f, b, 0x1.fffdb6p-2f);
    const float p3 = fmaf(0x1.ffffecp-1f, b, 1.0f);
    const float j = fmaf(fmaf(p1, u, p2), u, p3);
    const int k = (int)n;
    if (k > 127) return j * g_pow2(127) * g_pow2(k - 127);
    if (k < -126) return (j * g_pow2(-126)) * g_pow2(k + 126);
    return j * g_pow2(k);
}

/* The _mm512_reduce_add_ps tree over 16 lanes. */
static inline float g_reduce16(const float *l) {
    float a[8];
    for (int i = 0; i < 8; i++) a[i] = l[i] + l[i + 8];
    const float b0 = a[0] + a[4], b1 = a[1] + a[5], b2 = a[2] + a[6], b3 = a[3] + a[7];
    return (b0 + b2) + (b1 + b3);
}

float ck_g_expf(float x) {
#if CK_X86
    if (ck_avx2()) return g_expf_fma(x);
#endif
    return g_expf1(x);
}

#if CK_X86
CK_AVX2 static float g_expf_fma(float x) { return g_expf1(x); }

/* Eight lanes of g_expf1: the same operations lane by lane. */
CK_AVX2 static inline __m256 g_expf8(__m256 x) {
    const __m256 shift = _mm256_set1_ps(0x1.8p23f);
    const __m256 z = _mm256_fmadd_ps(x, _mm256_set1_ps(0x1.715476p+0f), shift);
    const __m256 n = _mm256_sub_ps(z, shift);
    __m256 b = _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.62e4p-1f), x);   /* x − n·c = fma(−n, c, x) */
    b = _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.7f7d1cp-20f), b);
    const __m256 u = _mm256_mul_ps(b, b);
    const __m256 p1 = _mm256_fmadd_ps(_mm256_set1_ps(0x1.0e4020p-7f), b, _mm256_set1_ps(0x1.573e2ep-5f));
    const __m256 p2 = _mm256_fmadd_ps(_mm256_set1_ps(0x1.555e66p-3f), b, _mm256_set1_ps(0x1.fffdb6p-2f));
    const __m256 p3 = _mm256_fmadd_ps(_mm256_set1_ps(0x1.ffffecp-1f), b, _mm256_set1_ps(1.0f));
    const __m256 j = _mm256_fmadd_ps(_mm256_fmadd_ps(p1, u, p2), u, p3);
    /* j · 2^k as (j · 2^k1) · 2^(k − k1), k1 = k clamped to the normal exponents (the second factor is 1 in
     * range, which changes nothing). */
    const __m256i k = _mm256_cvttps_epi32(n);
    const __m256i k1 = _mm256_max_epi32(_mm256_min_epi32(k, _mm256_set1_epi32(127)), _mm256_set1_epi32(-126));
    const __m256i k2 = _mm256_sub_epi32(k, k1);
    const __m256i bias = _mm256_set1_epi32(127);
    const __m256 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k1, bias), 23));
    const __m256 s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k2, bias), 23));
    const __m256 r = _mm256_mul_ps(_mm256_mul_ps(j, s1), s2);
    const __m256 absn = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), n);
    const __m256 ok = _mm256_cmp_ps(absn, _mm256_set1_ps(192.0f), _CMP_LE_OQ);
    const __m256 pos = _mm256_cmp_ps(n, _mm256_setzero_ps(), _CMP_GT_OQ);
    const __m256 nan = _mm256_cmp_ps(n, n, _CMP_UNORD_Q);
    __m256 special = _mm256_blendv_ps(_mm256_setzero_ps(), _mm256_set1_ps(INFINITY), pos);
    special = _mm256_blendv_ps(special, _mm256_castsi256_ps(_mm256_set1_epi32(0x7fc00000)), nan);
    return _mm256_blendv_ps(special, r, ok);
}
#endif

void ck_g_expf_row(const float *x, float *y, size_t n) {
    size_t i = 0;
#if CK_X86
    if (ck_avx2()) { g_expf_row_avx2(x, y, n); return; }
#endif
    for (; i < n; i++) y[i] = g_expf1(x[i]);
}

#if CK_X86
CK_AVX2 static void g_expf_row_avx2(const float *x, float *y, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, g_expf8(_mm256_loadu_ps(x + i)));
    for (; i < n; i++) y[i] = g_expf1(x[i]);
}
#endif

/* ------------------------------------------------------------------ RMSNorm */
void ck_g_rmsnorm(const float *x, const float *w, float *y, size_t n, float eps) {
    ck_count(K_G_RMSNORM);
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) sum += (double)(x[i] * x[i]);
    const float mean = (float)(sum / (double)n);
    const float scale = 1.0f / sqrtf(mean + eps);
    for (size_t i = 0; i < n; i++) y[i] = (x[i] * scale) * w[i];
}

void ck_g_scale(float *x, size_t n, float s) {
    for (size_t i = 0; i < n; i++) x[i] *= s;
}

/* --------------------------------------------------------------------- RoPE */
void ck_g_rope_table(float pos, size_t n_dims, float freq_base, float *cs, float *sn) {
    const float theta_scale = powf(freq_base, -2.0f / (float)n_dims);
    float theta = pos;
    for (size_t i = 0; i < n_dims / 2; i++) {
        cs[i] = cosf(theta);
        sn[i] = sinf(theta);
        theta *= theta_scale;
    }
}

/* The rotation, one body for both paths: plain (x0·c − x1·s, x0·s + x1·c) or as llama.cpp's x86 build contracts
 * it (fma(x0, c, −(x1·s)), fma(x0, s, x1·c)). */
#define G_ROPE_BODY                                                                                   \
    const size_t half = n_dims / 2;                                                                  \
    for (size_t h = 0; h < heads; h++) {                                                             \
        float *p = x + h * head_dim;                                                                 \
        for (size_t i = 0; i < half; i++) {                                                          \
            const size_t a = neox ? i : 2 * i, b = neox ? i + half : 2 * i + 1;                      \
            const float x0 = p[a], x1 = p[b];                                                        \
            if (fused) {                                                                             \
                p[a] = fmaf(x0, cs[i], -(x1 * sn[i]));                                               \
                p[b] = fmaf(x0, sn[i], x1 * cs[i]);                                                  \
            } else {                                                                                 \
                p[a] = x0 * cs[i] - x1 * sn[i];                                                      \
                p[b] = x0 * sn[i] + x1 * cs[i];                                                      \
            }                                                                                        \
        }                                                                                            \
    }

static void g_rope_portable(float *x, size_t heads, size_t head_dim, size_t n_dims, const float *cs,
                            const float *sn, int neox, int fused) { G_ROPE_BODY }
#if CK_X86
CK_AVX2 static void g_rope_fma(float *x, size_t heads, size_t head_dim, size_t n_dims, const float *cs,
                               const float *sn, int neox, int fused) { G_ROPE_BODY }
#endif

void ck_g_rope(float *x, size_t heads, size_t head_dim, size_t n_dims, const float *cs, const float *sn,
               int neox, int fused) {
#if CK_X86
    if (ck_avx2()) { ck_count(K_G_ROPE_AVX2); g_rope_fma(x, heads, head_dim, n_dims, cs, sn, neox, fused); return; }
#endif
    ck_count(K_G_ROPE_SCALAR);
    g_rope_portable(x, heads, head_dim, n_dims, cs, sn, neox, fused);
}

/* ------------------------------------------------------------------ softmax */
static inline float g_max(const float *x, size_t n) {
    float mx = -INFINITY;
    for (size_t i = 0; i < n; i++) mx = x[i] >= mx ? x[i] : mx;   /* Swift's max(mx, x[i]) */
    return mx;
}

static void g_softmax_portable(float *x, size_t n) {
    const float mx = g_max(x, n);
    double sum = 0.0;
    for (size_t i = 0; i < n; i += 16) {
        float lanes[16];
        for (size_t l = 0; l < 16; l++) lanes[l] = i + l < n ? g_expf1(x[i + l] - mx) : 0.0f;
        for (size_t l = 0; l < 16 && i + l < n; l++) x[i + l] = lanes[l];
        sum += (double)g_reduce16(lanes);
    }
    const float inv = (float)(1.0 / sum);
    for (size_t k = 0; k < n; k++) x[k] *= inv;
}

#if CK_X86
CK_AVX2 static void g_softmax_avx2(float *x, size_t n) {
    const float mx = g_max(x, n);
    const __m256 vmx = _mm256_set1_ps(mx);
    double sum = 0.0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m256 e0 = g_expf8(_mm256_sub_ps(_mm256_loadu_ps(x + i), vmx));
        const __m256 e1 = g_expf8(_mm256_sub_ps(_mm256_loadu_ps(x + i + 8), vmx));
        _mm256_storeu_ps(x + i, e0);
        _mm256_storeu_ps(x + i + 8, e1);
        sum += (double)ck_hsum_f32_8(_mm256_add_ps(e0, e1));
    }
    if (i < n) {   /* last chunk: the lanes past n are −inf, whose exp is +0 (the reference's 0 lanes) */
        float t[16];
        for (size_t l = 0; l < 16; l++) t[l] = i + l < n ? x[i + l] : -INFINITY;
        const __m256 e0 = g_expf8(_mm256_sub_ps(_mm256_loadu_ps(t), vmx));
        const __m256 e1 = g_expf8(_mm256_sub_ps(_mm256_loadu_ps(t + 8), vmx));
        _mm256_storeu_ps(t, e0);
        _mm256_storeu_ps(t + 8, e1);
        for (size_t l = 0; i + l < n; l++) x[i + l] = t[l];
        sum += (double)ck_hsum_f32_8(_mm256_add_ps(e0, e1));
    }
    const float inv = (float)(1.0 / sum);
    for (size_t k = 0; k < n; k++) x[k] *= inv;
}
#endif

void ck_g_softmax(float *x, size_t n) {
#if CK_X86
    if (ck_avx2()) { ck_count(K_G_SOFTMAX_AVX2); g_softmax_avx2(x, n); return; }
#endif
    ck_count(K_G_SOFTMAX_SCALAR);
    g_softmax_portable(x, n);
}

/* -------------------------------------------------------------- activations */
void ck_g_swiglu(float *g, const float *u, size_t n) {
    const size_t vec = n / 16 * 16;
    size_t i = 0;
#if CK_X86
    if (ck_avx2()) {
        ck_count(K_G_SWIGLU_AVX2);
        g_swiglu_fma(g, u, vec);
        i = vec;
    }
#endif
    if (i == 0) ck_count(K_G_SWIGLU_SCALAR);
    for (; i < vec; i++) g[i] = (g[i] / (1.0f + g_expf1(-g[i]))) * u[i];
    for (; i < n; i++) g[i] = (g[i] / (1.0f + expf(-g[i]))) * u[i];   /* the scalar tail uses libm's expf */
}

#if CK_X86
CK_AVX2 static void g_swiglu_fma(float *g, const float *u, size_t n) {
    const __m256 one = _mm256_set1_ps(1.0f), sign = _mm256_set1_ps(-0.0f);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 x = _mm256_loadu_ps(g + i);
        const __m256 e = g_expf8(_mm256_xor_ps(x, sign));
        _mm256_storeu_ps(g + i, _mm256_mul_ps(_mm256_div_ps(x, _mm256_add_ps(one, e)), _mm256_loadu_ps(u + i)));
    }
    for (; i < n; i++) g[i] = (g[i] / (1.0f + g_expf1(-g[i]))) * u[i];
}
#endif

void ck_g_relu2_mul(float *g, const float *u, size_t n) {
    ck_count(K_G_RELU2);
    for (size_t i = 0; i < n; i++) {
        const float r = 0.0f >= g[i] ? 0.0f : g[i];   /* Swift's max(g, 0) (NaN stays NaN) */
        g[i] = r * r * u[i];
    }
}

void ck_g_gelu_mul(float *g, const float *u, size_t n) {
    ck_count(K_G_GELU);
    for (size_t i = 0; i < n; i++) {
        const float x = g[i];
        g[i] = 0.5f * x * (1.0f + tanhf(0.7978845608f * x * (1.0f + 0.044715f * x * x))) * u[i];
    }
}

/* ------------------------------------------------------------- residual add */
#if CK_X86
CK_AVX2 static void add_avx2(const float *a, const float *b, float *y, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_add_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)));
    for (; i < n; i++) y[i] = a[i] + b[i];
}
#endif

void ck_add_f32(const float *a, const float *b, float *y, size_t n) {
#if CK_X86
    if (ck_avx2()) { add_avx2(a, b, y, n); return; }
#endif
    for (size_t i = 0; i < n; i++) y[i] = a[i] + b[i];
}
