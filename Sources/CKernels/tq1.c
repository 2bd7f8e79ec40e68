/* TQ1_0 × per-token int8 without decoding trits (the uniform-scale decode path; the scalar reference is tq.c's).
 *
 * A TQ1_0 byte q holds trits t_0..t_4 (t_k = ((q·3^k mod 256)·3) >> 8, each 0..2, weight = t − 1). With
 * y_k = ⌊3^(k+1)·q / 256⌋ (an integer ≤ 242: one unsigned 16-bit multiply-high of q·256 by 3^(k+1)) the trits are
 * t_k = y_k − 3·y_(k−1) (y_(−1) = 0), so a byte's share of the dot product telescopes:
 *     Σ_k t_k·a_k = Σ_k y_k·(a_k − 3·a_(k+1))      (a_5 = 0; a_4 = 0 for the 4-trit qh bytes)
 * The bracket depends on the activations only: it is made once per call for every row ("prep", int16, at most
 * 128 + 3·127 in magnitude, in the weights' own order), and a block costs 16 multiply-highs and 16 pairwise
 * 16-bit dot products (vpdpwssd / vpmaddwd) — no per-trit masks, compares or byte arithmetic. Every product and
 * sum is an exact integer (≤ 242·509 per term, < 2^31 per row of up to 2^14 weights per prep chunk, chunks summed
 * in int32), so every path equals the scalar reference bit for bit. With AVX-512 the block is eight 32-lane
 * vectors (qs[32..48) paired with itself and with qh) and two rows share the prep loads: 2.2 ns per block against
 * 3.9 for the 256-bit form and 6.7 for trit decoding (one thread, cache-resident rows, 2026-11-27).
 *
 * Prep of a block (256 int16, weight order; weight i = 32k + m for qs[m], 160 + 16k + j for qs[32 + j],
 * 240 + 4k + j for qh[j]): p[i] = a[i] − 3·a[i + s], s = 32, 16, 4 in the three parts, 0 for the last trit. */
#include "ck_internal.h"

#if CK_X86
#define TQ1_CHUNK 32   /* blocks per prep chunk: 16 KiB of int16 on the stack, L1-resident while rows stream */

/* The prep of nb blocks; returns Σ a over them (the −1 of every weight). */
CK_AVX2 static int32_t tq1_prep(const int8_t *q, size_t nb, int16_t *out) {
    __m256i qsum = _mm256_setzero_si256();
    const __m256i one8 = _mm256_set1_epi8(1), one16 = _mm256_set1_epi16(1), three = _mm256_set1_epi16(3);
#define TQ1_A(off) _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(a + (off))))
    for (size_t b = 0; b < nb; b++) {
        const int8_t *a = q + b * 256;
        __m256i *o = (__m256i *)(out + b * 256);
        for (int k = 0; k < 8; k++)
            qsum = _mm256_add_epi32(qsum, _mm256_madd_epi16(
                _mm256_maddubs_epi16(one8, _mm256_loadu_si256((const __m256i *)(a + 32 * k))), one16));
        for (int j = 0; j < 8; j++) _mm256_store_si256(o + j, _mm256_sub_epi16(TQ1_A(16 * j), _mm256_mullo_epi16(TQ1_A(16 * j + 32), three)));
        for (int j = 8; j < 10; j++) _mm256_store_si256(o + j, TQ1_A(16 * j));
        for (int j = 10; j < 14; j++) _mm256_store_si256(o + j, _mm256_sub_epi16(TQ1_A(16 * j), _mm256_mullo_epi16(TQ1_A(16 * j + 16), three)));
        _mm256_store_si256(o + 14, TQ1_A(224));
        const __m128i h = _mm_loadu_si128((const __m128i *)(a + 240));   /* the next trit 4 weights on, none for the last 4 */
        _mm256_store_si256(o + 15, _mm256_sub_epi16(_mm256_cvtepi8_epi16(h),
                                                    _mm256_mullo_epi16(_mm256_cvtepi8_epi16(_mm_srli_si128(h, 4)), three)));
    }
#undef TQ1_A
    return ck_hsum_i32_8(qsum);
}

/* 256-bit rows [row0, row1): out[r] = Σ (t − 1)·q. DP(acc, y, p) adds the pairwise y·p products to acc. */
#define TQ1_ROWS(NAME, ATTR, DP)                                                                               \
    ATTR void NAME(const ck_block_tq1_0 *w, size_t nb, size_t row0, size_t row1, const int8_t *q, int32_t *out) { \
        _Alignas(64) int16_t pre[TQ1_CHUNK * 256];                                                            \
        const __m256i c1 = _mm256_set1_epi16(3), c2 = _mm256_set1_epi16(9), c3 = _mm256_set1_epi16(27),       \
                      c4 = _mm256_set1_epi16(81), c5 = _mm256_set1_epi16(243),                                \
                      ch = _mm256_setr_epi16(3, 3, 3, 3, 9, 9, 9, 9, 27, 27, 27, 27, 81, 81, 81, 81);          \
        for (size_t b0 = 0; b0 < nb; b0 += TQ1_CHUNK) {                                                       \
            const size_t cb = nb - b0 < TQ1_CHUNK ? nb - b0 : TQ1_CHUNK;                                      \
            const int32_t qs = tq1_prep(q + b0 * 256, cb, pre);                                               \
            for (size_t r = row0; r < row1; r++) {                                                            \
                __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0;                                        \
                const ck_block_tq1_0 *x = &w[r * nb + b0];                                                    \
                for (size_t b = 0; b < cb; b++, x++) {                                                        \
                    _mm_prefetch((const char *)x + CK_STREAM_PREFETCH, _MM_HINT_T0);                          \
                    const __m256i *p = (const __m256i *)(pre + b * 256);                                      \
                    const __m256i e = _mm256_slli_epi16(_mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)x->qs)), 8); \
                    const __m256i o = _mm256_slli_epi16(_mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(x->qs + 16))), 8); \
                    a0 = DP(a0, _mm256_mulhi_epu16(e, c1), _mm256_load_si256(p + 0));                         \
                    a1 = DP(a1, _mm256_mulhi_epu16(o, c1), _mm256_load_si256(p + 1));                         \
                    a0 = DP(a0, _mm256_mulhi_epu16(e, c2), _mm256_load_si256(p + 2));                         \
                    a1 = DP(a1, _mm256_mulhi_epu16(o, c2), _mm256_load_si256(p + 3));                         \
                    a0 = DP(a0, _mm256_mulhi_epu16(e, c3), _mm256_load_si256(p + 4));                         \
                    a1 = DP(a1, _mm256_mulhi_epu16(o, c3), _mm256_load_si256(p + 5));                         \
                    a0 = DP(a0, _mm256_mulhi_epu16(e, c4), _mm256_load_si256(p + 6));                         \
                    a1 = DP(a1, _mm256_mulhi_epu16(o, c4), _mm256_load_si256(p + 7));                         \
                    a0 = DP(a0, _mm256_mulhi_epu16(e, c5), _mm256_load_si256(p + 8));                         \
                    a1 = DP(a1, _mm256_mulhi_epu16(o, c5), _mm256_load_si256(p + 9));                         \
                    const __m256i z = _mm256_slli_epi16(                                                      \
                        _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(x->qs + 32))), 8);              \
                    a2 = DP(a2, _mm256_mulhi_epu16(z, c1), _mm256_load_si256(p + 10));                        \
                    a0 = DP(a0, _mm256_mulhi_epu16(z, c2), _mm256_load_si256(p + 11));                        \
                    a1 = DP(a1, _mm256_mulhi_epu16(z, c3), _mm256_load_si256(p + 12));                        \
                    a2 = DP(a2, _mm256_mulhi_epu16(z, c4), _mm256_load_si256(p + 13));                        \
                    a0 = DP(a0, _mm256_mulhi_epu16(z, c5), _mm256_load_si256(p + 14));                        \
                    const __m256i h = _mm256_slli_epi16(                                                      \
                        _mm256_cvtepu8_epi16(_mm_set1_epi32((int)ck_load_u32(x->qh))), 8);                     \
                    a2 = DP(a2, _mm256_mulhi_epu16(h, ch), _mm256_load_si256(p + 15));                        \
                }                                                                                             \
                const int32_t s = ck_hsum_i32_8(_mm256_add_epi32(_mm256_add_epi32(a0, a1), a2)) - qs;         \
                out[r] = b0 == 0 ? s : out[r] + s;                                                            \
            }                                                                                                 \
        }                                                                                                     \
    }

#define TQ1_DP_AVX2(acc, y, p) _mm256_add_epi32(acc, _mm256_madd_epi16(y, p))
#define TQ1_DP_VNNI(acc, y, p) _mm256_dpwssd_avx_epi32(acc, y, p)
TQ1_ROWS(ck_tq1_0_i8_rows_avx2, CK_AVX2, TQ1_DP_AVX2)
TQ1_ROWS(ck_tq1_0_i8_rows_vnni, CK_AVXVNNI, TQ1_DP_VNNI)

/* AVX-512: one block of row x into accumulators A0, A1 (P0..P7: the block's prep, shared by the rows of a pair). */
#define TQ1_BLOCK512(x, A0, A1)                                                                                \
    do {                                                                                                       \
        const __m512i X = _mm512_slli_epi16(_mm512_cvtepu8_epi16(_mm256_loadu_si256((const __m256i *)(x)->qs)), 8); \
        A0 = _mm512_dpwssd_epi32(A0, _mm512_mulhi_epu16(X, c1), P0);                                           \
        A1 = _mm512_dpwssd_epi32(A1, _mm512_mulhi_epu16(X, c2), P1);                                           \
        A0 = _mm512_dpwssd_epi32(A0, _mm512_mulhi_epu16(X, c3), P2);                                           \
        A1 = _mm512_dpwssd_epi32(A1, _mm512_mulhi_epu16(X, c4), P3);                                           \
        A0 = _mm512_dpwssd_epi32(A0, _mm512_mulhi_epu16(X, c5), P4);                                           \
        const __m512i Z = _mm512_slli_epi16(_mm512_cvtepu8_epi16(                                              \
            _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)((x)->qs + 32)))), 8);                \
        A1 = _mm512_dpwssd_epi32(A1, _mm512_mulhi_epu16(Z, c12), P5);                                          \
        A0 = _mm512_dpwssd_epi32(A0, _mm512_mulhi_epu16(Z, c34), P6);                                          \
        const __m256i H = _mm256_slli_epi16(_mm256_cvtepu8_epi16(_mm_set1_epi32((int)ck_load_u32((x)->qh))), 8); \
        A1 = _mm512_dpwssd_epi32(A1, _mm512_mulhi_epu16(_mm512_inserti64x4(Z, H, 1), c5h), P7);                \
    } while (0)

CK_AVX512 void ck_tq1_0_i8_rows_avx512(const ck_block_tq1_0 *w, size_t nb, size_t row0, size_t row1, const int8_t *q,
                                       int32_t *out) {
    _Alignas(64) int16_t pre[TQ1_CHUNK * 256];
    const __m512i c1 = _mm512_set1_epi16(3), c2 = _mm512_set1_epi16(9), c3 = _mm512_set1_epi16(27),
                  c4 = _mm512_set1_epi16(81), c5 = _mm512_set1_epi16(243);
    const __m512i c12 = _mm512_inserti64x4(c1, _mm256_set1_epi16(9), 1), c34 = _mm512_inserti64x4(c3, _mm256_set1_epi16(81), 1);
    const __m512i c5h = _mm512_inserti64x4(c5, _mm256_setr_epi16(3, 3, 3, 3, 9, 9, 9, 9, 27, 27, 27, 27, 81, 81, 81, 81), 1);
    for (size_t b0 = 0; b0 < nb; b0 += TQ1_CHUNK) {
        const size_t cb = nb - b0 < TQ1_CHUNK ? nb - b0 : TQ1_CHUNK;
        const int32_t qs = tq1_prep(q + b0 * 256, cb, pre);
        for (size_t r = row0; r < row1; r += 2) {
            const int two = r + 1 < row1;
            __m512i a0 = _mm512_setzero_si512(), a1 = a0, b0v = a0, b1v = a0;
            const ck_block_tq1_0 *x = &w[r * nb + b0], *y = two ? x + nb : x;
            for (size_t b = 0; b < cb; b++, x++, y++) {
                _mm_prefetch((const char *)x + CK_STREAM_PREFETCH, _MM_HINT_T0);
                _mm_prefetch((const char *)y + CK_STREAM_PREFETCH, _MM_HINT_T0);
                const __m512i *p = (const __m512i *)(pre + b * 256);
                const __m512i P0 = _mm512_load_si512(p), P1 = _mm512_load_si512(p + 1), P2 = _mm512_load_si512(p + 2),
                              P3 = _mm512_load_si512(p + 3), P4 = _mm512_load_si512(p + 4), P5 = _mm512_load_si512(p + 5),
                              P6 = _mm512_load_si512(p + 6), P7 = _mm512_load_si512(p + 7);
                TQ1_BLOCK512(x, a0, a1);
                TQ1_BLOCK512(y, b0v, b1v);   /* the last odd row: computed twice, stored once */
            }
            const int32_t s = _mm512_reduce_add_epi32(_mm512_add_epi32(a0, a1)) - qs;
            out[r] = b0 == 0 ? s : out[r] + s;
            if (two) {
                const int32_t t = _mm512_reduce_add_epi32(_mm512_add_epi32(b0v, b1v)) - qs;
                out[r + 1] = b0 == 0 ? t : out[r + 1] + t;
            }
        }
    }
}
#endif
