/* I2_S × int8 GEMM (batched prefill) with 512-bit vpdpbusd (AVX-512 F/BW/VL + VNNI): about twice the 256-bit
 * tile's multiply-adds per second from cache. There is no 512-bit gemv: streaming weights from DRAM, the 512-bit
 * row kernel measured 16 tok/s against 24 for the 256-bit one on the 2B-4T decode (aligned or not).
 *
 * A 64-byte load of a weight row covers two 128-weight blocks, 2p and 2p+1. Group k of both (the weights in bits
 * 7-2k..6-2k of each byte) needs the activations q[2p·128 + 32k ..] and q[(2p+1)·128 + 32k ..] side by side, so
 * the activation row is first copied once into that "pair layout" (i2s_pair_layout); an odd last block keeps its
 * own 128 bytes and is done with 256-bit instructions. Same integers as the other paths (exact, any code 0..3). */
#include "ck_internal.h"

#if CK_X86
/* Longest row these kernels take (the activation copy lives on the stack); longer rows use the AVX-VNNI path. */
#define I2S512_MAX_N 16384

/* out[p·256 + 64k + 32h + j] = q[(2p+h)·128 + 32k + j]; an odd last block is copied as it is. */
static void i2s_pair_layout(const int8_t *q, size_t nb, int8_t *out) {
    for (size_t p = 0; p < nb / 2; p++)
        for (int k = 0; k < 4; k++) {
            memcpy(out + p * 256 + k * 64, q + 2 * p * CK_QK_I2S + 32 * k, 32);
            memcpy(out + p * 256 + k * 64 + 32, q + (2 * p + 1) * CK_QK_I2S + 32 * k, 32);
        }
    if (nb & 1) memcpy(out + (nb - 1) * CK_QK_I2S, q + (nb - 1) * CK_QK_I2S, CK_QK_I2S);
}

/* One block with 256-bit instructions (the odd last block): Σ code·q. */
CK_AVX512 static inline int32_t i2s_block256(const uint8_t *w, const int8_t *q) {
    const __m256i m3 = _mm256_set1_epi8(3), x = _mm256_loadu_si256((const __m256i *)w);
    __m256i a = _mm256_setzero_si256();
    for (int k = 0; k < 4; k++) {
        const __m256i c = _mm256_and_si256(_mm256_srli_epi16(x, 6 - 2 * k), m3);
        a = _mm256_dpbusd_epi32(a, c, _mm256_loadu_si256((const __m256i *)(q + 32 * k)));
    }
    return ck_hsum_i32_8(a);
}

/* Masked groups as in the AVX-VNNI gemv (i2s.c): group k's products carry 4^(3−k), undone at the end. */
#define MASKED512(acc, x, K, qp) acc = _mm512_dpbusd_epi32(acc, _mm512_and_si512(x, K), _mm512_loadu_si512(qp))
#define PAIR512(a0, a1, a2, a3, x, qb)                                                        \
    MASKED512(a0, x, k0, qb); MASKED512(a1, x, k1, (qb) + 64);                                \
    MASKED512(a2, x, k2, (qb) + 128); MASKED512(a3, x, k3, (qb) + 192)

/* One row against one activation row in pair layout: two block pairs per iteration, eight chains. */
CK_AVX512 static int32_t i2s_row_avx512(const uint8_t *w, const int8_t *qp, size_t nb) {
    const __m512i k0 = _mm512_set1_epi8((char)0xC0), k1 = _mm512_set1_epi8(0x30), k2 = _mm512_set1_epi8(0x0C),
                  k3 = _mm512_set1_epi8(0x03);
    __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    const size_t np = nb / 2;
    size_t p = 0;
    for (; p + 2 <= np; p += 2) {
        const __m512i x = _mm512_loadu_si512(w + p * 64), y = _mm512_loadu_si512(w + p * 64 + 64);
        const int8_t *qb = qp + p * 256;
        PAIR512(a0, a1, a2, a3, x, qb);
        PAIR512(b0, b1, b2, b3, y, qb + 256);
    }
    if (p < np) {
        const __m512i x = _mm512_loadu_si512(w + p * 64);
        PAIR512(a0, a1, a2, a3, x, qp + p * 256);
    }
    a0 = _mm512_add_epi32(a0, b0); a1 = _mm512_add_epi32(a1, b1);
    a2 = _mm512_add_epi32(a2, b2); a3 = _mm512_add_epi32(a3, b3);
    const __m512i s = _mm512_add_epi32(_mm512_add_epi32(_mm512_srai_epi32(a0, 6), _mm512_srai_epi32(a1, 4)),
                                       _mm512_add_epi32(_mm512_srai_epi32(a2, 2), a3));
    int32_t r = _mm512_reduce_add_epi32(s);
    if (nb & 1) r += i2s_block256(w + (nb - 1) * 32, qp + (nb - 1) * CK_QK_I2S);
    return r;
}

/* 2 rows × 4 tokens (activations in pair layout, token rows n apart): codes decoded once per block pair for the
 * four tokens, eight accumulators. out[t·ldo + j] for row j < 2, token t < 4. */
CK_AVX512 static void i2s_tile24_avx512(const uint8_t *w, size_t rb, const int8_t *qp, size_t n, size_t nb,
                                        int32_t *out, size_t ldo) {
    const __m512i m3 = _mm512_set1_epi8(3);
    __m512i acc[2][4];
    for (int j = 0; j < 2; j++) for (int t = 0; t < 4; t++) acc[j][t] = _mm512_setzero_si512();
    for (size_t p = 0; p < nb / 2; p++) {
        const __m512i x0 = _mm512_loadu_si512(w + p * 64), x1 = _mm512_loadu_si512(w + rb + p * 64);
        const int8_t *qb = qp + p * 256;
        for (int k = 0; k < 4; k++) {
            const int sh = 6 - 2 * k;
            const __m512i c0 = _mm512_and_si512(_mm512_srli_epi16(x0, sh), m3);
            const __m512i c1 = _mm512_and_si512(_mm512_srli_epi16(x1, sh), m3);
            for (int t = 0; t < 4; t++) {
                const __m512i v = _mm512_loadu_si512(qb + t * n + 64 * k);
                acc[0][t] = _mm512_dpbusd_epi32(acc[0][t], c0, v);
                acc[1][t] = _mm512_dpbusd_epi32(acc[1][t], c1, v);
            }
        }
    }
    for (int j = 0; j < 2; j++)
        for (int t = 0; t < 4; t++) {
            int32_t r = _mm512_reduce_add_epi32(acc[j][t]);
            if (nb & 1) r += i2s_block256(w + j * rb + (nb - 1) * 32, qp + t * n + (nb - 1) * CK_QK_I2S);
            out[t * ldo + j] = r;
        }
}

int ck_i2s_avx512_fits(size_t n) { return n <= I2S512_MAX_N; }

/* out[t·ldo + r − row0]: token groups of four outside, row pairs inside (a chunk of rows stays in L2). */
CK_AVX512 void ck_i2s_gemm_avx512(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q,
                                  size_t ldq, size_t ntok, int32_t *out, size_t ldo) {
    int8_t qp[4 * I2S512_MAX_N];
    const size_t rb = n / 4, nb = n / CK_QK_I2S;
    for (size_t t = 0; t < ntok; t += 4) {
        const size_t T = ntok - t < 4 ? ntok - t : 4;
        for (size_t j = 0; j < T; j++) i2s_pair_layout(q + (t + j) * ldq, nb, qp + j * n);
        size_t r = row0;
        if (T == 4)
            for (; r + 2 <= row1; r += 2) i2s_tile24_avx512(w + r * rb, rb, qp, n, nb, out + t * ldo + (r - row0), ldo);
        for (; r < row1; r++)
            for (size_t j = 0; j < T; j++) out[(t + j) * ldo + (r - row0)] = i2s_row_avx512(w + r * rb, qp + j * n, nb);
    }
}
#endif
