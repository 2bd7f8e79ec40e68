/* TQ1_0 × per-token int8 without decoding trits one by one (the uniform-scale decode path; the scalar reference
 * is tq.c's), and the TQ1_0 GEMM for batched prefill. Two forms of the same exact integer:
 *
 * AVX2 (multiply-high). A byte q holds trits t_0..t_4 (t_k = ((q·3^k mod 256)·3) >> 8, each 0..2, weight = t − 1).
 * With y_k = ⌊3^(k+1)·q / 256⌋ (≤ 242: one unsigned 16-bit multiply-high of q·256 by 3^(k+1)) the trits are
 * t_k = y_k − 3·y_(k−1), so a byte's share of the dot product telescopes:
 *     Σ_k t_k·a_k = Σ_k y_k·(a_k − 3·a_(k+1))      (a_5 = 0; a_4 = 0 for the 4-trit qh bytes)
 * The bracket is made once per call ("prep", int16, in the weights' own order) and a block costs 16 multiply-highs
 * and 16 pairwise 16-bit dots (4.0-4.3 ns per block, one thread, cache-resident rows).
 *
 * AVX-512 VNNI and AVX-VNNI (byte carries, below): the block's bytes as they are, ten (AVX-512) or twenty
 * (256-bit) vpdpbusd per block, 1.55-1.6 and 2.9 ns per block. The GEMM decodes each tile's trits to bytes once
 * and does five vpdpbusd per block and token.
 *
 * Every product and sum is an exact integer, so every path equals the scalar reference bit for bit.
 * AVX2 prep of a block (256 int16, weight order; weight i = 32k + m for qs[m], 160 + 16k + j for qs[32 + j],
 * 240 + 4k + j for qh[j]): p[i] = a[i] − 3·a[i + s], s = 32, 16, 4 in the three parts, 0 for the last trit. */
#include "ck_internal.h"

/* The prep of nb blocks for the byte-carry forms (AVX-512 and AVX-VNNI gemv, the GEMM): block b's five 64-byte
 * vectors, vector k lane j = the activation of trit k of byte j (qs[j], j < 48; qh[j − 48], 48 ≤ j < 52, k < 4),
 * 0 elsewhere. Returns Σ a. Portable C (ck_tq1_0_prepare). */
static int32_t tq1_prep8(const int8_t *a, size_t nb, int8_t *out) {
    int32_t s = 0;
    for (size_t b = 0; b < nb; b++, a += 256, out += 320) {
        for (int i = 0; i < 256; i++) s += a[i];
        memset(out, 0, 320);
        for (int k = 0; k < 5; k++) {
            memcpy(out + 64 * k, a + 32 * k, 32);
            memcpy(out + 64 * k + 32, a + 160 + 16 * k, 16);
            if (k < 4) memcpy(out + 64 * k + 48, a + 240 + 4 * k, 4);
        }
    }
    return s;
}

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
TQ1_ROWS(ck_tq1_0_i8_rows_avx2, CK_AVX2, TQ1_DP_AVX2)

/* AVX-512 VNNI: the trits as carries of byte multiplications by 3. With L_k = 3^k·q mod 256 (bytes: L_(k+1) =
 * L_k + L_k + L_k, wrapping) and t_k = ⌊3·L_k / 256⌋, 3·L_k = 256·t_k + L_(k+1), so t_k = (3·L_k − L_(k+1)) / 256 and
 *     256·Σ_k t_k·a_k = 3·Σ_k L_k·a_k − Σ_k L_(k+1)·a_k        (k = 0..4; a_4 = 0 for the 4-trit qh bytes)
 * Both sums are unsigned byte × int8 products, ten vpdpbusd of 64 lanes per block with the block's 52 bytes loaded
 * once as they are (lanes 52..63 are 0 or multiply a 0 of the prep): no widening, no multiply-high, and the byte
 * additions run beside the dot products. The prep is the activations permuted into the bytes' order (5 × 64 int8 per
 * block, tq1_prep8). Per lane and chunk of 32 blocks |Σ| ≤ 32·2·4·255·128, so 3·A − B (16 lanes, five
 * accumulators each) stays below 2^31: exact, and a multiple of 256. One row at a time (one sequential stream for
 * the prefetchers; two rows sharing the prep loads measured slower from DRAM), ten accumulators so that no dot
 * product waits for the previous one. 1.5 ns per block against 1.9 for the multiply-high form it replaces (one
 * thread, cache-resident rows; 2026-11-27). */
#define TQ1_M52 0x000FFFFFFFFFFFFFull

/* L ← 3·L in bytes; the empty asm keeps the compiler from turning the chain into byte multiplications. */
CK_AVX512 static inline __m512i tq1_x3(__m512i v) {
    __m512i t = _mm512_add_epi8(v, _mm512_add_epi8(v, v));
    __asm__("" : "+v"(t));
    return t;
}

/* One block (bytes L0) against prep P[0..5) into accumulators u (Σ L_k·a_k) and v (Σ L_(k+1)·a_k). */
#define TQ1_BLOCK512(L0, P, u, v)                                                                              \
    do {                                                                                                       \
        const __m512i L1 = tq1_x3(L0), L2 = tq1_x3(L1), L3 = tq1_x3(L2), L4 = tq1_x3(L3), L5 = tq1_x3(L4);    \
        u[0] = _mm512_dpbusd_epi32(u[0], L0, P[0]); v[0] = _mm512_dpbusd_epi32(v[0], L1, P[0]);               \
        u[1] = _mm512_dpbusd_epi32(u[1], L1, P[1]); v[1] = _mm512_dpbusd_epi32(v[1], L2, P[1]);               \
        u[2] = _mm512_dpbusd_epi32(u[2], L2, P[2]); v[2] = _mm512_dpbusd_epi32(v[2], L3, P[2]);               \
        u[3] = _mm512_dpbusd_epi32(u[3], L3, P[3]); v[3] = _mm512_dpbusd_epi32(v[3], L4, P[3]);               \
        u[4] = _mm512_dpbusd_epi32(u[4], L4, P[4]); v[4] = _mm512_dpbusd_epi32(v[4], L5, P[4]);               \
    } while (0)

CK_AVX512 static inline int32_t tq1_finish512(const __m512i u[5], const __m512i v[5]) {
    const __m512i A = _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(u[0], u[1]), _mm512_add_epi32(u[2], u[3])), u[4]);
    const __m512i B = _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(v[0], v[1]), _mm512_add_epi32(v[2], v[3])), v[4]);
    return _mm512_reduce_add_epi32(_mm512_sub_epi32(_mm512_add_epi32(A, _mm512_add_epi32(A, A)), B)) / 256;
}

/* Σ over blocks [0, cb) of row x (prep pre): plain 64-byte loads (they read 10 bytes of the next block), except
 * for the matrix's last block when `masked` (a masked load never touches the bytes past it). */
CK_AVX512 static inline int32_t tq1_row512(const ck_block_tq1_0 *x, size_t cb, const int8_t *pre, int masked) {
    __m512i u[5], v[5];
    for (int i = 0; i < 5; i++) u[i] = v[i] = _mm512_setzero_si512();
    const size_t plain = cb - (size_t)masked;
#define TQ1_PREP5(b) const __m512i *p = (const __m512i *)(pre + (b) * 320);                                     \
    const __m512i P[5] = {_mm512_load_si512(p), _mm512_load_si512(p + 1), _mm512_load_si512(p + 2),            \
                          _mm512_load_si512(p + 3), _mm512_load_si512(p + 4)}
    for (size_t b = 0; b < plain; b++, x++) {
        _mm_prefetch((const char *)x + CK_STREAM_PREFETCH, _MM_HINT_T0);
        TQ1_PREP5(b);
        const __m512i L0 = _mm512_loadu_si512(x);
        TQ1_BLOCK512(L0, P, u, v);
    }
    if (masked) {
        TQ1_PREP5(plain);
        const __m512i L0 = _mm512_maskz_loadu_epi8(TQ1_M52, x);
        TQ1_BLOCK512(L0, P, u, v);
    }
#undef TQ1_PREP5
    return tq1_finish512(u, v);
}

CK_AVX512 void ck_tq1_0_i8_rows_avx512(const ck_block_tq1_0 *w, size_t nb, size_t row0, size_t row1, const int8_t *q,
                                       int32_t *out) {
    _Alignas(64) int8_t pre[TQ1_CHUNK * 320];
    for (size_t b0 = 0; b0 < nb; b0 += TQ1_CHUNK) {
        const size_t cb = nb - b0 < TQ1_CHUNK ? nb - b0 : TQ1_CHUNK;
        const int32_t qs = tq1_prep8(q + b0 * 256, cb, pre);
        for (size_t r = row0; r < row1; r++) {
            const int32_t s = tq1_row512(&w[r * nb + b0], cb, pre, r + 1 == row1 && b0 + cb == nb) - qs;
            out[r] = b0 == 0 ? s : out[r] + s;
        }
    }
}

/* AVX-VNNI (256-bit), the same byte-carry form: a block is two 32-byte halves (qs[0..32) and qs[32..48) + qh, 20
 * bytes used), each with its own L chain, twenty vpdpbusd per block against the halves of the same prep; the
 * last block's second half is read with a 5-dword masked load. 2.3 ns per block against 3.9 for the
 * multiply-high form (one thread, cache-resident rows). */
CK_AVXVNNI static inline __m256i tq1_x3y(__m256i v) {
    __m256i t = _mm256_add_epi8(v, _mm256_add_epi8(v, v));
    __asm__("" : "+x"(t));
    return t;
}
#define TQ1_HALF256(L0, pb, u, v)                                                                              \
    do {                                                                                                       \
        const __m256i L1 = tq1_x3y(L0), L2 = tq1_x3y(L1), L3 = tq1_x3y(L2), L4 = tq1_x3y(L3), L5 = tq1_x3y(L4); \
        const __m256i P0 = _mm256_load_si256((const __m256i *)(pb)), P1 = _mm256_load_si256((const __m256i *)(pb + 64)), \
                      P2 = _mm256_load_si256((const __m256i *)(pb + 128)), P3 = _mm256_load_si256((const __m256i *)(pb + 192)), \
                      P4 = _mm256_load_si256((const __m256i *)(pb + 256));                                      \
        u[0] = _mm256_dpbusd_avx_epi32(u[0], L0, P0); v[0] = _mm256_dpbusd_avx_epi32(v[0], L1, P0);           \
        u[1] = _mm256_dpbusd_avx_epi32(u[1], L1, P1); v[1] = _mm256_dpbusd_avx_epi32(v[1], L2, P1);           \
        u[2] = _mm256_dpbusd_avx_epi32(u[2], L2, P2); v[2] = _mm256_dpbusd_avx_epi32(v[2], L3, P2);           \
        u[3] = _mm256_dpbusd_avx_epi32(u[3], L3, P3); v[3] = _mm256_dpbusd_avx_epi32(v[3], L4, P3);           \
        u[4] = _mm256_dpbusd_avx_epi32(u[4], L4, P4); v[4] = _mm256_dpbusd_avx_epi32(v[4], L5, P4);           \
    } while (0)

CK_AVXVNNI void ck_tq1_0_i8_rows_vnni(const ck_block_tq1_0 *w, size_t nb, size_t row0, size_t row1, const int8_t *q,
                                      int32_t *out) {
    _Alignas(64) int8_t pre[TQ1_CHUNK * 320];
    const __m256i m5 = _mm256_setr_epi32(-1, -1, -1, -1, -1, 0, 0, 0);
    for (size_t b0 = 0; b0 < nb; b0 += TQ1_CHUNK) {
        const size_t cb = nb - b0 < TQ1_CHUNK ? nb - b0 : TQ1_CHUNK;
        const int32_t qs = tq1_prep8(q + b0 * 256, cb, pre);
        for (size_t r = row0; r < row1; r++) {
            __m256i u[5], v[5];
            for (int i = 0; i < 5; i++) u[i] = v[i] = _mm256_setzero_si256();
            const ck_block_tq1_0 *x = &w[r * nb + b0];
            const int masked = r + 1 == row1 && b0 + cb == nb;
            for (size_t b = 0; b < cb; b++, x++) {
                _mm_prefetch((const char *)x + CK_STREAM_PREFETCH, _MM_HINT_T0);
                const int8_t *pb = pre + b * 320;
                const __m256i A = _mm256_loadu_si256((const __m256i *)x->qs);
                const __m256i B = masked && b + 1 == cb ? _mm256_maskload_epi32((const int *)(x->qs + 32), m5)
                                                        : _mm256_loadu_si256((const __m256i *)(x->qs + 32));
                TQ1_HALF256(A, pb, u, v);
                TQ1_HALF256(B, pb + 32, u, v);
            }
            __m256i a = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(u[0], u[1]), _mm256_add_epi32(u[2], u[3])), u[4]);
            __m256i c = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(v[0], v[1]), _mm256_add_epi32(v[2], v[3])), v[4]);
            const int32_t s = ck_hsum_i32_8(_mm256_sub_epi32(_mm256_add_epi32(a, _mm256_add_epi32(a, a)), c)) / 256 - qs;
            out[r] = b0 == 0 ? s : out[r] + s;
        }
    }
}

/* GEMM: a row's trits are decoded to bytes once per call (t_k = [L_k ≥ 86] + [L_k ≥ 171], the carry of 3·L_k),
 * five 64-byte vectors per block in the prep's lane order, then dotted with every token's prep (made once per call
 * by the caller, ck_tq1_0_prepare; any alignment): five vpdpbusd per block and token instead of the gemv's ten.
 * Tiles of TQ1_GR rows × TQ1_GK blocks (trits decoded once per call), up to eight tokens per pass (one accumulator
 * per row and token: 0.90-0.92 ns per block and token against 0.96-1.05 with four tokens and two accumulators),
 * two rows sharing each prep load, partial sums added in int32. |Σ| ≤ 2·128·n: exact. */
#define TQ1_GR 8   /* rows per tile: their trits for TQ1_GK blocks (20 KiB) and a token group's prep stay in L1 */
#define TQ1_GK 8

CK_AVX512 static void tq1_trits512(const ck_block_tq1_0 *x, size_t nb, int masked, uint8_t *t) {
    const __m512i one = _mm512_set1_epi8(1), c86 = _mm512_set1_epi8(86), c171 = _mm512_set1_epi8((char)171);
    for (size_t b = 0; b < nb; b++, x++, t += 320) {
        __m512i L = masked && b + 1 == nb ? _mm512_maskz_loadu_epi8(TQ1_M52, x) : _mm512_loadu_si512(x);
        for (int k = 0; k < 5; k++) {
            const __m512i lo = _mm512_maskz_mov_epi8(_mm512_cmpge_epu8_mask(L, c86), one);
            _mm512_store_si512(t + 64 * k, _mm512_mask_add_epi8(lo, _mm512_cmpge_epu8_mask(L, c171), lo, one));
            L = tq1_x3(L);
        }
    }
}

#ifndef TQ1_GT
#define TQ1_GT 8   /* tokens per pass: 2 rows × 8 tokens of accumulators + 10 trit vectors fit the 32 registers */
#endif
CK_AVX512 static inline __attribute__((always_inline)) void tq1_gemm_tile(const uint8_t *ta, const uint8_t *tb, size_t nb,
        const int8_t *prep, size_t ldp, const int32_t *qsum, int nt, int32_t *out, size_t ldo, int two, int first) {
    __m512i a[TQ1_GT], c[TQ1_GT];
    for (int t = 0; t < TQ1_GT; t++) a[t] = c[t] = _mm512_setzero_si512();
    for (size_t b = 0; b < nb; b++) {
        const __m512i *x = (const __m512i *)(ta + b * 320), *y = (const __m512i *)(tb + b * 320);
        const __m512i X0 = _mm512_load_si512(x), X1 = _mm512_load_si512(x + 1), X2 = _mm512_load_si512(x + 2),
                      X3 = _mm512_load_si512(x + 3), X4 = _mm512_load_si512(x + 4);
        const __m512i Y0 = _mm512_load_si512(y), Y1 = _mm512_load_si512(y + 1), Y2 = _mm512_load_si512(y + 2),
                      Y3 = _mm512_load_si512(y + 3), Y4 = _mm512_load_si512(y + 4);
        for (int t = 0; t < nt; t++) {
            const int8_t *p = prep + t * ldp + b * 320;
            __m512i P = _mm512_loadu_si512(p);
            a[t] = _mm512_dpbusd_epi32(a[t], X0, P); c[t] = _mm512_dpbusd_epi32(c[t], Y0, P);
            P = _mm512_loadu_si512(p + 64);
            a[t] = _mm512_dpbusd_epi32(a[t], X1, P); c[t] = _mm512_dpbusd_epi32(c[t], Y1, P);
            P = _mm512_loadu_si512(p + 128);
            a[t] = _mm512_dpbusd_epi32(a[t], X2, P); c[t] = _mm512_dpbusd_epi32(c[t], Y2, P);
            P = _mm512_loadu_si512(p + 192);
            a[t] = _mm512_dpbusd_epi32(a[t], X3, P); c[t] = _mm512_dpbusd_epi32(c[t], Y3, P);
            P = _mm512_loadu_si512(p + 256);
            a[t] = _mm512_dpbusd_epi32(a[t], X4, P); c[t] = _mm512_dpbusd_epi32(c[t], Y4, P);
        }
    }
    for (int t = 0; t < nt; t++) {
        const int32_t sa = _mm512_reduce_add_epi32(a[t]);
        out[t * ldo] = first ? sa - qsum[t] : out[t * ldo] + sa;
        if (two) {
            const int32_t sc = _mm512_reduce_add_epi32(c[t]);
            out[t * ldo + 1] = first ? sc - qsum[t] : out[t * ldo + 1] + sc;
        }
    }
}

CK_AVX512 static void tq1_gemm_avx512(const ck_block_tq1_0 *w, size_t nb, size_t row0, size_t row1, const int8_t *prep,
                                      size_t ldp, const int32_t *qsum, size_t ntok, int32_t *out, size_t ldo) {
    _Alignas(64) uint8_t tr[TQ1_GR][TQ1_GK * 320];
    for (size_t r0 = row0; r0 < row1; r0 += TQ1_GR) {
        const size_t nr = row1 - r0 < TQ1_GR ? row1 - r0 : TQ1_GR;
        for (size_t b0 = 0; b0 < nb; b0 += TQ1_GK) {
            const size_t kb = nb - b0 < TQ1_GK ? nb - b0 : TQ1_GK;
            for (size_t i = 0; i < nr; i++) tq1_trits512(&w[(r0 + i) * nb + b0], kb, r0 + i + 1 == row1 && b0 + kb == nb, tr[i]);
            for (size_t t0 = 0; t0 < ntok; t0 += TQ1_GT) {
                const size_t nt = ntok - t0 < TQ1_GT ? ntok - t0 : TQ1_GT;
                const int8_t *pt = prep + t0 * ldp + b0 * 320;
                for (size_t i = 0; i < nr; i += 2) {
                    const int two = i + 1 < nr, first = b0 == 0;
                    const uint8_t *tb = two ? tr[i + 1] : tr[i];   /* the last odd row: computed twice, stored once */
                    int32_t *o = out + t0 * ldo + r0 + i;
                    switch (nt) {
#define TQ1_CASE(N) case N: tq1_gemm_tile(tr[i], tb, kb, pt, ldp, qsum + t0, N, o, ldo, two, first); break;
#if TQ1_GT >= 8
                    TQ1_CASE(8) TQ1_CASE(7)
#endif
#if TQ1_GT >= 6
                    TQ1_CASE(6) TQ1_CASE(5)
#endif
                    TQ1_CASE(4) TQ1_CASE(3) TQ1_CASE(2)
#undef TQ1_CASE
                    default: tq1_gemm_tile(tr[i], tb, kb, pt, ldp, qsum + t0, 1, o, ldo, two, first); break;
                    }
                }
            }
        }
    }
}

/* AVX-VNNI (256-bit, 16 registers) GEMM: the same tiles; a block's trits are ten 32-byte vectors (the halves of
 * the five 64-byte ones), each loaded once per pass and dotted with up to four tokens' prep halves. */
CK_AVXVNNI static void tq1_trits256(const ck_block_tq1_0 *x, size_t nb, int masked, uint8_t *t) {
    const __m256i one = _mm256_set1_epi8(1), c85 = _mm256_set1_epi8(85), c170 = _mm256_set1_epi8((char)170);
    const __m256i m5 = _mm256_setr_epi32(-1, -1, -1, -1, -1, 0, 0, 0);
    for (size_t b = 0; b < nb; b++, x++, t += 320) {
        for (int h = 0; h < 2; h++) {
            __m256i L = h == 0 ? _mm256_loadu_si256((const __m256i *)x->qs)
                      : masked && b + 1 == nb ? _mm256_maskload_epi32((const int *)(x->qs + 32), m5)
                                              : _mm256_loadu_si256((const __m256i *)(x->qs + 32));
            for (int k = 0; k < 5; k++) {
                /* t_k = [L ≥ 86] + [L ≥ 171], with min(L, c) == L ⇔ L ≤ c (unsigned bytes) */
                const __m256i le85 = _mm256_cmpeq_epi8(_mm256_min_epu8(L, c85), L);
                const __m256i le170 = _mm256_cmpeq_epi8(_mm256_min_epu8(L, c170), L);
                const __m256i tk = _mm256_add_epi8(_mm256_andnot_si256(le85, one), _mm256_andnot_si256(le170, one));
                _mm256_store_si256((__m256i *)(t + 64 * k + 32 * h), tk);
                L = tq1_x3y(L);
            }
        }
    }
}

CK_AVXVNNI static inline __attribute__((always_inline)) void tq1_gemm_tile256(const uint8_t *ta, size_t nb,
        const int8_t *prep, size_t ldp, const int32_t *qsum, int nt, int32_t *out, size_t ldo, int first) {
    __m256i a[4];
    for (int t = 0; t < 4; t++) a[t] = _mm256_setzero_si256();
    for (size_t b = 0; b < nb; b++) {
        for (int v = 0; v < 10; v++) {
            const __m256i X = _mm256_load_si256((const __m256i *)(ta + b * 320 + 32 * v));
            for (int t = 0; t < nt; t++)
                a[t] = _mm256_dpbusd_avx_epi32(a[t], X, _mm256_loadu_si256((const __m256i *)(prep + t * ldp + b * 320 + 32 * v)));
        }
    }
    for (int t = 0; t < nt; t++) {
        const int32_t sa = ck_hsum_i32_8(a[t]);
        out[t * ldo] = first ? sa - qsum[t] : out[t * ldo] + sa;
    }
}

CK_AVXVNNI static void tq1_gemm_vnni(const ck_block_tq1_0 *w, size_t nb, size_t row0, size_t row1, const int8_t *prep,
                                     size_t ldp, const int32_t *qsum, size_t ntok, int32_t *out, size_t ldo) {
    _Alignas(64) uint8_t tr[TQ1_GR][TQ1_GK * 320];
    for (size_t r0 = row0; r0 < row1; r0 += TQ1_GR) {
        const size_t nr = row1 - r0 < TQ1_GR ? row1 - r0 : TQ1_GR;
        for (size_t b0 = 0; b0 < nb; b0 += TQ1_GK) {
            const size_t kb = nb - b0 < TQ1_GK ? nb - b0 : TQ1_GK;
            for (size_t i = 0; i < nr; i++) tq1_trits256(&w[(r0 + i) * nb + b0], kb, r0 + i + 1 == row1 && b0 + kb == nb, tr[i]);
            for (size_t t0 = 0; t0 < ntok; t0 += 4) {
                const size_t nt = ntok - t0 < 4 ? ntok - t0 : 4;
                const int8_t *pt = prep + t0 * ldp + b0 * 320;
                for (size_t i = 0; i < nr; i++) {
                    int32_t *o = out + t0 * ldo + r0 + i;
                    const int first = b0 == 0;
                    switch (nt) {
                    case 4: tq1_gemm_tile256(tr[i], kb, pt, ldp, qsum + t0, 4, o, ldo, first); break;
                    case 3: tq1_gemm_tile256(tr[i], kb, pt, ldp, qsum + t0, 3, o, ldo, first); break;
                    case 2: tq1_gemm_tile256(tr[i], kb, pt, ldp, qsum + t0, 2, o, ldo, first); break;
                    default: tq1_gemm_tile256(tr[i], kb, pt, ldp, qsum + t0, 1, o, ldo, first); break;
                    }
                }
            }
        }
    }
}
#endif

size_t ck_tq1_0_prep_bytes(size_t n) { return n / CK_QK_K * 320; }

int32_t ck_tq1_0_prepare(const int8_t *q, size_t n, int8_t *prep) { return tq1_prep8(q, n / CK_QK_K, prep); }

void ck_tq1_0_i8_gemm(const ck_block_tq1_0 *w, size_t n, size_t row0, size_t row1, const int8_t *q, size_t ldq,
                      const int8_t *prep, size_t ldp, const int32_t *qsum, size_t ntok, int32_t *out, size_t ldo) {
    if (row0 >= row1 || ntok == 0) return;
#if CK_X86
    if (ck_avx512()) {
        ck_count(K_TQ1_GEMM_512);
        tq1_gemm_avx512(w, n / CK_QK_K, row0, row1, prep, ldp, qsum, ntok, out, ldo);
        return;
    }
    if (ck_vnni()) {
        ck_count(K_TQ1_GEMM_VNNI);
        tq1_gemm_vnni(w, n / CK_QK_K, row0, row1, prep, ldp, qsum, ntok, out, ldo);
        return;
    }
#endif
    (void)prep; (void)ldp; (void)qsum;   /* the row kernel per token (it counts its own id) */
    for (size_t r0 = row0; r0 < row1; r0 += 128) {   /* a block of rows stays in cache while every token passes */
        const size_t r1 = r0 + 128 < row1 ? r0 + 128 : row1;
        for (size_t t = 0; t < ntok; t++) ck_tq1_0_i8_gemv(w, n, r0, r1, q + t * ldq, out + t * ldo);
    }
}
