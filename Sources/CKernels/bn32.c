/* BitNet32-F16 (BitNet.rs: 32-weight blocks of 8 code bytes + f16 scale) × per-token int8.
 * Byte i/4 of a block holds weight i in bits 2(i%4)+1 : 2(i%4); value = code − 1, code 3 = 0.
 * out[r] = (Σ_b d_b · (float)S_b) / s, S_b = Σ_{i∈b} w_i·q_i (exact integer), summed in float in block
 * order as separate multiply and add (no FMA), so every path gives the same bits. */
#include "ck_internal.h"

#define BN32_BYTES 10
/* rows up to 2^17 weights use the AVX2 path of the repacked kernel (Σq per block on the stack) */
#define CK_BN32_MAX_BLOCKS 4096

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

/* ---- repacked form: I2_S-interleaved codes (byte j of a 128-weight group holds the j-th weight of its four
 * 32-weight blocks in bits 7:6, 5:4, 3:2, 1:0) and the f16 scale of each 32-weight block. */

void ck_bn32_scales(const uint8_t *src, size_t nblocks, uint16_t *scales) {
    for (size_t b = 0; b < nblocks; b++) scales[b] = ck_load_u16(src + b * BN32_BYTES + 8);
}

/* Σ (code − 1)·q over 32 weights of plane `shift` of one 32-byte group. */
static inline int32_t plane_dot_scalar(const uint8_t *g, int shift, const int8_t *q) {
    int32_t s = 0;
    for (int j = 0; j < 32; j++) s += ((int)((g[j] >> shift) & 3) - 1) * q[j];
    return s;
}

/* The 8 lane sums in a fixed order, then / s. */
static inline float finish8(const float a[8], float s) {
    const float x = (a[0] + a[1]) + (a[2] + a[3]), y = (a[4] + a[5]) + (a[6] + a[7]);
    return (x + y) / s;
}

static void r_rows_scalar(const uint8_t *w, const uint16_t *sc, size_t n, size_t row0, size_t row1, const int8_t *q,
                          float s, float *out) {
    const size_t nb = n / 32;
    for (size_t r = row0; r < row1; r++) {
        const uint8_t *g = w + r * (n / 4);
        const uint16_t *d = sc + r * nb;
        float a[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        for (size_t b = 0; b < nb; b++) {
            const int32_t S = plane_dot_scalar(g + (b / 4) * 32, 6 - 2 * (int)(b % 4), q + b * 32);
            const float t = ck_f16_to_f32(d[b]) * (float)S;
            a[b % 8] += t;
        }
        out[r] = finish8(a, s);
    }
}

#if CK_X86
/* Eight 32-weight blocks (two 128-weight groups) → their eight exact sums Σ code·q in lanes 0..7. */
CK_AVX2 static inline __m256i sums8_avx2(const uint8_t *g, const int8_t *q) {
    const __m256i m3 = _mm256_set1_epi8(3), one16 = _mm256_set1_epi16(1);
    __m256i v[8];
    for (int h = 0; h < 2; h++) {
        const __m256i x = _mm256_loadu_si256((const __m256i *)(g + 32 * h));
        const int8_t *qh = q + 128 * h;
        v[4 * h + 0] = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(x, 6), m3),
                                                              _mm256_loadu_si256((const __m256i *)qh)), one16);
        v[4 * h + 1] = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(x, 4), m3),
                                                              _mm256_loadu_si256((const __m256i *)(qh + 32))), one16);
        v[4 * h + 2] = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(x, 2), m3),
                                                              _mm256_loadu_si256((const __m256i *)(qh + 64))), one16);
        v[4 * h + 3] = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_and_si256(x, m3),
                                                              _mm256_loadu_si256((const __m256i *)(qh + 96))), one16);
    }
    const __m256i s01 = _mm256_hadd_epi32(v[0], v[1]), s23 = _mm256_hadd_epi32(v[2], v[3]);
    const __m256i s45 = _mm256_hadd_epi32(v[4], v[5]), s67 = _mm256_hadd_epi32(v[6], v[7]);
    const __m256i a = _mm256_hadd_epi32(s01, s23), b = _mm256_hadd_epi32(s45, s67);
    /* a: low half blocks 0-3 (first 4 lanes of each), high half blocks 0-3 (last 4 lanes); same for b, 4-7 */
    const __m128i lo = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
    const __m128i hi = _mm_add_epi32(_mm256_castsi256_si128(b), _mm256_extracti128_si256(b, 1));
    return _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
}

/* Σ q over 32-value blocks, eight at a time (lanes 0..7). */
CK_AVX2 static inline __m256i qsums8_avx2(const int8_t *q) {
    const __m256i one8 = _mm256_set1_epi8(1), one16 = _mm256_set1_epi16(1);
    __m256i v[8];
    for (int k = 0; k < 8; k++)
        v[k] = _mm256_madd_epi16(_mm256_maddubs_epi16(one8, _mm256_loadu_si256((const __m256i *)(q + 32 * k))), one16);
    const __m256i a = _mm256_hadd_epi32(_mm256_hadd_epi32(v[0], v[1]), _mm256_hadd_epi32(v[2], v[3]));
    const __m256i b = _mm256_hadd_epi32(_mm256_hadd_epi32(v[4], v[5]), _mm256_hadd_epi32(v[6], v[7]));
    const __m128i lo = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
    const __m128i hi = _mm_add_epi32(_mm256_castsi256_si128(b), _mm256_extracti128_si256(b, 1));
    return _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
}

/* The same eight sums with AVX-VNNI (vpdpbusd: Σ of four u8·s8 products per int32 lane). */
CK_AVXVNNI static inline __m256i sums8_vnni(const uint8_t *g, const int8_t *q) {
    const __m256i m3 = _mm256_set1_epi8(3), z = _mm256_setzero_si256();
    __m256i v[8];
    for (int h = 0; h < 2; h++) {
        const __m256i x = _mm256_loadu_si256((const __m256i *)(g + 32 * h));
        const int8_t *qh = q + 128 * h;
        v[4 * h + 0] = _mm256_dpbusd_avx_epi32(z, _mm256_and_si256(_mm256_srli_epi16(x, 6), m3), _mm256_loadu_si256((const __m256i *)qh));
        v[4 * h + 1] = _mm256_dpbusd_avx_epi32(z, _mm256_and_si256(_mm256_srli_epi16(x, 4), m3), _mm256_loadu_si256((const __m256i *)(qh + 32)));
        v[4 * h + 2] = _mm256_dpbusd_avx_epi32(z, _mm256_and_si256(_mm256_srli_epi16(x, 2), m3), _mm256_loadu_si256((const __m256i *)(qh + 64)));
        v[4 * h + 3] = _mm256_dpbusd_avx_epi32(z, _mm256_and_si256(x, m3), _mm256_loadu_si256((const __m256i *)(qh + 96)));
    }
    const __m256i a = _mm256_hadd_epi32(_mm256_hadd_epi32(v[0], v[1]), _mm256_hadd_epi32(v[2], v[3]));
    const __m256i b = _mm256_hadd_epi32(_mm256_hadd_epi32(v[4], v[5]), _mm256_hadd_epi32(v[6], v[7]));
    const __m128i lo = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
    const __m128i hi = _mm_add_epi32(_mm256_castsi256_si128(b), _mm256_extracti128_si256(b, 1));
    return _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
}

/* Rows with `SUMS8` (AVX2 or VNNI block sums); the float steps are the same on every path. */
#define BN32R_ROWS(NAME, ATTR, SUMS8)                                                                          \
    ATTR static void NAME(const uint8_t *w, const uint16_t *sc, size_t n, size_t row0, size_t row1,            \
                          const int8_t *q, float s, float *out) {                                              \
        const size_t nb = n / 32, n8 = nb / 8 * 8;                                                             \
        int32_t qs[CK_BN32_MAX_BLOCKS];                                                                        \
        for (size_t b = 0; b < n8; b += 8) _mm256_storeu_si256((__m256i *)(qs + b), qsums8_avx2(q + b * 32)); \
        for (size_t r = row0; r < row1; r++) {                                                                 \
            const uint8_t *g = w + r * (n / 4);                                                                \
            const uint16_t *d = sc + r * nb;                                                                   \
            __m256 acc = _mm256_setzero_ps();                                                                  \
            for (size_t b = 0; b < n8; b += 8) {                                                               \
                const __m256i S = _mm256_sub_epi32(SUMS8(g + (b / 4) * 32, q + b * 32),                       \
                                                   _mm256_loadu_si256((const __m256i *)(qs + b)));             \
                const __m256 t = _mm256_mul_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(d + b))),     \
                                               _mm256_cvtepi32_ps(S));                                         \
                acc = _mm256_add_ps(acc, t);                                                                   \
            }                                                                                                  \
            float a[8];                                                                                        \
            _mm256_storeu_ps(a, acc);                                                                          \
            for (size_t b = n8; b < nb; b++) {                                                                 \
                const int32_t S1 = plane_dot_scalar(g + (b / 4) * 32, 6 - 2 * (int)(b % 4), q + b * 32);       \
                const float t = ck_f16_to_f32(d[b]) * (float)S1;                                               \
                a[b % 8] += t;                                                                                 \
            }                                                                                                  \
            out[r] = finish8(a, s);                                                                            \
        }                                                                                                      \
    }
BN32R_ROWS(r_rows_avx2, CK_AVX2, sums8_avx2)
BN32R_ROWS(r_rows_vnni, CK_AVXVNNI, sums8_vnni)
#endif

void ck_bn32r_i8_gemv_f32(const uint8_t *codes, const uint16_t *scales, size_t n, size_t row0, size_t row1,
                          const int8_t *q, float s, float *out) {
#if CK_X86
    if (ck_vnni() && n / 32 <= CK_BN32_MAX_BLOCKS) {
        ck_count(K_BN32R_I8_VNNI);
        r_rows_vnni(codes, scales, n, row0, row1, q, s, out);
        return;
    }
    if (ck_avx2() && n / 32 <= CK_BN32_MAX_BLOCKS) {
        ck_count(K_BN32R_I8_AVX2);
        r_rows_avx2(codes, scales, n, row0, row1, q, s, out);
        return;
    }
#endif
    ck_count(K_BN32R_I8_SCALAR);
    r_rows_scalar(codes, scales, n, row0, row1, q, s, out);
}
