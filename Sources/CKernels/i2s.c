/* I2_S (bitnet.cpp) ternary rows × per-token int8 activations.
 * Block of 128 weights = 32 bytes; byte j holds weights j, j+32, j+64, j+96 in bits 7:6, 5:4, 3:2, 1:0. */
#include "ck_internal.h"

static int32_t i2s_row_scalar(const uint8_t *w, const int8_t *q, size_t n) {
    int32_t sum = 0;
    for (size_t b = 0; b < n / CK_QK_I2S; b++) {
        const uint8_t *wb = w + b * 32;
        const int8_t *qb = q + b * CK_QK_I2S;
        for (int j = 0; j < 32; j++) {
            const uint8_t v = wb[j];
            sum += (v >> 6) * qb[j] + ((v >> 4) & 3) * qb[j + 32] + ((v >> 2) & 3) * qb[j + 64] + (v & 3) * qb[j + 96];
        }
    }
    return sum;
}

#if CK_X86
/* int16 partial sums: one block adds at most 4 · 2 · 3 · 128 = 3072 per lane, so 8 blocks stay below 2^15. */
#define I2S_FLUSH 8

#define I2S_DECODE(x, c0, c1, c2, c3)                       \
    __m256i c0 = _mm256_and_si256(_mm256_srli_epi16(x, 6), m3); \
    __m256i c1 = _mm256_and_si256(_mm256_srli_epi16(x, 4), m3); \
    __m256i c2 = _mm256_and_si256(_mm256_srli_epi16(x, 2), m3); \
    __m256i c3 = _mm256_and_si256(x, m3)

#define I2S_MADD(c0, c1, c2, c3, qb)                                                             \
    _mm256_add_epi16(                                                                            \
        _mm256_add_epi16(_mm256_maddubs_epi16(c0, _mm256_loadu_si256((const __m256i *)(qb))),        \
                         _mm256_maddubs_epi16(c1, _mm256_loadu_si256((const __m256i *)(qb + 32)))),  \
        _mm256_add_epi16(_mm256_maddubs_epi16(c2, _mm256_loadu_si256((const __m256i *)(qb + 64))),   \
                         _mm256_maddubs_epi16(c3, _mm256_loadu_si256((const __m256i *)(qb + 96)))))

/* One row against one activation row. Rows are processed one after the other, so each thread reads one
 * sequential stream (interleaving several rows measured slower from DRAM: the prefetchers lose track). */
CK_AVX2 static int32_t i2s_row_avx2(const uint8_t *w, const int8_t *q, size_t nb) {
    const __m256i m3 = _mm256_set1_epi8(3), ones = _mm256_set1_epi16(1);
    __m256i acc = _mm256_setzero_si256();
    for (size_t b0 = 0; b0 < nb; b0 += I2S_FLUSH) {
        const size_t be = b0 + I2S_FLUSH < nb ? b0 + I2S_FLUSH : nb;
        __m256i s = _mm256_setzero_si256(), t = s; /* two chains; each adds <= 1536 per block and lane */
        for (size_t b = b0; b < be; b++) {
            if (!(b & 1)) _mm_prefetch((const char *)(w + b * 32) + CK_STREAM_PREFETCH, _MM_HINT_T0);
            __m256i x = _mm256_loadu_si256((const __m256i *)(w + b * 32));
            I2S_DECODE(x, c0, c1, c2, c3);
            const int8_t *qb = q + b * CK_QK_I2S;
            s = _mm256_add_epi16(s, _mm256_add_epi16(
                    _mm256_maddubs_epi16(c0, _mm256_loadu_si256((const __m256i *)qb)),
                    _mm256_maddubs_epi16(c1, _mm256_loadu_si256((const __m256i *)(qb + 32)))));
            t = _mm256_add_epi16(t, _mm256_add_epi16(
                    _mm256_maddubs_epi16(c2, _mm256_loadu_si256((const __m256i *)(qb + 64))),
                    _mm256_maddubs_epi16(c3, _mm256_loadu_si256((const __m256i *)(qb + 96)))));
        }
        acc = _mm256_add_epi32(acc, _mm256_add_epi32(_mm256_madd_epi16(s, ones), _mm256_madd_epi16(t, ones)));
    }
    return ck_hsum_i32_8(acc);
}

/* Software prefetch CK_STREAM_PREFETCH bytes ahead of the weight stream (one per 64-byte line; ck_internal.h). */

/* VNNI without shifts: group k of a block (bits 7-2k..6-2k of each byte) is masked in place, so its products are
 * code · 4^(3−k) · q; the group's accumulator is shifted back (exactly: every product is a multiple of 4^(3−k))
 * at the end. Two blocks per iteration into eight independent int32 chains: one chain per group was bound by
 * the vpdpbusd latency. Lane bound: 2 · 192 · 128 per block pair, far from 2^31 for n <= 2^22. */
#define I2S_MASKS256 \
    const __m256i k0 = _mm256_set1_epi8((char)0xC0), k1 = _mm256_set1_epi8(0x30), k2 = _mm256_set1_epi8(0x0C), \
                  k3 = _mm256_set1_epi8(0x03)
#define I2S_MASKED256(DP, acc, x, K, qp) acc = DP(acc, _mm256_and_si256(x, K), _mm256_loadu_si256((const __m256i *)(qp)))
#define I2S_BLOCK256(DP, a0, a1, a2, a3, x, qb)                                                    \
    I2S_MASKED256(DP, a0, x, k0, qb); I2S_MASKED256(DP, a1, x, k1, (qb) + 32);                     \
    I2S_MASKED256(DP, a2, x, k2, (qb) + 64); I2S_MASKED256(DP, a3, x, k3, (qb) + 96)
#define I2S_UNMASK256(a0, a1, a2, a3)                                                               \
    _mm256_add_epi32(_mm256_add_epi32(_mm256_srai_epi32(a0, 6), _mm256_srai_epi32(a1, 4)),         \
                     _mm256_add_epi32(_mm256_srai_epi32(a2, 2), a3))

CK_AVXVNNI static int32_t i2s_row_vnni(const uint8_t *w, const int8_t *q, size_t nb) {
    I2S_MASKS256;
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    size_t b = 0;
    for (; b + 2 <= nb; b += 2) {
        _mm_prefetch((const char *)(w + b * 32) + CK_STREAM_PREFETCH, _MM_HINT_T0);
        const __m256i x = _mm256_loadu_si256((const __m256i *)(w + b * 32));
        const __m256i y = _mm256_loadu_si256((const __m256i *)(w + b * 32 + 32));
        const int8_t *qb = q + b * CK_QK_I2S;
        I2S_BLOCK256(_mm256_dpbusd_avx_epi32, a0, a1, a2, a3, x, qb);
        I2S_BLOCK256(_mm256_dpbusd_avx_epi32, b0, b1, b2, b3, y, qb + CK_QK_I2S);
    }
    if (b < nb) {
        const __m256i x = _mm256_loadu_si256((const __m256i *)(w + b * 32));
        I2S_BLOCK256(_mm256_dpbusd_avx_epi32, a0, a1, a2, a3, x, q + b * CK_QK_I2S);
    }
    return ck_hsum_i32_8(I2S_UNMASK256(_mm256_add_epi32(a0, b0), _mm256_add_epi32(a1, b1),
                                       _mm256_add_epi32(a2, b2), _mm256_add_epi32(a3, b3)));
}

CK_AVX2 static void i2s_gemv_avx2(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q,
                                  int32_t *out) {
    const size_t rb = n / 4, nb = n / CK_QK_I2S;
    for (size_t r = row0; r < row1; r++) out[r - row0] = i2s_row_avx2(w + r * rb, q, nb);
}

CK_AVXVNNI static void i2s_gemv_vnni(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q,
                                     int32_t *out) {
    const size_t rb = n / 4, nb = n / CK_QK_I2S;
    for (size_t r = row0; r < row1; r++) out[r - row0] = i2s_row_vnni(w + r * rb, q, nb);
}

/* One weight row against T (<= 4) activation rows: the codes are decoded once per block for all tokens. */
CK_AVX2 static inline void i2s_tokens_avx2(const uint8_t *w, const int8_t *q, size_t ldq, int T, size_t nb,
                                           int32_t *out, size_t ldo) {
    const __m256i m3 = _mm256_set1_epi8(3), ones = _mm256_set1_epi16(1);
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
    for (size_t b0 = 0; b0 < nb; b0 += I2S_FLUSH) {
        const size_t be = b0 + I2S_FLUSH < nb ? b0 + I2S_FLUSH : nb;
        __m256i s0 = _mm256_setzero_si256(), s1 = s0, s2 = s0, s3 = s0;
        for (size_t b = b0; b < be; b++) {
            __m256i x = _mm256_loadu_si256((const __m256i *)(w + b * 32));
            I2S_DECODE(x, c0, c1, c2, c3);
            const int8_t *qb = q + b * CK_QK_I2S;
            s0 = _mm256_add_epi16(s0, I2S_MADD(c0, c1, c2, c3, qb));
            if (T > 1) s1 = _mm256_add_epi16(s1, I2S_MADD(c0, c1, c2, c3, qb + ldq));
            if (T > 2) s2 = _mm256_add_epi16(s2, I2S_MADD(c0, c1, c2, c3, qb + 2 * ldq));
            if (T > 3) s3 = _mm256_add_epi16(s3, I2S_MADD(c0, c1, c2, c3, qb + 3 * ldq));
        }
        a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(s0, ones));
        a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(s1, ones));
        a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(s2, ones));
        a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(s3, ones));
    }
    out[0] = ck_hsum_i32_8(a0);
    if (T > 1) out[ldo] = ck_hsum_i32_8(a1);
    if (T > 2) out[2 * ldo] = ck_hsum_i32_8(a2);
    if (T > 3) out[3 * ldo] = ck_hsum_i32_8(a3);
}

CK_AVXVNNI static inline void i2s_tokens_vnni(const uint8_t *w, const int8_t *q, size_t ldq, int T, size_t nb,
                                              int32_t *out, size_t ldo) {
    const __m256i m3 = _mm256_set1_epi8(3);
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
    for (size_t b = 0; b < nb; b++) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(w + b * 32));
        I2S_DECODE(x, c0, c1, c2, c3);
        const int8_t *qb = q + b * CK_QK_I2S;
#define TOK(k, a)                                                                             \
        if (T > k) {                                                                          \
            const int8_t *qt = qb + k * ldq;                                                  \
            a = _mm256_dpbusd_avx_epi32(a, c0, _mm256_loadu_si256((const __m256i *)qt));        \
            a = _mm256_dpbusd_avx_epi32(a, c1, _mm256_loadu_si256((const __m256i *)(qt + 32))); \
            a = _mm256_dpbusd_avx_epi32(a, c2, _mm256_loadu_si256((const __m256i *)(qt + 64))); \
            a = _mm256_dpbusd_avx_epi32(a, c3, _mm256_loadu_si256((const __m256i *)(qt + 96))); \
        }
        TOK(0, a0) TOK(1, a1) TOK(2, a2) TOK(3, a3)
#undef TOK
    }
    out[0] = ck_hsum_i32_8(a0);
    if (T > 1) out[ldo] = ck_hsum_i32_8(a1);
    if (T > 2) out[2 * ldo] = ck_hsum_i32_8(a2);
    if (T > 3) out[3 * ldo] = ck_hsum_i32_8(a3);
}

CK_AVX2 static void i2s_gemm_avx2(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q,
                                  size_t ldq, size_t ntok, int32_t *out, size_t ldo) {
    const size_t rb = n / 4, nb = n / CK_QK_I2S;
    for (size_t r = row0; r < row1; r++)
        for (size_t t = 0; t < ntok; t += 4) {
            const int T = ntok - t >= 4 ? 4 : (int)(ntok - t);
            i2s_tokens_avx2(w + r * rb, q + t * ldq, ldq, T, nb, out + t * ldo + (r - row0), ldo);
        }
}

/* 2 rows × 4 tokens: per block two code loads and sixteen activation loads feed 32 vpdpbusd (measured 1.8×
 * faster than 1 row × 4 tokens). out[t*ldo + j] for row j in {0,1}, token t < 4. */
CK_AVXVNNI static inline void i2s_tile24_vnni(const uint8_t *w, size_t rb, const int8_t *q, size_t ldq, size_t nb,
                                              int32_t *out, size_t ldo) {
    const __m256i m3 = _mm256_set1_epi8(3);
    __m256i a00 = _mm256_setzero_si256(), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
    for (size_t b = 0; b < nb; b++) {
        const __m256i x0 = _mm256_loadu_si256((const __m256i *)(w + b * 32));
        const __m256i x1 = _mm256_loadu_si256((const __m256i *)(w + rb + b * 32));
        const int8_t *qb = q + b * CK_QK_I2S;
        for (int k = 0; k < 4; k++) {
            const int sh = 6 - 2 * k;
            const __m256i c0 = _mm256_and_si256(_mm256_srli_epi16(x0, sh), m3);
            const __m256i c1 = _mm256_and_si256(_mm256_srli_epi16(x1, sh), m3);
            __m256i v = _mm256_loadu_si256((const __m256i *)(qb + 32 * k));
            a00 = _mm256_dpbusd_avx_epi32(a00, c0, v); a10 = _mm256_dpbusd_avx_epi32(a10, c1, v);
            v = _mm256_loadu_si256((const __m256i *)(qb + ldq + 32 * k));
            a01 = _mm256_dpbusd_avx_epi32(a01, c0, v); a11 = _mm256_dpbusd_avx_epi32(a11, c1, v);
            v = _mm256_loadu_si256((const __m256i *)(qb + 2 * ldq + 32 * k));
            a02 = _mm256_dpbusd_avx_epi32(a02, c0, v); a12 = _mm256_dpbusd_avx_epi32(a12, c1, v);
            v = _mm256_loadu_si256((const __m256i *)(qb + 3 * ldq + 32 * k));
            a03 = _mm256_dpbusd_avx_epi32(a03, c0, v); a13 = _mm256_dpbusd_avx_epi32(a13, c1, v);
        }
    }
    out[0] = ck_hsum_i32_8(a00); out[ldo] = ck_hsum_i32_8(a01);
    out[2 * ldo] = ck_hsum_i32_8(a02); out[3 * ldo] = ck_hsum_i32_8(a03);
    out[1] = ck_hsum_i32_8(a10); out[ldo + 1] = ck_hsum_i32_8(a11);
    out[2 * ldo + 1] = ck_hsum_i32_8(a12); out[3 * ldo + 1] = ck_hsum_i32_8(a13);
}

CK_AVXVNNI static void i2s_gemm_vnni(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q,
                                     size_t ldq, size_t ntok, int32_t *out, size_t ldo) {
    const size_t rb = n / 4, nb = n / CK_QK_I2S;
    size_t r = row0;
    for (; r + 2 <= row1; r += 2) {
        size_t t = 0;
        for (; t + 4 <= ntok; t += 4) i2s_tile24_vnni(w + r * rb, rb, q + t * ldq, ldq, nb, out + t * ldo + (r - row0), ldo);
        if (t < ntok)
            for (size_t j = 0; j < 2; j++)
                i2s_tokens_vnni(w + (r + j) * rb, q + t * ldq, ldq, (int)(ntok - t), nb, out + t * ldo + (r + j - row0), ldo);
    }
    if (r < row1)
        for (size_t t = 0; t < ntok; t += 4) {
            const int T = ntok - t >= 4 ? 4 : (int)(ntok - t);
            i2s_tokens_vnni(w + r * rb, q + t * ldq, ldq, T, nb, out + t * ldo + (r - row0), ldo);
        }
}
#endif

/* Internal forms write out[r - row0]. */
static void i2s_gemv_rel(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q, int32_t *out) {
#if CK_X86
    if (ck_vnni()) { ck_count(K_I2S_GEMV_VNNI); i2s_gemv_vnni(w, n, row0, row1, q, out); return; }
    if (ck_avx2()) { ck_count(K_I2S_GEMV_AVX2); i2s_gemv_avx2(w, n, row0, row1, q, out); return; }
#endif
#if defined(__aarch64__)
    if (ck_neon()) {
        const int dp = ck_dotprod();
        ck_count(dp ? K_I2S_GEMV_DOTPROD : K_I2S_GEMV_NEON);
        for (size_t r = row0; r < row1; r++)
            out[r - row0] = dp ? ck_i2s_row_dotprod(w + r * (n / 4), q, n / CK_QK_I2S)
                               : ck_i2s_row_neon(w + r * (n / 4), q, n / CK_QK_I2S);
        return;
    }
#endif
    ck_count(K_I2S_GEMV_SCALAR);
    for (size_t r = row0; r < row1; r++) out[r - row0] = i2s_row_scalar(w + r * (n / 4), q, n);
}

void ck_i2s_gemv(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q, int32_t *out_sums) {
    if (row1 > row0) i2s_gemv_rel(w, n, row0, row1, q, out_sums + row0);
}

void ck_i2s_gemv_f32(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q, int32_t qsum,
                     float s, float beta, float *out) {
    int32_t buf[256];
    for (size_t r = row0; r < row1; r += 256) {
        const size_t e = r + 256 < row1 ? r + 256 : row1;
        i2s_gemv_rel(w, n, r, e, q, buf);
        for (size_t i = r; i < e; i++) out[i] = ck_i2s_finish(buf[i - r], qsum, s, beta);
    }
}

void ck_i2s_gemm(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q, size_t ldq, size_t ntok,
                 int32_t *out_sums, size_t ldo) {
    if (row1 <= row0 || ntok == 0) return;
    int32_t *out = out_sums + row0;
#if CK_X86
    if (ck_avx512() && ck_i2s_avx512_fits(n)) { ck_count(K_I2S_GEMM_AVX512); ck_i2s_gemm_avx512(w, n, row0, row1, q, ldq, ntok, out, ldo); return; }
    if (ck_vnni()) { ck_count(K_I2S_GEMM_VNNI); i2s_gemm_vnni(w, n, row0, row1, q, ldq, ntok, out, ldo); return; }
    if (ck_avx2()) { ck_count(K_I2S_GEMM_AVX2); i2s_gemm_avx2(w, n, row0, row1, q, ldq, ntok, out, ldo); return; }
#endif
#if defined(__aarch64__)
    if (ck_neon()) {
        const int dp = ck_dotprod();
        ck_count(dp ? K_I2S_GEMM_DOTPROD : K_I2S_GEMM_NEON);
        for (size_t r = row0; r < row1; r++)
            for (size_t t = 0; t < ntok; t++)
                out[t * ldo + (r - row0)] = dp ? ck_i2s_row_dotprod(w + r * (n / 4), q + t * ldq, n / CK_QK_I2S)
                                               : ck_i2s_row_neon(w + r * (n / 4), q + t * ldq, n / CK_QK_I2S);
        return;
    }
#endif
    ck_count(K_I2S_GEMM_SCALAR);
    for (size_t r = row0; r < row1; r++)
        for (size_t t = 0; t < ntok; t++) out[t * ldo + (r - row0)] = i2s_row_scalar(w + r * (n / 4), q + t * ldq, n);
}
