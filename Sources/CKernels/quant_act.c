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

void ck_quantize_q8_K(const float *x, ck_block_q8_K *y, size_t n) {
    ck_count(K_QQ8K_SCALAR);
    for (size_t i = 0; i < n / CK_QK_K; i++, x += CK_QK_K) {
        float max = 0, amax = 0;
        for (int j = 0; j < CK_QK_K; j++) {
            float ax = fabsf(x[j]);
            if (ax > amax) { amax = ax; max = x[j]; }
        }
        if (!amax) { memset(&y[i], 0, sizeof y[i]); continue; }
        const float iscale = -127.f / max;
        for (int j = 0; j < CK_QK_K; j++) {
            int v = ck_nearest_int(iscale * x[j]);
            y[i].qs[j] = (int8_t)(v < 127 ? v : 127);
        }
        for (int j = 0; j < CK_QK_K / 16; j++) {
            int sum = 0;
            for (int k = 0; k < 16; k++) sum += y[i].qs[j * 16 + k];
            y[i].bsums[j] = (int16_t)sum;
        }
        y[i].d = 1 / iscale;
    }
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

void ck_quantize_q8_0(const float *x, ck_block_q8_0 *y, size_t n, int variant) {
    ck_count(K_QQ8_0_SCALAR);
    for (size_t i = 0; i < n / 32; i++) {
        float d;
        q8_block(x + i * 32, y[i].qs, &d, variant);
        y[i].d = ck_f32_to_f16(d);
    }
}

void ck_quantize_q8_1(const float *x, ck_block_q8_1 *y, size_t n, int variant) {
    ck_count(K_QQ8_1_SCALAR);
    for (size_t i = 0; i < n / 32; i++) {
        float d;
        int sum = q8_block(x + i * 32, y[i].qs, &d, variant);
        y[i].d = ck_f32_to_f16(d);
        y[i].s = ck_f32_to_f16((float)sum * d);
    }
}
