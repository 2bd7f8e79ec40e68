/* IQ2_S (mainline ggml type 22, 256-weight blocks of 82 bytes) × Q8_K activations.
 * Block: f16 d; qs[32] low 8 bits of each 8-weight group's grid index; signs[32] (bit j negates weight j of the
 * group); qh[8] (bits 9:8 of the index of group l of 32-weight chunk c at bits 2l+1:2l of qh[c]); scales[8]
 * (low nibble: groups 0-1 of chunk c, high nibble: groups 2-3). The grid is the GGUF layer's table, copied into
 * iq2s_grid.h by scripts/gen-iq2s-grid.py.
 * Per block: bsum = Σ_c (2·sc_lo+1)·S_c,lo + (2·sc_hi+1)·S_c,hi (exact integers, S = Σ grid·sign·q), then
 * sumf += (d_w·d_y)·(float)bsum in block order and out = 0.125·sumf, the order of ggml's generic
 * ggml_vec_dot_iq2_s_q8_K; the AVX2 path computes the same integers, so both paths give the same bits. */
#include "ck_internal.h"
#include "iq2s_grid.h"

#define IQ2S_BYTES 82

static inline int grid_index(const uint8_t *blk, int c, int l) {
    return blk[2 + 4 * c + l] | ((blk[66 + c] << (8 - 2 * l)) & 0x300);
}

static int32_t block_sum_scalar(const uint8_t *blk, const int8_t *q) {
    int32_t bsum = 0;
    for (int c = 0; c < 8; c++) {
        const uint8_t sc = blk[74 + c];
        int32_t part[2] = {0, 0};
        for (int l = 0; l < 4; l++) {
            const uint64_t g = ck_iq2s_grid[grid_index(blk, c, l)];
            const uint8_t sign = blk[34 + 4 * c + l];
            const int8_t *qq = q + 32 * c + 8 * l;
            for (int j = 0; j < 8; j++) {
                const int v = (int)((g >> (8 * j)) & 0xff) * qq[j];
                part[l / 2] += (sign >> j) & 1 ? -v : v;
            }
        }
        bsum += (2 * (sc & 15) + 1) * part[0] + (2 * (sc >> 4) + 1) * part[1];
    }
    return bsum;
}

#if CK_X86
CK_AVX2 static int32_t block_sum_avx2(const uint8_t *blk, const int8_t *q) {
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
        uint32_t sb;
        memcpy(&sb, blk + 34 + 4 * c, 4);
        /* lane i: bit i%8 of sign byte i/8 → −1 when set, +1 otherwise */
        __m256i s = _mm256_shuffle_epi8(_mm256_setr_epi32((int)sb, 0, 0, 0, (int)sb, 0, 0, 0), spread);
        s = _mm256_cmpeq_epi8(_mm256_and_si256(s, bits), bits);
        s = _mm256_or_si256(s, one);
        const __m256i qs = _mm256_sign_epi8(_mm256_loadu_si256((const __m256i *)(q + 32 * c)), s);
        const __m256i p16 = _mm256_maddubs_epi16(g, qs);
        const uint8_t sc = blk[74 + c];
        const __m256i ls = _mm256_setr_m128i(_mm_set1_epi16((short)(2 * (sc & 15) + 1)), _mm_set1_epi16((short)(2 * (sc >> 4) + 1)));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(p16, ls));
    }
    return ck_hsum_i32_8(acc);
}
#endif

void ck_iq2_s_q8_K_gemv(const uint8_t *w, size_t n, size_t row0, size_t row1, const ck_block_q8_K *y, float *out) {
    const size_t nb = n / CK_QK_K;
    int32_t (*block_sum)(const uint8_t *, const int8_t *) = block_sum_scalar;
#if CK_X86
    if (ck_avx2()) { ck_count(K_IQ2S_Q8K_AVX2); block_sum = block_sum_avx2; }
    else
#endif
        ck_count(K_IQ2S_Q8K_SCALAR);
    for (size_t r = row0; r < row1; r++) {
        const uint8_t *p = w + r * nb * IQ2S_BYTES;
        float sumf = 0.0f;
        for (size_t b = 0; b < nb; b++) {
            const uint8_t *blk = p + b * IQ2S_BYTES;
            const float d = ck_f16_to_f32(ck_load_u16(blk)) * y[b].d;
            const float t = d * (float)block_sum(blk, y[b].qs);
            sumf += t;
        }
        out[r] = 0.125f * sumf;
    }
}
