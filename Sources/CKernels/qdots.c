/* llama.cpp block-quant dots (Q8_0×Q8_0, Q4_0×Q8_0, Q4_1×Q8_1, Q6_K×Q8_K): integer part per block exact.
 * Q8_0×Q8_0 and Q4_1×Q8_1 round like ggml-cpu/arch/x86/quants.c (the AVX2 path llama.cpp's x86 builds take, with
 * or without AVX-512): eight float lanes, lane k holding the integer sum of elements 4k..4k+3 of each block,
 * acc_k = fma(d_x·d_y, lane_k, acc_k) block after block, then the hsum_float_8 tree ((a0+a4)+(a2+a6)) +
 * ((a1+a5)+(a3+a7)); Q4_1 adds Σ m·s (summed in block order) at the end. The portable and AVX2 paths give the
 * same bits. Q4_0 and Q6_K keep the order of the *_generic functions. */
#include "ck_internal.h"
#include <math.h>
#define F16(x) ck_f16_to_f32(x)

/* hsum_float_8 of ggml's x86 quants.c */
static inline float ck_x86_hsum8(const float a[8]) {
    return ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]));
}

static float q8_0_row(const ck_block_q8_0 *x, const ck_block_q8_0 *y, size_t nb) {
    float acc[8] = {0};
    for (size_t ib = 0; ib < nb; ib++) {
        const float d = F16(x[ib].d) * F16(y[ib].d);
        for (int k = 0; k < 8; k++) {
            int s = 0;
            for (int j = 4 * k; j < 4 * k + 4; j++) s += x[ib].qs[j] * y[ib].qs[j];
            acc[k] = fmaf(d, (float)s, acc[k]);
        }
    }
    return ck_x86_hsum8(acc);
}

static float q4_0_row(const ck_block_q4_0 *x, const ck_block_q8_0 *y, size_t nb) {
    float sumf = 0;
    for (size_t ib = 0; ib < nb; ib++) {
        int s0 = 0, s1 = 0;
        for (int j = 0; j < 16; j++) {
            s0 += ((x[ib].qs[j] & 0x0F) - 8) * y[ib].qs[j];
            s1 += ((x[ib].qs[j] >> 4) - 8) * y[ib].qs[j + 16];
        }
        sumf += (s0 + s1) * F16(x[ib].d) * F16(y[ib].d);
    }
    return sumf;
}

static float q4_1_row(const ck_block_q4_1 *x, const ck_block_q8_1 *y, size_t nb) {
    float acc[8] = {0}, summs = 0;
    for (size_t ib = 0; ib < nb; ib++) {
        summs += F16(x[ib].m) * F16(y[ib].s);
        const float d = F16(x[ib].d) * F16(y[ib].d);
        for (int k = 0; k < 8; k++) { /* lanes 0-3: low nibbles of qs[4k..], lanes 4-7: high nibbles */
            int s = 0;
            for (int j = 0; j < 4; j++) {
                const int e = 4 * (k & 3) + j;
                const int u = k < 4 ? (x[ib].qs[e] & 0x0F) : (x[ib].qs[e] >> 4);
                s += u * y[ib].qs[4 * k + j];
            }
            acc[k] = fmaf(d, (float)s, acc[k]);
        }
    }
    return ck_x86_hsum8(acc) + summs;
}

static float q6_K_row(const ck_block_q6_K *x, const ck_block_q8_K *y, size_t nb) {
    int8_t aux8[256];
    int32_t aux32[8];
    float sums[8] = {0};
    for (size_t i = 0; i < nb; i++) {
        const uint8_t *q4 = x[i].ql, *qh = x[i].qh;
        const int8_t *q8 = y[i].qs;
        int8_t *a = aux8;
        memset(aux32, 0, sizeof aux32);
        for (int j = 0; j < 256; j += 128) {
            for (int l = 0; l < 32; l++) {
                a[l + 0] = (int8_t)((q4[l + 0] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                a[l + 32] = (int8_t)((q4[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                a[l + 64] = (int8_t)((q4[l + 0] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                a[l + 96] = (int8_t)((q4[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
            }
            a += 128; q4 += 64; qh += 32;
        }
        a = aux8;
        for (int j = 0; j < 16; j++) {
            const int scale = x[i].scales[j];
            for (int l = 0; l < 8; l++) aux32[l] += scale * (int16_t)(q8[l] * a[l]);
            for (int l = 0; l < 8; l++) aux32[l] += scale * (int16_t)(q8[l + 8] * a[l + 8]);
            q8 += 16; a += 16;
        }
        const float d = F16(x[i].d) * y[i].d;
        for (int l = 0; l < 8; l++) sums[l] += d * aux32[l];
    }
    float sumf = 0;
    for (int l = 0; l < 8; l++) sumf += sums[l];
    return sumf;
}

#if CK_X86
CK_AVX2 static inline __m256i load_nibbles(const uint8_t *qs) { /* [lo nibbles (16), hi nibbles (16)] */
    __m128i v = _mm_loadu_si128((const __m128i *)qs);
    __m256i t = _mm256_inserti128_si256(_mm256_castsi128_si256(v), _mm_srli_epi16(v, 4), 1);
    return _mm256_and_si256(t, _mm256_set1_epi8(0x0F));
}
CK_AVX2 static inline int32_t udot32(__m256i u, const int8_t *s) { /* Σ u·s, u in [0,15] or [0,255]·small */
    __m256i p = _mm256_maddubs_epi16(u, _mm256_loadu_si256((const __m256i *)s));
    return ck_hsum_i32_8(_mm256_madd_epi16(p, _mm256_set1_epi16(1)));
}

#define F16C(x) _cvtsh_ss(x) /* F16C: the same value as ck_f16_to_f32 */

/* Per-block integer sums of 8 blocks gathered into one vector (lane i = block i), so the float part can be done
 * 8 blocks at a time with the generic code's exact operations, then added to sumf in block order. */
CK_AVX2 static inline __m256i reduce8(const __m256i v[8]) {
    const __m256i h01 = _mm256_hadd_epi32(v[0], v[1]), h23 = _mm256_hadd_epi32(v[2], v[3]);
    const __m256i h45 = _mm256_hadd_epi32(v[4], v[5]), h67 = _mm256_hadd_epi32(v[6], v[7]);
    const __m256i a = _mm256_hadd_epi32(h01, h23), b = _mm256_hadd_epi32(h45, h67);
    return _mm256_add_epi32(_mm256_permute2x128_si256(a, b, 0x20), _mm256_permute2x128_si256(a, b, 0x31));
}
CK_AVX2 static inline float add8_in_order(float sumf, __m256 p) {
    float t[8];
    _mm256_storeu_ps(t, p);
    for (int i = 0; i < 8; i++) sumf += t[i];
    return sumf;
}
/* exact Σ a·b for 32 int8 pairs, as 8 int32 partial sums */
CK_AVX2 static inline __m256i dot_i8_32(const int8_t *a8, const int8_t *b8) {
    const __m256i a = _mm256_loadu_si256((const __m256i *)a8), b = _mm256_loadu_si256((const __m256i *)b8);
    const __m256i lo = _mm256_madd_epi16(_mm256_cvtepi8_epi16(_mm256_castsi256_si128(a)),
                                         _mm256_cvtepi8_epi16(_mm256_castsi256_si128(b)));
    const __m256i hi = _mm256_madd_epi16(_mm256_cvtepi8_epi16(_mm256_extracti128_si256(a, 1)),
                                         _mm256_cvtepi8_epi16(_mm256_extracti128_si256(b, 1)));
    return _mm256_add_epi32(lo, hi);
}
/* Σ u·s for 32 pairs with u in [0, 15] (any int8 s): 8 int32 partial sums */
CK_AVX2 static inline __m256i dot_u4_32(__m256i u, const int8_t *s8) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, _mm256_loadu_si256((const __m256i *)s8)), _mm256_set1_epi16(1));
}

CK_AVX2 static inline float x86_hsum8_avx2(__m256 v) {
    float t[8];
    _mm256_storeu_ps(t, v);
    return ck_x86_hsum8(t);
}

CK_AVX2 static float q8_0_row_avx2(const ck_block_q8_0 *x, const ck_block_q8_0 *y, size_t nb) {
    __m256 acc = _mm256_setzero_ps();
    const __m256i ones = _mm256_set1_epi16(1);
    for (size_t ib = 0; ib < nb; ib++) {
        const __m256 d = _mm256_set1_ps(F16C(x[ib].d) * F16C(y[ib].d));
        const __m256i qx = _mm256_loadu_si256((const __m256i *)x[ib].qs);
        const __m256i qy = _mm256_loadu_si256((const __m256i *)y[ib].qs);
        const __m256i p = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_sign_epi8(qx, qx), _mm256_sign_epi8(qy, qx)), ones);
        acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(p), acc);
    }
    return x86_hsum8_avx2(acc);
}

CK_AVX2 static float q4_0_row_avx2(const ck_block_q4_0 *x, const ck_block_q8_0 *y, size_t nb) {
    float sumf = 0;
    const __m256i one = _mm256_set1_epi8(1), eight = _mm256_set1_epi32(8);
    size_t ib = 0;
    for (; ib + 8 <= nb; ib += 8) {
        __m256i v[8];
        float dx[8], dy[8];
        for (int i = 0; i < 8; i++) { /* Σ (n − 8)·y = Σ n·y − 8·Σ y */
            v[i] = _mm256_sub_epi32(dot_u4_32(load_nibbles(x[ib + i].qs), y[ib + i].qs),
                                    _mm256_mullo_epi32(eight, dot_u4_32(one, y[ib + i].qs)));
            dx[i] = F16C(x[ib + i].d);
            dy[i] = F16C(y[ib + i].d);
        }
        const __m256 p = _mm256_mul_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(reduce8(v)), _mm256_loadu_ps(dx)),
                                       _mm256_loadu_ps(dy));
        sumf = add8_in_order(sumf, p);
    }
    for (; ib < nb; ib++) {
        int sn = udot32(load_nibbles(x[ib].qs), y[ib].qs), sy = udot32(one, y[ib].qs);
        sumf += (sn - 8 * sy) * F16C(x[ib].d) * F16C(y[ib].d);
    }
    return sumf;
}

CK_AVX2 static float q4_1_row_avx2(const ck_block_q4_1 *x, const ck_block_q8_1 *y, size_t nb) {
    __m256 acc = _mm256_setzero_ps();
    float summs = 0;
    for (size_t ib = 0; ib < nb; ib++) {
        summs += F16C(x[ib].m) * F16C(y[ib].s);
        const __m256 d = _mm256_set1_ps(F16C(x[ib].d) * F16C(y[ib].d));
        acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(dot_u4_32(load_nibbles(x[ib].qs), y[ib].qs)), acc);
    }
    return x86_hsum8_avx2(acc) + summs;
}

CK_AVX2 static float q6_K_row_avx2(const ck_block_q6_K *x, const ck_block_q8_K *y, size_t nb) {
    const __m256i m4 = _mm256_set1_epi8(0x0F), m2 = _mm256_set1_epi8(3), off = _mm256_set1_epi8(32);
    __m256 sums = _mm256_setzero_ps();
    for (size_t i = 0; i < nb; i++) {
        __m256i a[8];
        for (int h = 0; h < 2; h++) {
            const uint8_t *ql = x[i].ql + 64 * h, *qh = x[i].qh + 32 * h;
            __m256i la = _mm256_loadu_si256((const __m256i *)ql), lb = _mm256_loadu_si256((const __m256i *)(ql + 32));
            __m256i hv = _mm256_loadu_si256((const __m256i *)qh);
#define HB(k) _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hv, k), m2), 4)
            a[4 * h + 0] = _mm256_sub_epi8(_mm256_or_si256(_mm256_and_si256(la, m4), HB(0)), off);
            a[4 * h + 1] = _mm256_sub_epi8(_mm256_or_si256(_mm256_and_si256(lb, m4), HB(2)), off);
            a[4 * h + 2] = _mm256_sub_epi8(_mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(la, 4), m4), HB(4)), off);
            a[4 * h + 3] = _mm256_sub_epi8(_mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(lb, 4), m4), HB(6)), off);
#undef HB
        }
        __m256i acc = _mm256_setzero_si256();
        for (int k = 0; k < 8; k++) { /* 32 elements = groups 2k, 2k+1 */
            __m256i q = _mm256_loadu_si256((const __m256i *)(y[i].qs + 32 * k));
            __m256i plo = _mm256_mullo_epi16(_mm256_cvtepi8_epi16(_mm256_castsi256_si128(a[k])),
                                             _mm256_cvtepi8_epi16(_mm256_castsi256_si128(q)));
            __m256i phi = _mm256_mullo_epi16(_mm256_cvtepi8_epi16(_mm256_extracti128_si256(a[k], 1)),
                                             _mm256_cvtepi8_epi16(_mm256_extracti128_si256(q, 1)));
            __m256i g0 = _mm256_add_epi32(_mm256_cvtepi16_epi32(_mm256_castsi256_si128(plo)),
                                          _mm256_cvtepi16_epi32(_mm256_extracti128_si256(plo, 1)));
            __m256i g1 = _mm256_add_epi32(_mm256_cvtepi16_epi32(_mm256_castsi256_si128(phi)),
                                          _mm256_cvtepi16_epi32(_mm256_extracti128_si256(phi, 1)));
            acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(g0, _mm256_set1_epi32(x[i].scales[2 * k])));
            acc = _mm256_add_epi32(acc, _mm256_mullo_epi32(g1, _mm256_set1_epi32(x[i].scales[2 * k + 1])));
        }
        const float d = F16C(x[i].d) * y[i].d;
        sums = _mm256_add_ps(sums, _mm256_mul_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(acc)));
    }
    float s8[8], sumf = 0;
    _mm256_storeu_ps(s8, sums);
    for (int l = 0; l < 8; l++) sumf += s8[l];
    return sumf;
}
#define QAVX2(f) if (ck_avx2()) { ck_count(KA); for (size_t r = row0; r < row1; r++) out[r] = f(w + r * nb, y, nb); return; }
#else
#define QAVX2(f)
#endif

#define QGEMV(NAME, WB, YB, QK, ROW, KS, KAV)                                                           \
    void ck_##NAME##_gemv(const WB *w, size_t n, size_t row0, size_t row1, const YB *y, float *out) {   \
        const size_t nb = n / QK;                                                                       \
        enum { KA = KAV };                                                                              \
        QAVX2(ROW##_avx2)                                                                               \
        ck_count(KS);                                                                                   \
        for (size_t r = row0; r < row1; r++) out[r] = ROW(w + r * nb, y, nb);                           \
    }
QGEMV(q8_0_q8_0, ck_block_q8_0, ck_block_q8_0, 32, q8_0_row, K_Q8_0_SCALAR, K_Q8_0_AVX2)
QGEMV(q4_0_q8_0, ck_block_q4_0, ck_block_q8_0, 32, q4_0_row, K_Q4_0_SCALAR, K_Q4_0_AVX2)
QGEMV(q4_1_q8_1, ck_block_q4_1, ck_block_q8_1, 32, q4_1_row, K_Q4_1_SCALAR, K_Q4_1_AVX2)
QGEMV(q6_K_q8_K, ck_block_q6_K, ck_block_q8_K, 256, q6_K_row, K_Q6_K_SCALAR, K_Q6_K_AVX2)
