/* IQ2_S (mainline ggml type 22, 256-weight blocks of 82 bytes) × Q8_K activations.
 * Block: f16 d; qs[32] low 8 bits of each 8-weight group's grid index; signs[32] (bit j negates weight j of the
 * group); qh[8] (bits 9:8 of the index of group l of 32-weight chunk c at bits 2l+1:2l of qh[c]); scales[8]
 * (low nibble: groups 0-1 of chunk c, high nibble: groups 2-3). The grid is the GGUF layer's table, copied into
 * iq2s_grid.h by scripts/gen-iq2s-grid.py.
 *
 * Numerics: those of llama.cpp's x86 build (ggml-cpu/arch/x86/quants.c, ggml_vec_dot_iq2_s_q8_K, the AVX2 code
 * that its AVX2 and AVX-512 builds both run), so `--parity llama.cpp` gives its bits. Per block, eight exact
 * integer lanes L[k] = Σ_c ls(c, k/4) · Σ_{j<4} grid·sign·q over bytes 4k..4k+3 of every 32-weight chunk c
 * (ls = 2·nibble+1: the low nibble for lanes 0-3, the high one for 4-7; |L| < 2^23, so (float)L is exact); then
 * acc[k] = fma(d_w·d_y, (float)L[k], acc[k]) in block order, and out = 0.125·(((a4+a0)+(a6+a2))+((a5+a1)+(a7+a3))),
 * ggml's hsum_float_8. Every path computes the same integers and the same float operations: the same bits.
 *
 * Speed: the 32 grid look-ups per block bound every path (about 10-11 ns per block on one core here, rows in cache
 * or from DRAM alike, against about 2 ns for the block's 82 bytes to stream): IQ2_S decode is compute-bound. The
 * kernels build each chunk's 32-byte grid vector from four table loads with the index arithmetic on the scalar
 * ports, two chunks per step; AVX-512 (BW/VL) only replaces the sign expansion by a byte mask. Measured against
 * alternatives (microbenchmark, 1 thread, 6912×2560 rows): four 8-entry AVX-512 gathers per block 12-13 ns, a
 * 16-bit code table with gathers and vpmultishiftqb expansion 14.7 ns, one chunk per step 13 ns. */
#include "ck_internal.h"
#include "iq2s_grid.h"
#include <math.h>
#include <stdlib.h>

#define IQ2S_BYTES 82

static inline int grid_index(const uint8_t *blk, int c, int l) {
    return blk[2 + 4 * c + l] | ((blk[66 + c] << (8 - 2 * l)) & 0x300);
}

/* ggml's hsum_float_8 order, then the final 0.125 scale. */
static inline float finish(const float a[8]) {
    return 0.125f * (((a[4] + a[0]) + (a[6] + a[2])) + ((a[5] + a[1]) + (a[7] + a[3])));
}

static void block_lanes_scalar(const uint8_t *blk, const int8_t *q, int32_t lanes[8]) {
    for (int k = 0; k < 8; k++) lanes[k] = 0;
    for (int c = 0; c < 8; c++) {
        const uint8_t sc = blk[74 + c];
        const int32_t ls[2] = {2 * (sc & 15) + 1, 2 * (sc >> 4) + 1};
        for (int l = 0; l < 4; l++) {
            const uint64_t g = ck_iq2s_grid[grid_index(blk, c, l)];
            const uint8_t sign = blk[34 + 4 * c + l];
            const int8_t *qq = q + 32 * c + 8 * l;
            for (int j = 0; j < 8; j++) {
                const int32_t v = (int32_t)((g >> (8 * j)) & 0xff) * qq[j];
                lanes[2 * l + j / 4] += ls[l / 2] * ((sign >> j) & 1 ? -v : v);
            }
        }
    }
}

static void gemv_scalar(const uint8_t *w, size_t nb, size_t row0, size_t row1, const ck_block_q8_K *y, float *out) {
    for (size_t r = row0; r < row1; r++) {
        const uint8_t *p = w + r * nb * IQ2S_BYTES;
        float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (size_t b = 0; b < nb; b++) {
            const uint8_t *blk = p + b * IQ2S_BYTES;
            const float d = ck_f16_to_f32(ck_load_u16(blk)) * y[b].d;
            int32_t lanes[8];
            block_lanes_scalar(blk, y[b].qs, lanes);
            for (int k = 0; k < 8; k++) acc[k] = fmaf(d, (float)lanes[k], acc[k]);
        }
        out[r] = finish(acc);
    }
}

#if CK_X86
/* Four grid entries of one 32-weight chunk (qs: its four index bytes, qh: its high-bits byte) as one vector. The
 * index arithmetic runs on the scalar ports beside the vector work. */
CK_AVX2 static inline __m256i chunk_grid(const uint8_t *qs, unsigned qh) {
    return _mm256_setr_epi64x((long long)ck_iq2s_grid[qs[0] | ((qh << 8) & 0x300)],
                              (long long)ck_iq2s_grid[qs[1] | ((qh << 6) & 0x300)],
                              (long long)ck_iq2s_grid[qs[2] | ((qh << 4) & 0x300)],
                              (long long)ck_iq2s_grid[qs[3] | ((qh << 2) & 0x300)]);
}

/* The chunk's scales as int16 (2·nibble+1): element c of the low 128-bit lane is chunk c's low nibble, of the high
 * lane its high nibble, so one byte shuffle per chunk gives (lo ×8, hi ×8), the two halves of its lanes. */
CK_AVX2 static inline __m256i block_scales16(const uint8_t *blk) {
    const __m128i sc = _mm_loadl_epi64((const __m128i *)(blk + 74));
    const __m128i nib = _mm_set1_epi8(15);
    const __m128i lohi = _mm_unpacklo_epi64(_mm_and_si128(sc, nib), _mm_and_si128(_mm_srli_epi16(sc, 4), nib));
    return _mm256_add_epi16(_mm256_slli_epi16(_mm256_cvtepu8_epi16(lohi), 1), _mm256_set1_epi16(1));
}

CK_AVX2 static inline __m256i chunk_scale(__m256i s16, int c) {
    return _mm256_shuffle_epi8(s16, _mm256_set1_epi16((short)(0x0100 * (2 * c + 1) + 2 * c)));
}

/* q of one chunk with the chunk's 32 sign bits applied (q ∈ [−127, 127], so −q never wraps). */
CK_AVX2 static inline __m256i chunk_q_avx2(const uint8_t *sg, const int8_t *q) {
    const __m256i spread = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
                                            2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
    const __m256i bits = _mm256_set1_epi64x((long long)0x8040201008040201ull);
    const __m256i s = _mm256_shuffle_epi8(_mm256_set1_epi32((int)ck_load_u32(sg)), spread);
    const __m256i neg = _mm256_cmpeq_epi8(_mm256_and_si256(s, bits), bits);
    const __m256i qv = _mm256_loadu_si256((const __m256i *)q);
    return _mm256_sub_epi8(_mm256_xor_si256(qv, neg), neg);
}

CK_AVX512 static inline __m256i chunk_q_avx512(const uint8_t *sg, const int8_t *q) {
    const __m256i qv = _mm256_loadu_si256((const __m256i *)q);
    return _mm256_mask_sub_epi8(qv, (__mmask32)ck_load_u32(sg), _mm256_setzero_si256(), qv);
}

/* The eight lanes of one block, two chunks per step in two accumulators: maddubs (pairs at most 2·43·127, no
 * saturation), madd with the chunk's two scales. CHUNK_Q is the path's sign step. */
#define IQ2S_BLOCK_LANES(ATTR, NAME, CHUNK_Q)                                                                    \
    ATTR static inline __m256i NAME(const uint8_t *blk, const int8_t *q) {                                       \
        const __m256i s16 = block_scales16(blk);                                                                 \
        __m256i a0 = _mm256_setzero_si256(), a1 = _mm256_setzero_si256();                                       \
        for (int c = 0; c < 8; c += 2) {                                                                         \
            const __m256i p0 = _mm256_maddubs_epi16(chunk_grid(blk + 2 + 4 * c, blk[66 + c]),                    \
                                                    CHUNK_Q(blk + 34 + 4 * c, q + 32 * c));                      \
            const __m256i p1 = _mm256_maddubs_epi16(chunk_grid(blk + 6 + 4 * c, blk[67 + c]),                    \
                                                    CHUNK_Q(blk + 38 + 4 * c, q + 32 * c + 32));                 \
            a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(p0, chunk_scale(s16, c)));                               \
            a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(p1, chunk_scale(s16, c + 1)));                           \
        }                                                                                                        \
        return _mm256_add_epi32(a0, a1);                                                                         \
    }
IQ2S_BLOCK_LANES(CK_AVX2, block_lanes_avx2, chunk_q_avx2)
IQ2S_BLOCK_LANES(CK_AVX512, block_lanes_avx512, chunk_q_avx512)

/* Rows: the block's lanes, then acc = fma(d_w·d_y, lanes, acc) (F16C inline: a call per block would spill acc). */
#define IQ2S_GEMV(ATTR, NAME, LANES)                                                                             \
    ATTR static void NAME(const uint8_t *w, size_t nb, size_t row0, size_t row1, const ck_block_q8_K *y, float *out) { \
        for (size_t r = row0; r < row1; r++) {                                                                   \
            const uint8_t *p = w + r * nb * IQ2S_BYTES;                                                          \
            __m256 acc = _mm256_setzero_ps();                                                                    \
            for (size_t b = 0; b < nb; b++) {                                                                    \
                const uint8_t *blk = p + b * IQ2S_BYTES;                                                         \
                _mm_prefetch((const char *)blk + CK_STREAM_PREFETCH, _MM_HINT_T0);                               \
                _mm_prefetch((const char *)blk + CK_STREAM_PREFETCH + 64, _MM_HINT_T0);                          \
                const float d = _cvtsh_ss(ck_load_u16(blk)) * y[b].d;                                            \
                acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(LANES(blk, y[b].qs)), acc);          \
            }                                                                                                    \
            float a[8];                                                                                          \
            _mm256_storeu_ps(a, acc);                                                                            \
            out[r] = finish(a);                                                                                  \
        }                                                                                                        \
    }
IQ2S_GEMV(CK_AVX2, gemv_avx2, block_lanes_avx2)
IQ2S_GEMV(CK_AVX512, gemv_avx512, block_lanes_avx512)

/* Batched prefill. Each row is expanded once into signed 16-bit weights with the chunk scale folded in
 * (w16 = ±grid·ls, |w16| ≤ 43·31), then every token's block lanes are 16-bit dot products of w16 with q: pair sums
 * of the chunk's bytes 0-15 and 16-31 accumulated over the block's eight chunks, then adjacent pairs added, so lane k
 * (bytes 4k..4k+3 of every chunk, times ls) is the gemv's integer exactly (integer sums: order-free), and the float
 * steps are the gemv's: every output bit-identical to it. The grid look-ups, signs and scales cost once per row
 * instead of once per row and token. */
CK_AVX2 static void iq2s_expand16(const uint8_t *blk, int16_t *w) {
    const __m256i bit = _mm256_setr_epi16(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, -32768);
    for (int c = 0; c < 8; c++) {
        const __m256i g = chunk_grid(blk + 2 + 4 * c, blk[66 + c]);
        const uint32_t sg = ck_load_u32(blk + 34 + 4 * c);
        const uint8_t sc = blk[74 + c];
        const int16_t ls[2] = {(int16_t)(2 * (sc & 15) + 1), (int16_t)(2 * (sc >> 4) + 1)};
        for (int h = 0; h < 2; h++) {   /* bytes 16h..16h+15: groups 2h, 2h+1 */
            const __m256i v = _mm256_mullo_epi16(_mm256_cvtepu8_epi16(h ? _mm256_extracti128_si256(g, 1) : _mm256_castsi256_si128(g)),
                                                 _mm256_set1_epi16(ls[h]));
            const __m256i neg = _mm256_cmpeq_epi16(_mm256_and_si256(_mm256_set1_epi16((short)(sg >> (16 * h))), bit), bit);
            _mm256_storeu_si256((__m256i *)(w + 32 * c + 16 * h), _mm256_sub_epi16(_mm256_xor_si256(v, neg), neg));
        }
    }
}

/* Pair sums of bytes 0-15 (lo) and 16-31 (hi) → the eight lanes: hadd gives L0 L1 L4 L5 | L2 L3 L6 L7. */
CK_AVX2 static inline __m256i iq2s_pairs_to_lanes(__m256i lo, __m256i hi) {
    return _mm256_permutevar8x32_epi32(_mm256_hadd_epi32(lo, hi), _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7));
}

/* Two rows' lanes against one q, widened once. */
CK_AVX2 static inline void iq2s_lanes16x2_avx2(const int16_t *w0, const int16_t *w1, const int8_t *q, __m256i *l0, __m256i *l1) {
    __m256i lo0 = _mm256_setzero_si256(), hi0 = lo0, lo1 = lo0, hi1 = lo0;
    for (int c = 0; c < 8; c++) {
        const __m256i qa = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(q + 32 * c)));
        const __m256i qb = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(q + 32 * c + 16)));
        lo0 = _mm256_add_epi32(lo0, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(w0 + 32 * c)), qa));
        hi0 = _mm256_add_epi32(hi0, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(w0 + 32 * c + 16)), qb));
        lo1 = _mm256_add_epi32(lo1, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(w1 + 32 * c)), qa));
        hi1 = _mm256_add_epi32(hi1, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(w1 + 32 * c + 16)), qb));
    }
    *l0 = iq2s_pairs_to_lanes(lo0, hi0);
    *l1 = iq2s_pairs_to_lanes(lo1, hi1);
}

CK_AVX512 static inline void iq2s_lanes16x2_avx512(const int16_t *w0, const int16_t *w1, const int8_t *q, __m256i *l0, __m256i *l1) {
    __m512i a = _mm512_setzero_si512(), b = a;
    for (int c = 0; c < 8; c++) {
        const __m512i qc = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(q + 32 * c)));
        a = _mm512_dpwssd_epi32(a, _mm512_loadu_si512(w0 + 32 * c), qc);
        b = _mm512_dpwssd_epi32(b, _mm512_loadu_si512(w1 + 32 * c), qc);
    }
    *l0 = iq2s_pairs_to_lanes(_mm512_castsi512_si256(a), _mm512_extracti64x4_epi64(a, 1));
    *l1 = iq2s_pairs_to_lanes(_mm512_castsi512_si256(b), _mm512_extracti64x4_epi64(b, 1));
}

/* Two rows × four tokens: eight fma chains (each in its row's and token's block order). */
#define IQ2S_PAIR_STEP(LANES2, t, A, B)                                                                          \
    do {                                                                                                         \
        __m256i l0, l1;                                                                                          \
        LANES2(w0 + 256 * b, w1 + 256 * b, ys[t][b].qs, &l0, &l1);                                               \
        A = _mm256_fmadd_ps(_mm256_set1_ps(d0 * ys[t][b].d), _mm256_cvtepi32_ps(l0), A);                         \
        B = _mm256_fmadd_ps(_mm256_set1_ps(d1 * ys[t][b].d), _mm256_cvtepi32_ps(l1), B);                         \
    } while (0)
#define IQ2S_PAIR_STORE(t, A, B)                                                                                 \
    do {                                                                                                         \
        _mm256_storeu_ps(a, A); out[(t) * ldo + r] = finish(a);                                                  \
        if (two) { _mm256_storeu_ps(a, B); out[(t) * ldo + r + 1] = finish(a); }                               \
    } while (0)

/* Row pairs (an odd last row is paired with itself: computed twice, stored once), four tokens at a time, then the
 * rest of the tokens one by one. */
#define IQ2S_GEMM(ATTR, NAME, LANES2)                                                                            \
    ATTR static void NAME(const uint8_t *w, size_t nb, size_t row0, size_t row1, const ck_block_q8_K *const *ys, \
                          size_t T, float *out, size_t ldo, int16_t *w16) {                                      \
        float a[8];                                                                                              \
        for (size_t r = row0; r < row1; r += 2) {                                                                \
            const int two = r + 1 < row1;                                                                        \
            const uint8_t *p0 = w + r * nb * IQ2S_BYTES, *p1 = two ? p0 + nb * IQ2S_BYTES : p0;                  \
            int16_t *w0 = w16, *w1 = two ? w16 + 256 * nb : w16;                                                 \
            for (size_t b = 0; b < nb; b++) {                                                                    \
                iq2s_expand16(p0 + b * IQ2S_BYTES, w0 + 256 * b);                                                \
                if (two) iq2s_expand16(p1 + b * IQ2S_BYTES, w1 + 256 * b);                                       \
            }                                                                                                    \
            size_t t = 0;                                                                                        \
            for (; t + 4 <= T; t += 4) {                                                                         \
                __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;  \
                for (size_t b = 0; b < nb; b++) {                                                                \
                    const float d0 = _cvtsh_ss(ck_load_u16(p0 + b * IQ2S_BYTES));                                \
                    const float d1 = _cvtsh_ss(ck_load_u16(p1 + b * IQ2S_BYTES));                                \
                    IQ2S_PAIR_STEP(LANES2, t, a0, b0); IQ2S_PAIR_STEP(LANES2, t + 1, a1, b1);                    \
                    IQ2S_PAIR_STEP(LANES2, t + 2, a2, b2); IQ2S_PAIR_STEP(LANES2, t + 3, a3, b3);                \
                }                                                                                                \
                IQ2S_PAIR_STORE(t, a0, b0); IQ2S_PAIR_STORE(t + 1, a1, b1);                                      \
                IQ2S_PAIR_STORE(t + 2, a2, b2); IQ2S_PAIR_STORE(t + 3, a3, b3);                                  \
            }                                                                                                    \
            for (; t < T; t++) {                                                                                 \
                __m256 a0 = _mm256_setzero_ps(), b0 = a0;                                                        \
                for (size_t b = 0; b < nb; b++) {                                                                \
                    const float d0 = _cvtsh_ss(ck_load_u16(p0 + b * IQ2S_BYTES));                                \
                    const float d1 = _cvtsh_ss(ck_load_u16(p1 + b * IQ2S_BYTES));                                \
                    IQ2S_PAIR_STEP(LANES2, t, a0, b0);                                                           \
                }                                                                                                \
                IQ2S_PAIR_STORE(t, a0, b0);                                                                      \
            }                                                                                                    \
        }                                                                                                        \
    }
IQ2S_GEMM(CK_AVX2, gemm_avx2, iq2s_lanes16x2_avx2)
IQ2S_GEMM(CK_AVX512, gemm_avx512, iq2s_lanes16x2_avx512)
#endif

void ck_iq2_s_q8_K_gemm(const uint8_t *w, size_t n, size_t row0, size_t row1, const ck_block_q8_K *const *ys, size_t T,
                        float *out, size_t ldo) {
    const size_t nb = n / CK_QK_K;
#if CK_X86
    if (ck_avx2() && T > 1) {
        int16_t *w16 = malloc(2 * nb * 256 * sizeof *w16);   /* two rows' expanded weights */
        if (w16) {
            if (ck_avx512()) { ck_count(K_IQ2S_Q8K_GEMM_AVX512); gemm_avx512(w, nb, row0, row1, ys, T, out, ldo, w16); }
            else { ck_count(K_IQ2S_Q8K_GEMM_AVX2); gemm_avx2(w, nb, row0, row1, ys, T, out, ldo, w16); }
            free(w16);
            return;
        }
    }
#endif
    for (size_t t = 0; t < T; t++) ck_iq2_s_q8_K_gemv(w, n, row0, row1, ys[t], out + t * ldo);
}

void ck_iq2_s_q8_K_gemv(const uint8_t *w, size_t n, size_t row0, size_t row1, const ck_block_q8_K *y, float *out) {
    const size_t nb = n / CK_QK_K;
#if CK_X86
    if (ck_avx512()) { ck_count(K_IQ2S_Q8K_AVX512); gemv_avx512(w, nb, row0, row1, y, out); return; }
    if (ck_avx2()) { ck_count(K_IQ2S_Q8K_AVX2); gemv_avx2(w, nb, row0, row1, y, out); return; }
#endif
    ck_count(K_IQ2S_Q8K_SCALAR);
    gemv_scalar(w, nb, row0, row1, y, out);
}
