/* I2_S with 64-weight blocks (bitnet.cpp converters built for ARM, QK_I2_S = 64): a block is 16 bytes and byte j
 * holds weights j, j+16, j+32, j+48 in bits 7:6, 5:4, 3:2, 1:0. Same code table and scale as I2_S. */
#include "ck_internal.h"

static int32_t row64_scalar(const uint8_t *w, const int8_t *q, size_t n) {
    int32_t sum = 0;
    for (size_t b = 0; b < n / 64; b++) {
        const uint8_t *wb = w + b * 16;
        const int8_t *qb = q + b * 64;
        for (int j = 0; j < 16; j++) {
            const uint8_t v = wb[j];
            sum += (v >> 6) * qb[j] + ((v >> 4) & 3) * qb[j + 16] + ((v >> 2) & 3) * qb[j + 32] + (v & 3) * qb[j + 48];
        }
    }
    return sum;
}

#if CK_X86
/* Two 64-blocks per 32-byte load: the low half is block b, the high half block b+1. */
#define Q2(qb, k) _mm256_loadu2_m128i((const __m128i *)((qb) + 64 + 16 * (k)), (const __m128i *)((qb) + 16 * (k)))

CK_AVX2 static int32_t row64_avx2(const uint8_t *w, const int8_t *q, size_t n) {
    const __m256i m3 = _mm256_set1_epi8(3), ones = _mm256_set1_epi16(1);
    const size_t pairs = n / 128;
    __m256i acc = _mm256_setzero_si256();
    for (size_t p = 0; p < pairs; p++) {
        const __m256i x = _mm256_loadu_si256((const __m256i *)(w + p * 32));
        const int8_t *qb = q + p * 128;
        __m256i s = _mm256_add_epi16(
            _mm256_add_epi16(_mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(x, 6), m3), Q2(qb, 0)),
                             _mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(x, 4), m3), Q2(qb, 1))),
            _mm256_add_epi16(_mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(x, 2), m3), Q2(qb, 2)),
                             _mm256_maddubs_epi16(_mm256_and_si256(x, m3), Q2(qb, 3))));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(s, ones));
    }
    int32_t sum = ck_hsum_i32_8(acc);
    if (n / 64 % 2) sum += row64_scalar(w + pairs * 32, q + pairs * 128, 64);
    return sum;
}

CK_AVXVNNI static int32_t row64_vnni(const uint8_t *w, const int8_t *q, size_t n) {
    const __m256i m3 = _mm256_set1_epi8(3);
    const size_t pairs = n / 128;
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
    for (size_t p = 0; p < pairs; p++) {
        const __m256i x = _mm256_loadu_si256((const __m256i *)(w + p * 32));
        const int8_t *qb = q + p * 128;
        a0 = _mm256_dpbusd_avx_epi32(a0, _mm256_and_si256(_mm256_srli_epi16(x, 6), m3), Q2(qb, 0));
        a1 = _mm256_dpbusd_avx_epi32(a1, _mm256_and_si256(_mm256_srli_epi16(x, 4), m3), Q2(qb, 1));
        a2 = _mm256_dpbusd_avx_epi32(a2, _mm256_and_si256(_mm256_srli_epi16(x, 2), m3), Q2(qb, 2));
        a3 = _mm256_dpbusd_avx_epi32(a3, _mm256_and_si256(x, m3), Q2(qb, 3));
    }
    int32_t sum = ck_hsum_i32_8(_mm256_add_epi32(_mm256_add_epi32(a0, a1), _mm256_add_epi32(a2, a3)));
    if (n / 64 % 2) sum += row64_scalar(w + pairs * 32, q + pairs * 128, 64);
    return sum;
}
#endif

typedef int32_t (*row64_fn)(const uint8_t *, const int8_t *, size_t);

static row64_fn pick(int gemm) {
#if CK_X86
    if (ck_vnni()) { ck_count(gemm ? K_I2S64_GEMM_VNNI : K_I2S64_GEMV_VNNI); return row64_vnni; }
    if (ck_avx2()) { ck_count(gemm ? K_I2S64_GEMM_AVX2 : K_I2S64_GEMV_AVX2); return row64_avx2; }
#endif
    ck_count(gemm ? K_I2S64_GEMM_SCALAR : K_I2S64_GEMV_SCALAR);
    return row64_scalar;
}

void ck_i2s64_gemv(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q, int32_t *out_sums) {
    if (row1 <= row0) return;
    const row64_fn f = pick(0);
    for (size_t r = row0; r < row1; r++) out_sums[r] = f(w + r * (n / 4), q, n);
}

void ck_i2s64_gemm(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q, size_t ldq, size_t ntok,
                   int32_t *out_sums, size_t ldo) {
    if (row1 <= row0 || ntok == 0) return;
    const row64_fn f = pick(1);
    for (size_t r = row0; r < row1; r++)
        for (size_t t = 0; t < ntok; t++) out_sums[t * ldo + r] = f(w + r * (n / 4), q + t * ldq, n);
}
