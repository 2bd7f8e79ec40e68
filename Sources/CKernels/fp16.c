/* binary16 / bfloat16 conversions (scalar reference and F16C rows). */
#include "ck_internal.h"

float ck_f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff, bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (man << 13) | (man ? 0x00400000u : 0); /* inf / quiet NaN */
    } else if (exp != 0) {
        bits = sign | ((exp + 112) << 23) | (man << 13);
    } else if (man == 0) {
        bits = sign;
    } else { /* subnormal: normalise */
        int e = -1;
        do { man <<= 1; e++; } while (!(man & 0x400));
        bits = sign | ((uint32_t)(112 - e) << 23) | ((man & 0x3ff) << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

uint16_t ck_f32_to_f16(float f) {
    uint32_t x;
    memcpy(&x, &f, 4);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    uint32_t exp = (x >> 23) & 0xff, man = x & 0x7fffff;
    if (exp == 0xff) return sign | 0x7c00 | (man ? (0x200 | (man >> 13)) : 0);
    int e = (int)exp - 127 + 15;
    if (e >= 0x1f) return sign | 0x7c00;                 /* overflow -> inf */
    if (e <= 0) {                                        /* subnormal or zero */
        if (e < -10) return sign;
        man |= 0x800000;
        int shift = 14 - e;                              /* 24-bit mantissa -> (10 + e)-bit */
        uint32_t h = man >> shift, rem = man & ((1u << shift) - 1), half = 1u << (shift - 1);
        if (rem > half || (rem == half && (h & 1))) h++;
        return sign | (uint16_t)h;
    }
    uint32_t h = ((uint32_t)e << 10) | (man >> 13), rem = man & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (h & 1))) h++; /* may carry into the exponent: still right */
    return sign | (uint16_t)h;
}

float ck_bf16_to_f32(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

#if CK_X86
CK_AVX2 static void f16_to_f32_avx2(const uint16_t *x, float *y, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i))));
    for (; i < n; i++) y[i] = _cvtsh_ss(x[i]);
}
CK_AVX2 static void f32_to_f16_avx2(const float *x, uint16_t *y, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128((__m128i *)(y + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; i++) y[i] = _cvtss_sh(x[i], _MM_FROUND_TO_NEAREST_INT);
}
#endif

void ck_f16_to_f32_row(const uint16_t *x, float *y, size_t n) {
#if CK_X86
    if (ck_avx2()) { f16_to_f32_avx2(x, y, n); return; }
#endif
    for (size_t i = 0; i < n; i++) y[i] = ck_f16_to_f32(x[i]);
}

void ck_f32_to_f16_row(const float *x, uint16_t *y, size_t n) {
#if CK_X86
    if (ck_avx2()) { f32_to_f16_avx2(x, y, n); return; }
#endif
    for (size_t i = 0; i < n; i++) y[i] = ck_f32_to_f16(x[i]);
}
