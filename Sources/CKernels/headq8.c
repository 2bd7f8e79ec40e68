/* Q8_0 × Q8_0 rows for the int8 output head (`--head int8`, not a parity path): exact integer block sums, one float
 * scale per block, accumulated in four independent chains (blocks ib % 4) so the dot is not bound by one FMA
 * chain's latency. The scalar reference accumulates the same four chains with exact block sums; the AVX2 path
 * splits each block sum over 8 int32 lanes, so the two agree within float rounding (see KernelsTests). */
#include "ck_internal.h"

static float head_row_scalar(const ck_block_q8_0 *x, const ck_block_q8_0 *y, size_t nb) {
    float acc[4] = {0, 0, 0, 0};
    for (size_t ib = 0; ib < nb; ib++) {
        int32_t s = 0;
        for (int i = 0; i < 32; i++) s += (int32_t)x[ib].qs[i] * (int32_t)y[ib].qs[i];
        acc[ib & 3] += ck_f16_to_f32(x[ib].d) * ck_f16_to_f32(y[ib].d) * (float)s;
    }
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

#if CK_X86
CK_AVX2 static inline __m256 head_block(const ck_block_q8_0 *x, const ck_block_q8_0 *y, __m256 acc, __m256i ones) {
    const __m256 d = _mm256_set1_ps(_cvtsh_ss(x->d) * _cvtsh_ss(y->d));
    const __m256i qx = _mm256_loadu_si256((const __m256i *)x->qs);
    const __m256i qy = _mm256_loadu_si256((const __m256i *)y->qs);
    const __m256i p = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_sign_epi8(qx, qx), _mm256_sign_epi8(qy, qx)), ones);
    return _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(p), acc);
}

CK_AVX2 static float head_row_avx2(const ck_block_q8_0 *x, const ck_block_q8_0 *y, size_t nb) {
    const __m256i ones = _mm256_set1_epi16(1);
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    size_t ib = 0;
    for (; ib + 4 <= nb; ib += 4) {
        _mm_prefetch((const char *)(x + ib) + CK_STREAM_PREFETCH, _MM_HINT_T0);
        _mm_prefetch((const char *)(x + ib) + CK_STREAM_PREFETCH + 64, _MM_HINT_T0);
        _mm_prefetch((const char *)(x + ib) + CK_STREAM_PREFETCH + 128, _MM_HINT_T0);
        a0 = head_block(x + ib, y + ib, a0, ones);
        a1 = head_block(x + ib + 1, y + ib + 1, a1, ones);
        a2 = head_block(x + ib + 2, y + ib + 2, a2, ones);
        a3 = head_block(x + ib + 3, y + ib + 3, a3, ones);
    }
    for (; ib < nb; ib++) a0 = head_block(x + ib, y + ib, a0, ones);
    const __m256 v = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
#endif

void ck_q8_0_head_gemv(const ck_block_q8_0 *w, size_t n, size_t row0, size_t row1, const ck_block_q8_0 *y,
                       float *out) {
    const size_t nb = n / 32;
#if CK_X86
    if (ck_avx2()) {
        ck_count(K_Q8_0_HEAD_AVX2);
        for (size_t r = row0; r < row1; r++) out[r] = head_row_avx2(w + r * nb, y, nb);
        return;
    }
#endif
    ck_count(K_Q8_0_HEAD_SCALAR);
    for (size_t r = row0; r < row1; r++) out[r] = head_row_scalar(w + r * nb, y, nb);
}
