/* Float dots and gemv/gemm: F32, F16 (F16C), BF16 weights × F32 activations. */
#include "ck_internal.h"

/* Scalar references: products in float, sum in double (as ggml's scalar vec_dot_f16/f32), one rounding. */
static float dot_f32_ref(const float *a, const float *b, size_t n) {
    double s = 0; for (size_t i = 0; i < n; i++) s += (double)(a[i] * b[i]); return (float)s;
}
static float dot_f16_ref(const uint16_t *a, const float *b, size_t n) {
    double s = 0; for (size_t i = 0; i < n; i++) s += (double)(ck_f16_to_f32(a[i]) * b[i]); return (float)s;
}
static float dot_bf16_ref(const uint16_t *a, const float *b, size_t n) {
    double s = 0; for (size_t i = 0; i < n; i++) s += (double)(ck_bf16_to_f32(a[i]) * b[i]); return (float)s;
}

#if CK_X86
CK_AVX2 static inline __m256 ld_f32(const float *p) { return _mm256_loadu_ps(p); }
CK_AVX2 static inline __m256 ld_f16(const uint16_t *p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p)); }
CK_AVX2 static inline __m256 ld_bf16(const uint16_t *p) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p)), 16));
}
CK_AVX2 static inline float tail_f32(const float *a, const float *b, size_t i, size_t n) {
    float s = 0; for (; i < n; i++) s += a[i] * b[i]; return s;
}
CK_AVX2 static inline float tail_f16(const uint16_t *a, const float *b, size_t i, size_t n) {
    float s = 0; for (; i < n; i++) s += _cvtsh_ss(a[i]) * b[i]; return s;
}
CK_AVX2 static inline float tail_bf16(const uint16_t *a, const float *b, size_t i, size_t n) {
    float s = 0; for (; i < n; i++) s += ck_bf16_to_f32(a[i]) * b[i]; return s;
}

/* One row against x: 4 independent 8-lane FMA chains over 32 elements, then 8 at a time, then a scalar tail.
 * Rows are processed one after another (one sequential stream per thread: measured faster from DRAM than
 * interleaving 4 rows). */
#define ROW_KERNEL(NAME, T, LD, TAIL)                                                                       \
    CK_AVX2 static float NAME(const T *w, const float *x, size_t n) {                                      \
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;                                         \
        size_t i = 0;                                                                                       \
        for (; i + 32 <= n; i += 32) {                                                                      \
            _mm_prefetch((const char *)(w + i) + CK_STREAM_PREFETCH, _MM_HINT_T0);                          \
            if (sizeof(T) == 4) _mm_prefetch((const char *)(w + i) + CK_STREAM_PREFETCH + 64, _MM_HINT_T0); \
            a0 = _mm256_fmadd_ps(LD(w + i), _mm256_loadu_ps(x + i), a0);                                    \
            a1 = _mm256_fmadd_ps(LD(w + i + 8), _mm256_loadu_ps(x + i + 8), a1);                            \
            a2 = _mm256_fmadd_ps(LD(w + i + 16), _mm256_loadu_ps(x + i + 16), a2);                          \
            a3 = _mm256_fmadd_ps(LD(w + i + 24), _mm256_loadu_ps(x + i + 24), a3);                          \
        }                                                                                                   \
        for (; i + 8 <= n; i += 8) a0 = _mm256_fmadd_ps(LD(w + i), _mm256_loadu_ps(x + i), a0);             \
        return ck_hsum_f32_8(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3))) + TAIL(w, x, i, n); \
    }
ROW_KERNEL(row_f32, float, ld_f32, tail_f32)
ROW_KERNEL(row_f16, uint16_t, ld_f16, tail_f16)
ROW_KERNEL(row_bf16, uint16_t, ld_bf16, tail_bf16)

/* One row against T (<= 4) activation rows. */
CK_AVX2 static void toks_f16(const uint16_t *w, const float *x, size_t ldx, int T, size_t n, float *out, size_t ldo) {
    __m256 a[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 wv = ld_f16(w + i);
        for (int t = 0; t < 4; t++) {
            if (t >= T) break;
            a[t] = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + t * ldx + i), a[t]);
        }
    }
    for (int t = 0; t < T; t++) out[t * ldo] = ck_hsum_f32_8(a[t]) + tail_f16(w, x + t * ldx, i, n);
}
#endif

float ck_dot_f32(const float *a, const float *b, size_t n) {
#if CK_X86
    if (ck_avx2()) return row_f32(a, b, n);
#endif
    return dot_f32_ref(a, b, n);
}
float ck_dot_f16_f32(const uint16_t *a, const float *b, size_t n) {
#if CK_X86
    if (ck_avx2()) return row_f16(a, b, n);
#endif
#if defined(__aarch64__)
    if (ck_neon()) return ck_f16_row_neon(a, b, n);
#endif
    return dot_f16_ref(a, b, n);
}
float ck_dot_bf16_f32(const uint16_t *a, const float *b, size_t n) {
#if CK_X86
    if (ck_avx2()) return row_bf16(a, b, n);
#endif
    return dot_bf16_ref(a, b, n);
}

#if CK_X86
#define FGEMV_AVX2(ROW, KA)                                                                    \
    if (ck_avx2()) {                                                                           \
        ck_count(KA);                                                                          \
        for (size_t r = row0; r < row1; r++) out[r] = ROW(w + r * n, x, n);                    \
        return;                                                                                \
    }
#else
#define FGEMV_AVX2(ROW, KA)
#endif

void ck_f32_gemv(const float *w, size_t n, size_t row0, size_t row1, const float *x, float *out) {
    FGEMV_AVX2(row_f32, K_F32_GEMV_AVX2)
    ck_count(K_F32_GEMV_SCALAR);
    for (size_t r = row0; r < row1; r++) out[r] = dot_f32_ref(w + r * n, x, n);
}
void ck_f16_gemv(const uint16_t *w, size_t n, size_t row0, size_t row1, const float *x, float *out) {
    FGEMV_AVX2(row_f16, K_F16_GEMV_AVX2)
#if defined(__aarch64__)
    if (ck_neon()) {
        ck_count(K_F16_GEMV_NEON);
        for (size_t r = row0; r < row1; r++) out[r] = ck_f16_row_neon(w + r * n, x, n);
        return;
    }
#endif
    ck_count(K_F16_GEMV_SCALAR);
    for (size_t r = row0; r < row1; r++) out[r] = dot_f16_ref(w + r * n, x, n);
}
void ck_bf16_gemv(const uint16_t *w, size_t n, size_t row0, size_t row1, const float *x, float *out) {
    FGEMV_AVX2(row_bf16, K_BF16_GEMV_AVX2)
    ck_count(K_BF16_GEMV_SCALAR);
    for (size_t r = row0; r < row1; r++) out[r] = dot_bf16_ref(w + r * n, x, n);
}

void ck_f16_gemm(const uint16_t *w, size_t n, size_t row0, size_t row1, const float *x, size_t ldx, size_t ntok,
                 float *out, size_t ldo) {
#if CK_X86
    if (ck_avx2()) {
        ck_count(K_F16_GEMM_AVX2);
        for (size_t r = row0; r < row1; r++)
            for (size_t t = 0; t < ntok; t += 4) {
                int T = ntok - t >= 4 ? 4 : (int)(ntok - t);
                toks_f16(w + r * n, x + t * ldx, ldx, T, n, out + t * ldo + r, ldo);
            }
        return;
    }
#endif
#if defined(__aarch64__)
    if (ck_neon()) {
        ck_count(K_F16_GEMM_NEON);
        for (size_t r = row0; r < row1; r++)
            for (size_t t = 0; t < ntok; t++) out[t * ldo + r] = ck_f16_row_neon(w + r * n, x + t * ldx, n);
        return;
    }
#endif
    ck_count(K_F16_GEMM_SCALAR);
    for (size_t r = row0; r < row1; r++)
        for (size_t t = 0; t < ntok; t++) out[t * ldo + r] = dot_f16_ref(w + r * n, x + t * ldx, n);
}
