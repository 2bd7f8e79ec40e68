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

/* R rows (<= 4) of weights against one x: 32 lanes... per row 2×8 lanes, x loads shared. */
#define ROWS_KERNEL(NAME, T, LD, TAIL)                                                                      \
    CK_AVX2 static void NAME(const T *w, size_t ldw, int R, const float *x, size_t n, float *out, size_t os) { \
        __m256 a[4][2];                                                                                     \
        for (int r = 0; r < 4; r++) a[r][0] = a[r][1] = _mm256_setzero_ps();                                \
        size_t i = 0;                                                                                       \
        for (; i + 16 <= n; i += 16) {                                                                      \
            const __m256 x0 = _mm256_loadu_ps(x + i), x1 = _mm256_loadu_ps(x + i + 8);                     \
            for (int r = 0; r < 4; r++) {                                                                   \
                if (r >= R) break;                                                                          \
                a[r][0] = _mm256_fmadd_ps(LD(w + r * ldw + i), x0, a[r][0]);                                \
                a[r][1] = _mm256_fmadd_ps(LD(w + r * ldw + i + 8), x1, a[r][1]);                            \
            }                                                                                               \
        }                                                                                                   \
        for (int r = 0; r < R; r++)                                                                         \
            out[r * os] = ck_hsum_f32_8(_mm256_add_ps(a[r][0], a[r][1])) + TAIL(w + r * ldw, x, i, n);      \
    }
ROWS_KERNEL(rows_f32, float, ld_f32, tail_f32)
ROWS_KERNEL(rows_f16, uint16_t, ld_f16, tail_f16)
ROWS_KERNEL(rows_bf16, uint16_t, ld_bf16, tail_bf16)

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
    if (ck_avx2()) { float r; rows_f32(a, 0, 1, b, n, &r, 1); return r; }
#endif
    return dot_f32_ref(a, b, n);
}
float ck_dot_f16_f32(const uint16_t *a, const float *b, size_t n) {
#if CK_X86
    if (ck_avx2()) { float r; rows_f16(a, 0, 1, b, n, &r, 1); return r; }
#endif
    return dot_f16_ref(a, b, n);
}
float ck_dot_bf16_f32(const uint16_t *a, const float *b, size_t n) {
#if CK_X86
    if (ck_avx2()) { float r; rows_bf16(a, 0, 1, b, n, &r, 1); return r; }
#endif
    return dot_bf16_ref(a, b, n);
}

#if CK_X86
#define FGEMV_AVX2(ROWS, KA)                                                                   \
    if (ck_avx2()) {                                                                           \
        ck_count(KA);                                                                          \
        for (size_t r = row0; r < row1; r += 4) {                                              \
            int R = row1 - r >= 4 ? 4 : (int)(row1 - r);                                       \
            ROWS(w + r * n, n, R, x, n, out + r, 1);                                           \
        }                                                                                      \
        return;                                                                                \
    }
#else
#define FGEMV_AVX2(ROWS, KA)
#endif

void ck_f32_gemv(const float *w, size_t n, size_t row0, size_t row1, const float *x, float *out) {
    FGEMV_AVX2(rows_f32, K_F32_GEMV_AVX2)
    ck_count(K_F32_GEMV_SCALAR);
    for (size_t r = row0; r < row1; r++) out[r] = dot_f32_ref(w + r * n, x, n);
}
void ck_f16_gemv(const uint16_t *w, size_t n, size_t row0, size_t row1, const float *x, float *out) {
    FGEMV_AVX2(rows_f16, K_F16_GEMV_AVX2)
    ck_count(K_F16_GEMV_SCALAR);
    for (size_t r = row0; r < row1; r++) out[r] = dot_f16_ref(w + r * n, x, n);
}
void ck_bf16_gemv(const uint16_t *w, size_t n, size_t row0, size_t row1, const float *x, float *out) {
    FGEMV_AVX2(rows_bf16, K_BF16_GEMV_AVX2)
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
    ck_count(K_F16_GEMM_SCALAR);
    for (size_t r = row0; r < row1; r++)
        for (size_t t = 0; t < ntok; t++) out[t * ldo + r] = dot_f16_ref(w + r * n, x + t * ldx, n);
}
