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
 * Speed: 32 grid look-ups per block bound all paths (a block's 82 bytes stream in about 2 ns; the look-ups and
 * sign/scale work take several times that on one core), so the kernels prefetch the weights ahead like the other
 * gemvs and keep the look-ups as cheap as the ISA allows: AVX-512 gathers 8 grid entries per instruction and
 * negates with the sign bits as a mask; AVX2 builds each 32-byte vector from four loads. */
#include "ck_internal.h"
#include "iq2s_grid.h"
#include <math.h>

#define IQ2S_BYTES 82

static inline uint64_t ck_load_u64(const void *p) { uint64_t v; memcpy(&v, p, 8); return v; }

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
/* The eight lanes of one block: per chunk, four grid entries (one 32-byte vector), the signs applied to q, maddubs
 * (pairs: at most 2·43·127, no saturation), madd with the chunk's two scales. */
CK_AVX2 static inline __m256i block_lanes_avx2(const uint8_t *blk, const int8_t *q) {
    const __m256i spread = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
                                            2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
    const __m256i bits = _mm256_set1_epi64x((long long)0x8040201008040201ull);
    const __m256i one = _mm256_set1_epi8(1);
    __m256i acc = _mm256_setzero_si256();
    for (int c = 0; c < 8; c++) {
        const __m256i g = _mm256_setr_epi64x((long long)ck_iq2s_grid[grid_index(blk, c, 0)],
                                             (long long)ck_iq2s_grid[grid_index(blk, c, 1)],
                                             (long long)ck_iq2s_grid[grid_index(blk, c, 2)],
                                             (long long)ck_iq2s_grid[grid_index(blk, c, 3)]);
        /* lane i: bit i%8 of sign byte i/8 → −1 when set, +1 otherwise */
        __m256i s = _mm256_shuffle_epi8(_mm256_set1_epi32((int)ck_load_u32(blk + 34 + 4 * c)), spread);
        s = _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_and_si256(s, bits), bits), one);
        const __m256i qs = _mm256_sign_epi8(_mm256_loadu_si256((const __m256i *)(q + 32 * c)), s);
        const __m256i p16 = _mm256_maddubs_epi16(g, qs);
        const uint8_t sc = blk[74 + c];
        const __m256i ls = _mm256_setr_m128i(_mm_set1_epi16((short)(2 * (sc & 15) + 1)),
                                             _mm_set1_epi16((short)(2 * (sc >> 4) + 1)));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(p16, ls));
    }
    return acc;
}

CK_AVX2 static void gemv_avx2(const uint8_t *w, size_t nb, size_t row0, size_t row1, const ck_block_q8_K *y, float *out) {
    for (size_t r = row0; r < row1; r++) {
        const uint8_t *p = w + r * nb * IQ2S_BYTES;
        __m256 acc = _mm256_setzero_ps();
        for (size_t b = 0; b < nb; b++) {
            const uint8_t *blk = p + b * IQ2S_BYTES;
            _mm_prefetch((const char *)blk + CK_STREAM_PREFETCH, _MM_HINT_T0);
            _mm_prefetch((const char *)blk + CK_STREAM_PREFETCH + 64, _MM_HINT_T0);
            const float d = _cvtsh_ss(ck_load_u16(blk)) * y[b].d; /* F16C inline: no call (and no spill) per block */
            acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(block_lanes_avx2(blk, y[b].qs)), acc);
        }
        float a[8];
        _mm256_storeu_ps(a, acc);
        out[r] = finish(a);
    }
}

/* AVX-512: two chunks (64 weights) per vector. The 32 grid indices of a block are computed in two 16-lane
 * vectors and looked up by four 8-entry gathers; the sign bits of 64 weights are one mask; the scales for chunks
 * 2m, 2m+1 come from a 16-bit table (lo, hi per chunk) by one permute. Lanes 0-7 (chunk 2m) and 8-15 (2m+1) are
 * added at the end: the same eight integers. */
CK_AVX512 static inline __m256i block_lanes_avx512(const uint8_t *blk, const int8_t *q) {
    const __m128i qh = _mm_loadl_epi64((const __m128i *)(blk + 66));
    const __m512i h0 = _mm512_cvtepu8_epi32(_mm_shuffle_epi8(qh, _mm_setr_epi8(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3)));
    const __m512i h1 = _mm512_cvtepu8_epi32(_mm_shuffle_epi8(qh, _mm_setr_epi8(4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7)));
    const __m512i shift = _mm512_setr_epi32(8, 6, 4, 2, 8, 6, 4, 2, 8, 6, 4, 2, 8, 6, 4, 2);
    const __m512i high = _mm512_set1_epi32(0x300);
    const __m512i i0 = _mm512_or_si512(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(blk + 2))),
                                       _mm512_and_si512(_mm512_sllv_epi32(h0, shift), high));
    const __m512i i1 = _mm512_or_si512(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(blk + 18))),
                                       _mm512_and_si512(_mm512_sllv_epi32(h1, shift), high));
    /* scales as int16: element 2c = 2·lo(c)+1, 2c+1 = 2·hi(c)+1 */
    const __m128i sc = _mm_loadl_epi64((const __m128i *)(blk + 74));
    const __m128i nib = _mm_set1_epi8(15);
    const __m128i lohi = _mm_unpacklo_epi8(_mm_and_si128(sc, nib), _mm_and_si128(_mm_srli_epi16(sc, 4), nib));
    const __m512i sc16 = _mm512_castsi256_si512(
        _mm256_add_epi16(_mm256_slli_epi16(_mm256_cvtepu8_epi16(lohi), 1), _mm256_set1_epi16(1)));
    /* 128-bit lane t of the scale vector for chunks 2m, 2m+1: element 4m + t */
    const __m512i pick = _mm512_setr_epi32(0, 0, 0, 0, 0x00010001, 0x00010001, 0x00010001, 0x00010001,
                                           0x00020002, 0x00020002, 0x00020002, 0x00020002,
                                           0x00030003, 0x00030003, 0x00030003, 0x00030003);
    const __m512i zero = _mm512_setzero_si512();
    __m512i acc = zero;
    for (int m = 0; m < 4; m++) {
        const __m512i iv = m < 2 ? i0 : i1;
        const __m256i idx = (m & 1) ? _mm512_extracti64x4_epi64(iv, 1) : _mm512_castsi512_si256(iv);
        const __m512i g = _mm512_i32gather_epi64(idx, (const void *)ck_iq2s_grid, 8);
        __m512i qv = _mm512_loadu_si512((const void *)(q + 64 * m));
        qv = _mm512_mask_sub_epi8(qv, (__mmask64)ck_load_u64(blk + 34 + 8 * m), zero, qv);
        const __m512i ls = _mm512_permutexvar_epi16(_mm512_add_epi16(pick, _mm512_set1_epi16((short)(4 * m))), sc16);
        acc = _mm512_add_epi32(acc, _mm512_madd_epi16(_mm512_maddubs_epi16(g, qv), ls));
    }
    return _mm256_add_epi32(_mm512_castsi512_si256(acc), _mm512_extracti64x4_epi64(acc, 1));
}

CK_AVX512 static void gemv_avx512(const uint8_t *w, size_t nb, size_t row0, size_t row1, const ck_block_q8_K *y, float *out) {
    for (size_t r = row0; r < row1; r++) {
        const uint8_t *p = w + r * nb * IQ2S_BYTES;
        __m256 acc = _mm256_setzero_ps();
        for (size_t b = 0; b < nb; b++) {
            const uint8_t *blk = p + b * IQ2S_BYTES;
            _mm_prefetch((const char *)blk + CK_STREAM_PREFETCH, _MM_HINT_T0);
            _mm_prefetch((const char *)blk + CK_STREAM_PREFETCH + 64, _MM_HINT_T0);
            const float d = _cvtsh_ss(ck_load_u16(blk)) * y[b].d; /* F16C inline: no call (and no spill) per block */
            acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(block_lanes_avx512(blk, y[b].qs)), acc);
        }
        float a[8];
        _mm256_storeu_ps(a, acc);
        out[r] = finish(a);
    }
}
#endif

void ck_iq2_s_q8_K_gemv(const uint8_t *w, size_t n, size_t row0, size_t row1, const ck_block_q8_K *y, float *out) {
    const size_t nb = n / CK_QK_K;
#if CK_X86
    if (ck_avx512()) { ck_count(K_IQ2S_Q8K_AVX512); gemv_avx512(w, nb, row0, row1, y, out); return; }
    if (ck_avx2()) { ck_count(K_IQ2S_Q8K_AVX2); gemv_avx2(w, nb, row0, row1, y, out); return; }
#endif
    ck_count(K_IQ2S_Q8K_SCALAR);
    gemv_scalar(w, nb, row0, row1, y, out);
}
