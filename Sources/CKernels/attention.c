/* Causal grouped-query attention over the f16 KV cache with the engine's exact numerics (see ckernels.h,
 * "graph ops"): llamafile tinyBLAS's 16-lane dot or ggml_vec_dot_f16's 64-lane dot, each lane accumulated with
 * fused multiply-adds in element order, then the _mm512_reduce_add_ps tree. The AVX2 path keeps 16 lanes in two
 * ymm registers (64 in eight); both paths give identical bits. */
#include "ck_internal.h"
#include <math.h>

static inline float a_reduce16(const float *l) {
    float a[8];
    for (int i = 0; i < 8; i++) a[i] = l[i] + l[i + 8];
    const float b0 = a[0] + a[4], b1 = a[1] + a[5], b2 = a[2] + a[6], b3 = a[3] + a[7];
    return (b0 + b2) + (b1 + b3);
}

/* ------------------------------------------------------------ portable dots */
static float dot16_portable(const float *a, const float *b, size_t n) {
    float l[16] = {0};
    for (size_t k = 0; k < n; k += 16)
        for (size_t i = 0; i < 16 && k + i < n; i++) l[i] = fmaf(a[k + i], b[k + i], l[i]);
    return a_reduce16(l);
}

static float vdot_portable(const float *a, const float *b, size_t n, int padded) {
    float acc[64] = {0};
    const size_t np = padded ? (n + 63) / 64 * 64 : n / 64 * 64;
    for (size_t s = 0; s < np; s += 64)
        for (size_t e = s; e < s + 64 && e < n; e++) acc[e - s] = fmaf(a[e], b[e], acc[e - s]);
    for (int l = 0; l < 16; l++) acc[l] = (acc[l] + acc[32 + l]) + (acc[16 + l] + acc[48 + l]);
    double sum = (double)a_reduce16(acc);
    for (size_t e = np; e < n; e++) sum += (double)(a[e] * b[e]);
    return (float)sum;
}

static void round16_portable(const float *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = ck_f16_to_f32(ck_f32_to_f16(x[i]));
}

static void widen_portable(const uint16_t *x, float *y, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = ck_f16_to_f32(x[i]);
}

static void axpy_portable(float *acc, const float *v, float p, size_t n) {
    for (size_t d = 0; d < n; d++) acc[d] = fmaf(v[d], p, acc[d]);
}

/* ---------------------------------------------------------------- AVX2 dots */
#if CK_X86
/* Lanes i < r of an 8-lane group. */
CK_AVX2 static inline __m256i lanes_below(long r) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)r), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* acc = fma(a, b, acc) on the first r lanes (r may be >= 8: all lanes, or <= 0: none), the others kept. */
CK_AVX2 static inline __m256 fma_part(const float *a, const float *b, long r, __m256 acc) {
    if (r >= 8) return _mm256_fmadd_ps(_mm256_loadu_ps(a), _mm256_loadu_ps(b), acc);
    if (r <= 0) return acc;
    const __m256i m = lanes_below(r);
    const __m256 f = _mm256_fmadd_ps(_mm256_maskload_ps(a, m), _mm256_maskload_ps(b, m), acc);
    return _mm256_blendv_ps(acc, f, _mm256_castsi256_ps(m));
}

CK_AVX2 static float dot16_avx2(const float *a, const float *b, size_t n) {
    __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps();
    size_t k = 0;
    for (; k + 16 <= n; k += 16) {
        c0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k), c0);
        c1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k + 8), _mm256_loadu_ps(b + k + 8), c1);
    }
    if (k < n) {
        const long r = (long)(n - k);
        c0 = fma_part(a + k, b + k, r, c0);
        c1 = fma_part(a + k + 8, b + k + 8, r - 8, c1);
    }
    return ck_hsum_f32_8(_mm256_add_ps(c0, c1));   /* lanes l + l+8, then the 8-lane tree = reduce16 */
}

CK_AVX2 static float vdot_avx2(const float *a, const float *b, size_t n, int padded) {
    __m256 c[8];
    for (int j = 0; j < 8; j++) c[j] = _mm256_setzero_ps();
    const size_t np = padded ? (n + 63) / 64 * 64 : n / 64 * 64;
    for (size_t s = 0; s < np; s += 64) {
        if (s + 64 <= n) {
            for (int j = 0; j < 8; j++) c[j] = _mm256_fmadd_ps(_mm256_loadu_ps(a + s + 8 * j), _mm256_loadu_ps(b + s + 8 * j), c[j]);
        } else {
            for (int j = 0; j < 8; j++) c[j] = fma_part(a + s + 8 * j, b + s + 8 * j, (long)n - (long)(s + 8 * j), c[j]);
        }
    }
    /* lane l < 16 of the 64: (acc[l] + acc[32+l]) + (acc[16+l] + acc[48+l]); registers hold lanes 8j..8j+7 */
    const __m256 lo = _mm256_add_ps(_mm256_add_ps(c[0], c[4]), _mm256_add_ps(c[2], c[6]));
    const __m256 hi = _mm256_add_ps(_mm256_add_ps(c[1], c[5]), _mm256_add_ps(c[3], c[7]));
    double sum = (double)ck_hsum_f32_8(_mm256_add_ps(lo, hi));
    for (size_t e = np; e < n; e++) sum += (double)(a[e] * b[e]);
    return (float)sum;
}

CK_AVX2 static void round16_avx2(const float *x, float *y, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_cvtph_ps(_mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)));
    for (; i < n; i++) y[i] = ck_f16_to_f32(ck_f32_to_f16(x[i]));
}

CK_AVX2 static void widen_avx2(const uint16_t *x, float *y, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i))));
    for (; i < n; i++) y[i] = ck_f16_to_f32(x[i]);
}

#endif

float ck_g_dot16(const float *a, const float *b, size_t n) {
#if CK_X86
    if (ck_avx2()) return dot16_avx2(a, b, n);
#endif
    return dot16_portable(a, b, n);
}

float ck_g_vec_dot_f16(const float *a, const float *b, size_t n, int padded) {
#if CK_X86
    if (ck_avx2()) return vdot_avx2(a, b, n, padded);
#endif
    return vdot_portable(a, b, n, padded);
}

/* ---------------------------------------------------------------- attention */
size_t ck_g_attention_scratch_floats(size_t max_positions, size_t n_head, size_t n_head_kv, size_t head_dim) {
    const size_t group = n_head_kv ? n_head / n_head_kv : 1;
    return group * max_positions + group * head_dim + head_dim + group * 64 * head_dim;
}

/* The query heads h0..h0+group of one kv head. Per position the key and value rows are widened once and used by
 * every query head of the group. V·p runs transposed: lane l of output d accumulates v[t][d]·p[t] for t ≡ l
 * (mod lanes) in t order, i.e. the same fused multiply-adds as the dot over t, vectorized over d. */
#define ATTN_BODY(DOT16, VDOT, WIDEN, ROUND16, VPASS)                                                      \
    const size_t group = n_head / n_head_kv, hd = head_dim, n = n_pos;                                    \
    const float scale = 1.0f / sqrtf((float)hd);                                                          \
    const size_t L = vecdot ? 64 : 16;                                                                    \
    float *scores = scratch, *q16 = scores + group * n, *row = q16 + group * hd, *acc = row + hd;         \
    for (size_t kvh = 0; kvh < n_head_kv; kvh++) {                                                        \
        const size_t h0 = kvh * group;                                                                    \
        ROUND16(q + h0 * hd, q16, group * hd);                                                            \
        for (size_t t = 0; t < n; t++) {                                                                  \
            WIDEN(keys + t * kv_stride + kvh * hd, row, hd);                                              \
            for (size_t g = 0; g < group; g++)                                                            \
                scores[g * n + t] = (vecdot ? VDOT(row, q16 + g * hd, hd, 0) : DOT16(row, q16 + g * hd, hd)) * scale; \
        }                                                                                                 \
        for (size_t g = 0; g < group; g++) {                                                              \
            ck_g_softmax(scores + g * n, n);                                                              \
            ROUND16(scores + g * n, scores + g * n, n);                                                   \
        }                                                                                                 \
        VPASS(values + kvh * hd, kv_stride, hd, n, group, L, scores, acc, row);                           \
        for (size_t g = 0; g < group; g++) {                                                              \
            float *a = acc + g * L * hd, *o = out + (h0 + g) * hd;                                        \
            if (vecdot)                                                                                   \
                for (size_t l = 0; l < 16; l++)                                                           \
                    for (size_t d = 0; d < hd; d++)                                                       \
                        a[l * hd + d] = (a[l * hd + d] + a[(32 + l) * hd + d]) + (a[(16 + l) * hd + d] + a[(48 + l) * hd + d]); \
            for (size_t d = 0; d < hd; d++) {                                                             \
                float s0 = a[0 * hd + d] + a[8 * hd + d], s1 = a[1 * hd + d] + a[9 * hd + d];             \
                float s2 = a[2 * hd + d] + a[10 * hd + d], s3 = a[3 * hd + d] + a[11 * hd + d];           \
                float s4 = a[4 * hd + d] + a[12 * hd + d], s5 = a[5 * hd + d] + a[13 * hd + d];           \
                float s6 = a[6 * hd + d] + a[14 * hd + d], s7 = a[7 * hd + d] + a[15 * hd + d];           \
                const float b0 = s0 + s4, b1 = s1 + s5, b2 = s2 + s6, b3 = s3 + s7;                       \
                o[d] = (b0 + b2) + (b1 + b3);                                                             \
            }                                                                                             \
        }                                                                                                 \
    }

/* V·p of one kv head's group: acc slot (g, l) = Σ_{t ≡ l mod L, t ascending} v[t]·p_g[t], one fused multiply-add per
 * term from +0 (slots no position reaches stay 0). The portable pass widens each value row once for the group and
 * adds it into the slots in memory; the AVX2 pass keeps one slot's 64 outputs in registers over its positions and
 * widens on the fly: the same operations on the same values in the same order, so the same bits. */
static void vpass_portable(const uint16_t *values, size_t kv_stride, size_t hd, size_t n, size_t group, size_t L,
                           const float *scores, float *acc, float *row) {
    memset(acc, 0, group * L * hd * sizeof(float));
    for (size_t t = 0; t < n; t++) {
        widen_portable(values + t * kv_stride, row, hd);
        for (size_t g = 0; g < group; g++) axpy_portable(acc + (g * L + t % L) * hd, row, scores[g * n + t], hd);
    }
}

static void attn_portable(const float *q, const uint16_t *keys, const uint16_t *values, size_t n_pos,
                          size_t kv_stride, size_t n_head, size_t n_head_kv, size_t head_dim, int vecdot,
                          float *out, float *scratch) {
    ATTN_BODY(dot16_portable, vdot_portable, widen_portable, round16_portable, vpass_portable)
}

#if CK_X86
#define V8(d) _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(v + (d))))
CK_AVX2 static void vpass_avx2(const uint16_t *values, size_t kv_stride, size_t hd, size_t n, size_t group, size_t L,
                               const float *scores, float *acc, float *row) {
    (void)row;
    for (size_t g = 0; g < group; g++) {
        const float *p = scores + g * n;
        for (size_t l = 0; l < L; l++) {
            float *a = acc + (g * L + l) * hd;
            if (l >= n) { memset(a, 0, hd * sizeof(float)); continue; }
            size_t d = 0;
            for (; d + 64 <= hd; d += 64) {
                __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
                for (size_t t = l; t < n; t += L) {
                    const uint16_t *v = values + t * kv_stride + d;
                    const __m256 pt = _mm256_set1_ps(p[t]);
                    s0 = _mm256_fmadd_ps(V8(0), pt, s0);  s1 = _mm256_fmadd_ps(V8(8), pt, s1);
                    s2 = _mm256_fmadd_ps(V8(16), pt, s2); s3 = _mm256_fmadd_ps(V8(24), pt, s3);
                    s4 = _mm256_fmadd_ps(V8(32), pt, s4); s5 = _mm256_fmadd_ps(V8(40), pt, s5);
                    s6 = _mm256_fmadd_ps(V8(48), pt, s6); s7 = _mm256_fmadd_ps(V8(56), pt, s7);
                }
                _mm256_storeu_ps(a + d, s0);      _mm256_storeu_ps(a + d + 8, s1);
                _mm256_storeu_ps(a + d + 16, s2); _mm256_storeu_ps(a + d + 24, s3);
                _mm256_storeu_ps(a + d + 32, s4); _mm256_storeu_ps(a + d + 40, s5);
                _mm256_storeu_ps(a + d + 48, s6); _mm256_storeu_ps(a + d + 56, s7);
            }
            for (; d + 8 <= hd; d += 8) {
                __m256 s0 = _mm256_setzero_ps();
                for (size_t t = l; t < n; t += L) {
                    const uint16_t *v = values + t * kv_stride + d;
                    s0 = _mm256_fmadd_ps(V8(0), _mm256_set1_ps(p[t]), s0);
                }
                _mm256_storeu_ps(a + d, s0);
            }
            for (; d < hd; d++) {
                float s0 = 0.0f;
                for (size_t t = l; t < n; t += L) s0 = fmaf(ck_f16_to_f32(values[t * kv_stride + d]), p[t], s0);
                a[d] = s0;
            }
        }
    }
}
#undef V8

CK_AVX2 static void attn_avx2(const float *q, const uint16_t *keys, const uint16_t *values, size_t n_pos,
                              size_t kv_stride, size_t n_head, size_t n_head_kv, size_t head_dim, int vecdot,
                              float *out, float *scratch) {
    ATTN_BODY(dot16_avx2, vdot_avx2, widen_avx2, round16_avx2, vpass_avx2)
}
#endif

void ck_g_attention(const float *q, const uint16_t *keys, const uint16_t *values, size_t n_pos, size_t kv_stride,
                    size_t n_head, size_t n_head_kv, size_t head_dim, int vecdot, float *out, float *scratch) {
    if (n_pos == 0 || n_head_kv == 0 || head_dim == 0) return;
#if CK_X86
    if (ck_avx2()) { ck_count(K_G_ATTN_AVX2); attn_avx2(q, keys, values, n_pos, kv_stride, n_head, n_head_kv, head_dim, vecdot, out, scratch); return; }
#endif
    ck_count(K_G_ATTN_SCALAR);
    attn_portable(q, keys, values, n_pos, kv_stride, n_head, n_head_kv, head_dim, vecdot, out, scratch);
}

/* ------------------------------------------------------------- KV cache */
void ck_g_kv_store(const float *k, const float *v, uint16_t *kdst, uint16_t *vdst, size_t n) {
    ck_f32_to_f16_row(k, kdst, n);
    ck_f32_to_f16_row(v, vdst, n);
}
