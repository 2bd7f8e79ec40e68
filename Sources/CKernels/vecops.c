/* Small vectorized float helpers: rmsnorm, softmax, RoPE, FFN activations, elementwise ops. */
#include "ck_internal.h"
#include <math.h>

#if CK_X86
/* exp for 8 floats: Cephes-style range reduction and degree-6 polynomial (<= 2 ulp for |x| < 87). */
CK_AVX2 static inline __m256 exp256(__m256 x) {
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.3f)), _mm256_set1_ps(88.3762626647949f));
    __m256 fx = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    x = _mm256_sub_ps(x, _mm256_mul_ps(fx, _mm256_set1_ps(0.693359375f)));
    x = _mm256_sub_ps(x, _mm256_mul_ps(fx, _mm256_set1_ps(-2.12194440e-4f)));
    __m256 y = _mm256_set1_ps(1.9875691500E-4f);
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.3981999507E-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(8.3334519073E-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(4.1665795894E-2f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.6666665459E-1f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(5.0000001201E-1f));
    y = _mm256_fmadd_ps(y, _mm256_mul_ps(x, x), _mm256_add_ps(x, _mm256_set1_ps(1.0f)));
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(fx), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(e));
}
CK_AVX2 static inline __m256 silu256(__m256 x) {
    __m256 e = exp256(_mm256_sub_ps(_mm256_setzero_ps(), x));
    return _mm256_div_ps(x, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}
#endif

static inline float silu1(float x) { return x / (1.0f + expf(-x)); }
static inline float relu21(float x) { float r = x > 0 ? x : 0; return r * r; }

/* ------------------------------------------------------------------ rmsnorm */
#if CK_X86
CK_AVX2 static double sumsq_avx2(const float *x, size_t n) {
    __m256d a = _mm256_setzero_pd(), b = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        v = _mm256_mul_ps(v, v);
        a = _mm256_add_pd(a, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
        b = _mm256_add_pd(b, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
    }
    double t[4];
    _mm256_storeu_pd(t, _mm256_add_pd(a, b));
    double s = (t[0] + t[1]) + (t[2] + t[3]);
    for (; i < n; i++) s += (double)(x[i] * x[i]);
    return s;
}
CK_AVX2 static void scale_mul_avx2(const float *x, const float *w, float *out, size_t n, float scale) {
    const __m256 vs = _mm256_set1_ps(scale);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_mul_ps(_mm256_loadu_ps(x + i), vs);
        if (w) v = _mm256_mul_ps(v, _mm256_loadu_ps(w + i));
        _mm256_storeu_ps(out + i, v);
    }
    for (; i < n; i++) out[i] = w ? (x[i] * scale) * w[i] : x[i] * scale;
}
#endif

void ck_rmsnorm(const float *x, const float *w, float *out, size_t n, float eps) {
    double sum = 0;
#if CK_X86
    if (ck_avx2()) {
        ck_count(K_RMSNORM_AVX2);
        sum = sumsq_avx2(x, n);
        const float mean = (float)(sum / (double)n);
        scale_mul_avx2(x, w, out, n, 1.0f / sqrtf(mean + eps));
        return;
    }
#endif
    ck_count(K_RMSNORM_SCALAR);
    for (size_t i = 0; i < n; i++) sum += (double)(x[i] * x[i]);
    const float mean = (float)(sum / (double)n);
    const float scale = 1.0f / sqrtf(mean + eps);
    for (size_t i = 0; i < n; i++) out[i] = w ? (x[i] * scale) * w[i] : x[i] * scale;
}

/* ------------------------------------------------------------------ softmax */
#if CK_X86
/* exp in AVX2, sum in double in element order (the scalar path's order); returns elements done. */
CK_AVX2 static size_t softmax_exp_avx2(float *x, size_t n, float max, double *sum) {
    size_t i = 0;
    double s = 0;
    for (; i + 8 <= n; i += 8) {
        float e[8];
        __m256 v = exp256(_mm256_sub_ps(_mm256_loadu_ps(x + i), _mm256_set1_ps(max)));
        _mm256_storeu_ps(x + i, v);
        _mm256_storeu_ps(e, v);
        for (int k = 0; k < 8; k++) s += (double)e[k];
    }
    *sum = s;
    return i;
}
#endif

void ck_softmax(float *x, size_t n) {
    if (n == 0) return;
    float max = -INFINITY;
    for (size_t i = 0; i < n; i++) max = x[i] > max ? x[i] : max;
    double sum = 0;
    size_t i = 0;
#if CK_X86
    if (ck_avx2()) { ck_count(K_SOFTMAX_AVX2); i = softmax_exp_avx2(x, n, max, &sum); } else
#endif
        ck_count(K_SOFTMAX_SCALAR);
    for (; i < n; i++) { x[i] = expf(x[i] - max); sum += (double)x[i]; }
    const float inv = (float)(1.0 / sum);
    for (size_t k = 0; k < n; k++) x[k] *= inv;
}

/* --------------------------------------------------------------------- RoPE */
void ck_rope_cache(float pos, size_t n_dims, float freq_base, float *cs) {
    const float theta_scale = powf(freq_base, -2.0f / (float)n_dims);
    float theta = pos;
    for (size_t i = 0; i < n_dims / 2; i++) {
        cs[i] = cosf(theta);
        cs[n_dims / 2 + i] = sinf(theta);
        theta *= theta_scale;
    }
}

static void rope_head_scalar(float *x, size_t n_dims, const float *c, const float *s, int style) {
    const size_t h = n_dims / 2;
    for (size_t i = 0; i < h; i++) {
        const size_t i0 = style == CK_ROPE_NEOX ? i : 2 * i, i1 = style == CK_ROPE_NEOX ? i + h : 2 * i + 1;
        const float x0 = x[i0], x1 = x[i1];
        x[i0] = x0 * c[i] - x1 * s[i];
        x[i1] = x0 * s[i] + x1 * c[i];
    }
}

#if CK_X86
CK_AVX2 static void rope_head_avx2(float *x, size_t n_dims, const float *c, const float *s, int style) {
    const size_t h = n_dims / 2;
    size_t i = 0;
    if (style == CK_ROPE_NEOX) {
        for (; i + 8 <= h; i += 8) {
            __m256 x0 = _mm256_loadu_ps(x + i), x1 = _mm256_loadu_ps(x + i + h);
            __m256 vc = _mm256_loadu_ps(c + i), vs = _mm256_loadu_ps(s + i);
            _mm256_storeu_ps(x + i, _mm256_sub_ps(_mm256_mul_ps(x0, vc), _mm256_mul_ps(x1, vs)));
            _mm256_storeu_ps(x + i + h, _mm256_add_ps(_mm256_mul_ps(x0, vs), _mm256_mul_ps(x1, vc)));
        }
        for (; i < h; i++) {
            const float x0 = x[i], x1 = x[i + h];
            x[i] = x0 * c[i] - x1 * s[i];
            x[i + h] = x0 * s[i] + x1 * c[i];
        }
    } else {
        const __m256i dup = _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3);
        for (; i + 4 <= h; i += 4) {
            __m256 v = _mm256_loadu_ps(x + 2 * i);
            __m256 cc = _mm256_permutevar8x32_ps(_mm256_castps128_ps256(_mm_loadu_ps(c + i)), dup);
            __m256 ss = _mm256_permutevar8x32_ps(_mm256_castps128_ps256(_mm_loadu_ps(s + i)), dup);
            __m256 sw = _mm256_permute_ps(v, 0xB1); /* swap pairs */
            _mm256_storeu_ps(x + 2 * i, _mm256_addsub_ps(_mm256_mul_ps(v, cc), _mm256_mul_ps(sw, ss)));
        }
        for (; i < h; i++) {
            const float x0 = x[2 * i], x1 = x[2 * i + 1];
            x[2 * i] = x0 * c[i] - x1 * s[i];
            x[2 * i + 1] = x0 * s[i] + x1 * c[i];
        }
    }
}
#endif

void ck_rope_apply(float *x, size_t n_heads, size_t head_dim, size_t n_dims, const float *cs, int style) {
    const float *c = cs, *s = cs + n_dims / 2;
#if CK_X86
    if (ck_avx2()) {
        ck_count(K_ROPE_AVX2);
        for (size_t hd = 0; hd < n_heads; hd++) rope_head_avx2(x + hd * head_dim, n_dims, c, s, style);
        return;
    }
#endif
    ck_count(K_ROPE_SCALAR);
    for (size_t hd = 0; hd < n_heads; hd++) rope_head_scalar(x + hd * head_dim, n_dims, c, s, style);
}

/* -------------------------------------------------------------- activations */
#if CK_X86
CK_AVX2 static inline __m256 relu2_256(__m256 v) { v = _mm256_max_ps(v, _mm256_setzero_ps()); return _mm256_mul_ps(v, v); }
CK_AVX2 static void silu_avx2(const float *x, float *y, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, silu256(_mm256_loadu_ps(x + i)));
    for (; i < n; i++) { float e[8] = {0}; e[0] = x[i]; float r[8]; _mm256_storeu_ps(r, silu256(_mm256_loadu_ps(e))); y[i] = r[0]; }
}
CK_AVX2 static void silu_mul_avx2(const float *g, const float *u, float *y, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_mul_ps(silu256(_mm256_loadu_ps(g + i)), _mm256_loadu_ps(u + i)));
    for (; i < n; i++) { float e[8] = {0}; e[0] = g[i]; float r[8]; _mm256_storeu_ps(r, silu256(_mm256_loadu_ps(e))); y[i] = r[0] * u[i]; }
}
CK_AVX2 static void relu2_avx2(const float *x, const float *u, float *y, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 r = relu2_256(_mm256_loadu_ps(x + i));
        if (u) r = _mm256_mul_ps(r, _mm256_loadu_ps(u + i));
        _mm256_storeu_ps(y + i, r);
    }
    for (; i < n; i++) y[i] = u ? relu21(x[i]) * u[i] : relu21(x[i]);
}
#endif

void ck_silu(const float *x, float *y, size_t n) {
#if CK_X86
    if (ck_avx2()) { ck_count(K_ACT_AVX2); silu_avx2(x, y, n); return; }
#endif
    ck_count(K_ACT_SCALAR);
    for (size_t i = 0; i < n; i++) y[i] = silu1(x[i]);
}
void ck_silu_mul(const float *g, const float *u, float *y, size_t n) {
#if CK_X86
    if (ck_avx2()) { ck_count(K_ACT_AVX2); silu_mul_avx2(g, u, y, n); return; }
#endif
    ck_count(K_ACT_SCALAR);
    for (size_t i = 0; i < n; i++) y[i] = silu1(g[i]) * u[i];
}
void ck_relu2(const float *x, float *y, size_t n) {
#if CK_X86
    if (ck_avx2()) { ck_count(K_ACT_AVX2); relu2_avx2(x, NULL, y, n); return; }
#endif
    ck_count(K_ACT_SCALAR);
    for (size_t i = 0; i < n; i++) y[i] = relu21(x[i]);
}
void ck_relu2_mul(const float *g, const float *u, float *y, size_t n) {
#if CK_X86
    if (ck_avx2()) { ck_count(K_ACT_AVX2); relu2_avx2(g, u, y, n); return; }
#endif
    ck_count(K_ACT_SCALAR);
    for (size_t i = 0; i < n; i++) y[i] = relu21(g[i]) * u[i];
}

/* --------------------------------------------------- elementwise (exact ops) */
#if CK_X86
#define EW(NAME, EXPR_V, EXPR_S, ...)                                                        \
    CK_AVX2 static void NAME##_avx2(__VA_ARGS__, size_t n) {                                 \
        size_t i = 0;                                                                        \
        for (; i + 8 <= n; i += 8) { EXPR_V; }                                               \
        for (; i < n; i++) { EXPR_S; }                                                       \
    }
EW(mul, _mm256_storeu_ps(y + i, _mm256_mul_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i))), y[i] = a[i] * b[i],
   const float *a, const float *b, float *y)
EW(add, _mm256_storeu_ps(y + i, _mm256_add_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i))), y[i] = a[i] + b[i],
   const float *a, const float *b, float *y)
EW(scale, _mm256_storeu_ps(y + i, _mm256_mul_ps(_mm256_loadu_ps(y + i), _mm256_set1_ps(s))), y[i] *= s,
   float *y, float s)
EW(axpy, _mm256_storeu_ps(y + i, _mm256_add_ps(_mm256_loadu_ps(y + i), _mm256_mul_ps(_mm256_set1_ps(a), _mm256_loadu_ps(x + i)))),
   y[i] += a * x[i], float *y, float a, const float *x)
EW(axpy16, _mm256_storeu_ps(y + i, _mm256_add_ps(_mm256_loadu_ps(y + i), _mm256_mul_ps(_mm256_set1_ps(a), _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i)))))),
   y[i] += a * _cvtsh_ss(x[i]), float *y, float a, const uint16_t *x)
#define DISPATCH(call) if (ck_avx2()) { call; return; }
#else
#define DISPATCH(call)
#endif

void ck_mul_f32(const float *a, const float *b, float *y, size_t n) {
    DISPATCH(mul_avx2(a, b, y, n))
    for (size_t i = 0; i < n; i++) y[i] = a[i] * b[i];
}
void ck_add_f32(const float *a, const float *b, float *y, size_t n) {
    DISPATCH(add_avx2(a, b, y, n))
    for (size_t i = 0; i < n; i++) y[i] = a[i] + b[i];
}
void ck_scale_f32(float *y, float s, size_t n) {
    DISPATCH(scale_avx2(y, s, n))
    for (size_t i = 0; i < n; i++) y[i] *= s;
}
void ck_axpy_f32(float *y, float a, const float *x, size_t n) {
    DISPATCH(axpy_avx2(y, a, x, n))
    for (size_t i = 0; i < n; i++) y[i] += a * x[i];
}
void ck_axpy_f16(float *y, float a, const uint16_t *x, size_t n) {
    DISPATCH(axpy16_avx2(y, a, x, n))
    for (size_t i = 0; i < n; i++) y[i] += a * ck_f16_to_f32(x[i]);
}
