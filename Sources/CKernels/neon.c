/* aarch64 NEON (and dotprod) paths: I2_S rows and F16 rows. Compiled only on aarch64. */
#include "ck_internal.h"
#if defined(__aarch64__)
#include <arm_neon.h>

#if defined(__clang__)
#define CK_DOTPROD __attribute__((target("dotprod")))
#else
#define CK_DOTPROD __attribute__((target("+dotprod")))
#endif

#define I2S_NEON_DECODE(x)                                                        \
    const int8x16_t c0 = vreinterpretq_s8_u8(vshrq_n_u8(x, 6));                  \
    const int8x16_t c1 = vreinterpretq_s8_u8(vandq_u8(vshrq_n_u8(x, 4), m3));    \
    const int8x16_t c2 = vreinterpretq_s8_u8(vandq_u8(vshrq_n_u8(x, 2), m3));    \
    const int8x16_t c3 = vreinterpretq_s8_u8(vandq_u8(x, m3))

/* Σ code·q for one row: int16 products (8 per lane and 16-byte half: <= 3072), widened per half. */
int32_t ck_i2s_row_neon(const uint8_t *w, const int8_t *q, size_t nb) {
    const uint8x16_t m3 = vdupq_n_u8(3);
    int32x4_t acc = vdupq_n_s32(0);
    for (size_t b = 0; b < nb; b++) {
        for (int h = 0; h < 2; h++) {
            const uint8x16_t x = vld1q_u8(w + b * 32 + 16 * h);
            I2S_NEON_DECODE(x);
            const int8_t *qb = q + b * CK_QK_I2S + 16 * h;
            const int8x16_t q0 = vld1q_s8(qb), q1 = vld1q_s8(qb + 32), q2 = vld1q_s8(qb + 64), q3 = vld1q_s8(qb + 96);
            int16x8_t p = vmull_s8(vget_low_s8(c0), vget_low_s8(q0));
            p = vmlal_s8(p, vget_high_s8(c0), vget_high_s8(q0));
            p = vmlal_s8(p, vget_low_s8(c1), vget_low_s8(q1));
            p = vmlal_s8(p, vget_high_s8(c1), vget_high_s8(q1));
            p = vmlal_s8(p, vget_low_s8(c2), vget_low_s8(q2));
            p = vmlal_s8(p, vget_high_s8(c2), vget_high_s8(q2));
            p = vmlal_s8(p, vget_low_s8(c3), vget_low_s8(q3));
            p = vmlal_s8(p, vget_high_s8(c3), vget_high_s8(q3));
            acc = vpadalq_s16(acc, p);
        }
    }
    return vaddvq_s32(acc);
}

CK_DOTPROD int32_t ck_i2s_row_dotprod(const uint8_t *w, const int8_t *q, size_t nb) {
    const uint8x16_t m3 = vdupq_n_u8(3);
    int32x4_t a0 = vdupq_n_s32(0), a1 = a0, a2 = a0, a3 = a0;
    for (size_t b = 0; b < nb; b++) {
        for (int h = 0; h < 2; h++) {
            const uint8x16_t x = vld1q_u8(w + b * 32 + 16 * h);
            I2S_NEON_DECODE(x);
            const int8_t *qb = q + b * CK_QK_I2S + 16 * h;
            a0 = vdotq_s32(a0, c0, vld1q_s8(qb));
            a1 = vdotq_s32(a1, c1, vld1q_s8(qb + 32));
            a2 = vdotq_s32(a2, c2, vld1q_s8(qb + 64));
            a3 = vdotq_s32(a3, c3, vld1q_s8(qb + 96));
        }
    }
    return vaddvq_s32(vaddq_s32(vaddq_s32(a0, a1), vaddq_s32(a2, a3)));
}

/* dot of an F16 row with x: 4 float32x4 accumulators with FMA; scalar tail. */
float ck_f16_row_neon(const uint16_t *w, const float *x, size_t n) {
    float32x4_t a0 = vdupq_n_f32(0), a1 = a0, a2 = a0, a3 = a0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const float16x8_t h0 = vreinterpretq_f16_u16(vld1q_u16(w + i));
        const float16x8_t h1 = vreinterpretq_f16_u16(vld1q_u16(w + i + 8));
        a0 = vfmaq_f32(a0, vcvt_f32_f16(vget_low_f16(h0)), vld1q_f32(x + i));
        a1 = vfmaq_f32(a1, vcvt_high_f32_f16(h0), vld1q_f32(x + i + 4));
        a2 = vfmaq_f32(a2, vcvt_f32_f16(vget_low_f16(h1)), vld1q_f32(x + i + 8));
        a3 = vfmaq_f32(a3, vcvt_high_f32_f16(h1), vld1q_f32(x + i + 12));
    }
    float s = vaddvq_f32(vaddq_f32(vaddq_f32(a0, a1), vaddq_f32(a2, a3)));
    for (; i < n; i++) s += ck_f16_to_f32(w[i]) * x[i];
    return s;
}
#endif
