/* BitNet32-F16 (BitNet.rs: 32-weight blocks of 8 code bytes + f16 scale) × per-token int8.
 * Byte i/4 of a block holds weight i in bits 2(i%4)+1 : 2(i%4); value = code − 1, code 3 = 0.
 * out[r] = (Σ_b d_b · (float)S_b) / s, S_b = Σ_{i∈b} w_i·q_i (exact integer), summed in float in block
 * order as separate multiply and add (no FMA), so every path gives the same bits. */
#include "ck_internal.h"

#define BN32_BYTES 10

static inline int32_t block_dot_scalar(const uint8_t *p, const int8_t *q) {
    int32_t s = 0;
    for (int i = 0; i < 32; i++) {
        const int c = (p[i / 4] >> (2 * (i % 4))) & 3;
        s += (c == 3 ? 0 : c - 1) * q[i];
    }
    return s;
}

static void rows_scalar(const uint8_t *w, size_t nb, size_t row0, size_t row1, const int8_t *q, float s, float *out) {
    for (size_t r = row0; r < row1; r++) {
        const uint8_t *p = w + r * nb * BN32_BYTES;
        float acc = 0.0f;
        for (size_t b = 0; b < nb; b++) {
            const float t = ck_f16_to_f32(ck_load_u16(p + b * BN32_BYTES + 8)) * (float)block_dot_scalar(p + b * BN32_BYTES, q + b * 32);
            acc += t;
        }
        out[r] = acc / s;
    }
}

#if CK_X86
/* Σ w·q of one block: the 8 code bytes spread so lane i holds byte i/4, masked to its 2-bit field, then
 * w = [field == 2<<k] − [field == 0] (code 1 and 3 give 0); q·w with sign, summed through maddubs/madd. */
CK_AVX2 static inline int32_t block_dot_avx2(const uint8_t *p, const int8_t *q) {
    const __m256i spread = _mm256_setr_epi8(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                            4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7);
    const __m256i mask = _mm256_set1_epi32((int)0xC0300C03u);   /* bytes 0x03, 0x0C, 0x30, 0xC0 */
    const __m256i two = _mm256_set1_epi32((int)0x80200802u);    /* code 2 in each field */
    uint64_t bytes;
    memcpy(&bytes, p, 8);
    const __m256i v = _mm256_shuffle_epi8(_mm256_set1_epi64x((long long)bytes), spread);
    const __m256i f = _mm256_and_si256(v, mask);
    const __m256i w = _mm256_sub_epi8(_mm256_cmpeq_epi8(f, _mm256_setzero_si256()), _mm256_cmpeq_epi8(f, two));
    const __m256i prod = _mm256_sign_epi8(_mm256_loadu_si256((const __m256i *)q), w);
    const __m256i s16 = _mm256_maddubs_epi16(_mm256_set1_epi8(1), prod);
    return ck_hsum_i32_8(_mm256_madd_epi16(s16, _mm256_set1_epi16(1)));
}

CK_AVX2 static void rows_avx2(const uint8_t *w, size_t nb, size_t row0, size_t row1, const int8_t *q, float s, float *out) {
    for (size_t r = row0; r < row1; r++) {
        const uint8_t *p = w + r * nb * BN32_BYTES;
        float acc = 0.0f;
        for (size_t b = 0; b < nb; b++) {
            const float d = ck_f16_to_f32(ck_load_u16(p + b * BN32_BYTES + 8));
            const float t = d * (float)block_dot_avx2(p + b * BN32_BYTES, q + b * 32);
            acc += t;
        }
        out[r] = acc / s;
    }
}
#endif

void ck_bn32_i8_gemv_f32(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q, float s, float *out) {
    const size_t nb = n / 32;
#if CK_X86
    if (ck_avx2()) { ck_count(K_BN32_I8_AVX2); rows_avx2(w, nb, row0, row1, q, s, out); return; }
#endif
    ck_count(K_BN32_I8_SCALAR);
    rows_scalar(w, nb, row0, row1, q, s, out);
}

/* The repacked form (varying block scales) is in bn32r.c. */
