/* Activation quantizers: bitnet.cpp per-token int8, llama.cpp Q8_K, Q8_0, Q8_1. */
#include "ck_internal.h"
#include <math.h>

static int32_t i8_s_quant_scalar(const float *x, int8_t *q, size_t n, float s) {
    int32_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        int v = ck_nearest_int(x[i] * s);
        v = v > 127 ? 127 : (v < -128 ? -128 : v);
        sum += v;
        q[i] = (int8_t)v;
    }
    return sum;
}

#if CK_X86
/* Same numerics: float product, +1.5·2^23 rounding (exactly the scalar magic), clamp, sum. */
CK_AVX2 static int32_t i8_s_quant_avx2(const float *x, int8_t *q, size_t n, float s) {
    const __m256 vs = _mm256_set1_ps(s), magic = _mm256_set1_ps(12582912.0f);
    const __m256i mmask = _mm256_set1_epi32(0x007fffff), off = _mm256_set1_epi32(0x00400000);
    const __m256i lo = _mm256_set1_epi32(-128), hi = _mm256_set1_epi32(127);
    __m256i acc = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 p = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(x + i), vs), magic);
        __m256i v = _mm256_sub_epi32(_mm256_and_si256(_mm256_castps_si256(p), mmask), off);
        v = _mm256_min_epi32(_mm256_max_epi32(v, lo), hi);
        acc = _mm256_add_epi32(acc, v);
        __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        w = _mm_packs_epi16(w, w);
        _mm_storel_epi64((__m128i *)(q + i), w);
    }
    return ck_hsum_i32_8(acc) + i8_s_quant_scalar(x + i, q + i, n - i, s);
}
#endif

int32_t ck_quantize_i8_s(const float *x, int8_t *q, size_t n, float *scale) {
    double max = 0.00001;
    for (size_t i = 0; i < n; i++) {
        double a = fabs((double)x[i]);
        if (a > max) max = a;
    }
    const float s = (float)(127.0 / max);
    *scale = s;
#if CK_X86
    if (ck_avx2()) { ck_count(K_QI8S_AVX2); return i8_s_quant_avx2(x, q, n, s); }
#endif
    ck_count(K_QI8S_SCALAR);
    return i8_s_quant_scalar(x, q, n, s);
}

/* llama.cpp quantize_row_q8_K_ref for one block: signed max (the first value of largest magnitude), iscale = -127/max,
 * q = min(127, nearest_int(iscale·x)), 16-value sums, d = 1/iscale; an all-zero block is all zeros. */
static void q8K_block_scalar(const float *x, ck_block_q8_K *y) {
    float max = 0, amax = 0;
    for (int j = 0; j < CK_QK_K; j++) {
        float ax = fabsf(x[j]);
        if (ax > amax) { amax = ax; max = x[j]; }
    }
    if (!amax) { memset(y, 0, sizeof *y); return; }
    const float iscale = -127.f / max;
    for (int j = 0; j < CK_QK_K; j++) {
        int v = ck_nearest_int(iscale * x[j]);
        y->qs[j] = (int8_t)(v < 127 ? v : 127);
    }
    for (int j = 0; j < CK_QK_K / 16; j++) {
        int sum = 0;
        for (int k = 0; k < 16; k++) sum += y->qs[j * 16 + k];
        y->bsums[j] = (int16_t)sum;
    }
    y->d = 1 / iscale;
}

#if CK_X86
/* Whether the 8·k floats are all finite (the AVX2 quantizers send other blocks to the scalar code). */
CK_AVX2 static int all_finite(const float *x, int k) {
    const __m256 sign = _mm256_set1_ps(-0.0f), big = _mm256_set1_ps(3.40282347e38f);
    __m256 ok = _mm256_castsi256_ps(_mm256_set1_epi32(-1));
    for (int i = 0; i < k; i++) ok = _mm256_and_ps(ok, _mm256_cmp_ps(_mm256_andnot_ps(sign, _mm256_loadu_ps(x + 8 * i)), big, _CMP_LE_OQ));
    return _mm256_movemask_ps(ok) == 0xff;
}

/* max |x| over 8·k floats (exact: max is order-free). */
CK_AVX2 static float abs_max(const float *x, int k) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 m = _mm256_setzero_ps();
    for (int i = 0; i < k; i++) m = _mm256_max_ps(m, _mm256_andnot_ps(sign, _mm256_loadu_ps(x + 8 * i)));
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    return _mm_cvtss_f32(_mm_max_ss(h, _mm_shuffle_ps(h, h, 1)));
}

/* 8·k codes = round-half-even(x·s) (the scalar magic-number / nearbyintf rounding under the default rounding mode),
 * at most 127; returns their sum. */
CK_AVX2 static int32_t codes_rne(const float *x, int k, float s, int8_t *q) {
    const __m256 vs = _mm256_set1_ps(s);
    const __m256i hi = _mm256_set1_epi32(127);
    __m256i sum = _mm256_setzero_si256();
    for (int i = 0; i < k; i++) {
        const __m256i v = _mm256_min_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + 8 * i), vs)), hi);
        sum = _mm256_add_epi32(sum, v);
        const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        _mm_storel_epi64((__m128i *)(q + 8 * i), _mm_packs_epi16(w, w));
    }
    return ck_hsum_i32_8(sum);
}

/* Q8_K of one 256-value block, the scalar code's numbers (the first value of largest magnitude sets the sign). */
CK_AVX2 static int q8K_block_avx2(const float *x, ck_block_q8_K *y) {
    if (!all_finite(x, 32)) return 0;
    const float amax = abs_max(x, 32);
    if (!amax) { memset(y, 0, sizeof *y); return 1; }
    int j = 0;
    while (fabsf(x[j]) != amax) j++;
    const float iscale = -127.f / x[j];
    codes_rne(x, 32, iscale, y->qs);
    for (int g = 0; g < CK_QK_K / 16; g++) {
        int s = 0;
        for (int k = 0; k < 16; k++) s += y->qs[g * 16 + k];
        y->bsums[g] = (int16_t)s;
    }
    y->d = 1 / iscale;
    return 1;
}
#endif

void ck_quantize_q8_K(const float *x, ck_block_q8_K *y, size_t n) {
#if CK_X86
    if (ck_avx2()) {
        ck_count(K_QQ8K_AVX2);
        for (size_t i = 0; i < n / CK_QK_K; i++)
            if (!q8K_block_avx2(x + i * CK_QK_K, &y[i])) q8K_block_scalar(x + i * CK_QK_K, &y[i]);
        return;
    }
#endif
    ck_count(K_QQ8K_SCALAR);
    for (size_t i = 0; i < n / CK_QK_K; i++) q8K_block_scalar(x + i * CK_QK_K, &y[i]);
}

/* Shared by Q8_0 and Q8_1: the scale and the 32 quants of one block; returns Σq. */
static int q8_block(const float *x, int8_t *qs, float *d_out, int variant) {
    float amax = 0.0f;
    for (int j = 0; j < 32; j++) { float a = fabsf(x[j]); amax = amax > a ? amax : a; }
    const float d = amax / 127.f;
    int sum = 0;
    if (variant == CK_Q8_X86) {
        const float id = amax != 0.0f ? 127.f / amax : 0.0f;
        for (int j = 0; j < 32; j++) { qs[j] = (int8_t)nearbyintf(x[j] * id); sum += qs[j]; }
    } else {
        const float id = d ? 1.0f / d : 0.0f;
        for (int j = 0; j < 32; j++) { qs[j] = (int8_t)roundf(x[j] * id); sum += qs[j]; }
    }
    *d_out = d;
    return sum;
}

#if CK_X86
/* The x86 variant of q8_block: amax by max, d and 1/amax·127 as the scalar code computes them, nearbyintf (round half
 * to even under the default rounding mode) by cvtps; a block with a non-finite value goes to the scalar code. */
CK_AVX2 static int q8_block_x86_avx2(const float *x, int8_t *qs, float *d_out) {
    if (!all_finite(x, 4)) return q8_block(x, qs, d_out, CK_Q8_X86);
    const float amax = abs_max(x, 4);
    *d_out = amax / 127.f;
    return codes_rne(x, 4, amax != 0.0f ? 127.f / amax : 0.0f, qs);
}
#define Q8_SIMD(variant) (ck_avx2() && (variant) == CK_Q8_X86)
#else
#define Q8_SIMD(variant) 0
#endif

void ck_quantize_q8_0(const float *x, ck_block_q8_0 *y, size_t n, int variant) {
    const int simd = Q8_SIMD(variant);
    ck_count(simd ? K_QQ8_0_AVX2 : K_QQ8_0_SCALAR);
    for (size_t i = 0; i < n / 32; i++) {
        float d;
#if CK_X86
        if (simd) q8_block_x86_avx2(x + i * 32, y[i].qs, &d);
        else
#endif
        q8_block(x + i * 32, y[i].qs, &d, variant);
        y[i].d = ck_f32_to_f16(d);
    }
}

void ck_quantize_q8_1(const float *x, ck_block_q8_1 *y, size_t n, int variant) {
    const int simd = Q8_SIMD(variant);
    ck_count(simd ? K_QQ8_1_AVX2 : K_QQ8_1_SCALAR);
    for (size_t i = 0; i < n / 32; i++) {
        float d;
        int sum;
#if CK_X86
        if (simd) sum = q8_block_x86_avx2(x + i * 32, y[i].qs, &d);
        else
#endif
        sum = q8_block(x + i * 32, y[i].qs, &d, variant);
        y[i].d = ck_f32_to_f16(d);
        y[i].s = ck_f32_to_f16((float)sum * d);
    }
}
