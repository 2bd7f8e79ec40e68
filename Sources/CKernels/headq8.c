/* The int8 output head (`--head int8`, not a parity path) in a split layout made at load: each row's Q8_0 codes
 * contiguous (n int8) and its block scales in a separate f16 array (n/32 per row), the same bytes as Q8_0 blocks.
 * Per block b the exact integer sum S_b = Σ w·y, then acc[b % 8] = fma(d_w·d_y, S_b, acc[b % 8]) and one fixed
 * reduction: the SIMD paths get eight block sums at once (one reduction tree per eight blocks instead of a float
 * step per block, so the head streams at memory speed) and equal the scalar reference bit for bit. */
#include "ck_internal.h"
#include <math.h>

/* The activation side, once per call: codes contiguous, f32 scales, 128·Σy per block (the vpdpbusd bias). */
typedef struct { int8_t q[CK_HEAD_MAX_BLOCKS * 32]; float d[CK_HEAD_MAX_BLOCKS]; int32_t s128[CK_HEAD_MAX_BLOCKS]; } head_act;

static void head_act_prep(const ck_block_q8_0 *y, size_t nb, head_act *a) {
    for (size_t b = 0; b < nb; b++) {
        int32_t s = 0;
        for (int i = 0; i < 32; i++) { a->q[b * 32 + i] = y[b].qs[i]; s += y[b].qs[i]; }
        a->d[b] = ck_f16_to_f32(y[b].d);
        a->s128[b] = 128 * s;
    }
}

static int32_t block_sum(const int8_t *w, const int8_t *y) {
    int32_t s = 0;
    for (int i = 0; i < 32; i++) s += (int32_t)w[i] * (int32_t)y[i];
    return s;
}

/* Blocks [b0, nb) of one row into the eight lanes, then the fixed reduction (the order of ck_hsum_f32_8). */
static float head_finish(const int8_t *w, const uint16_t *wd, const head_act *a, size_t b0, size_t nb, float acc[8]) {
    for (size_t b = b0; b < nb; b++)
        acc[b % 8] = fmaf(ck_f16_to_f32(wd[b]) * a->d[b], (float)block_sum(w + b * 32, a->q + b * 32), acc[b % 8]);
    return ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
}

/* `--head screened`: per row also P = Σ_b d_b·X1_b and Q = Σ_b d_b·δ_b (per-block activation sums given by the
 * caller) for the error bound; every path accumulates them in float (rounding covered by the bound's slack). */
typedef struct { const float *x1b, *db; float *p, *q; } head_screen;

static void screen_finish(const uint16_t *d, const head_screen *s, size_t b0, size_t nb, float p, float q, size_t r) {
    for (size_t b = b0; b < nb; b++) {
        const float db = ck_f16_to_f32(d[b]);
        p = fmaf(db, s->x1b[b], p);
        q = fmaf(db, s->db[b], q);
    }
    s->p[r] = p;
    s->q[r] = q;
}

static void head_rows_scalar(const int8_t *w, const uint16_t *wd, size_t n, size_t row0, size_t row1,
                             const head_act *a, float *out, const head_screen *s) {
    const size_t nb = n / 32;
    for (size_t r = row0; r < row1; r++) {
        float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        out[r] = head_finish(w + r * n, wd + r * nb, a, 0, nb, acc);
        if (s) screen_finish(wd + r * nb, s, 0, nb, 0, 0, r);
    }
}

#if CK_X86
/* Eight vectors of eight int32 partial sums (one vector per block) → one vector of the eight block sums. */
CK_AVX2 static inline __m256i reduce8x8(const __m256i v[8]) {
    const __m256i a = _mm256_hadd_epi32(_mm256_hadd_epi32(v[0], v[1]), _mm256_hadd_epi32(v[2], v[3]));
    const __m256i b = _mm256_hadd_epi32(_mm256_hadd_epi32(v[4], v[5]), _mm256_hadd_epi32(v[6], v[7]));
    const __m128i lo = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
    const __m128i hi = _mm_add_epi32(_mm256_castsi256_si128(b), _mm256_extracti128_si256(b, 1));
    return _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
}

/* AVX2: |w| · sign(y, w) with maddubs (no int16 saturation: |w| <= 128, |y| <= 127). */
CK_AVX2 static inline __m256i sums8_avx2(const int8_t *w, const int8_t *y, const int32_t *s128) {
    (void)s128;
    const __m256i one16 = _mm256_set1_epi16(1);
    __m256i v[8];
    for (int k = 0; k < 8; k++) {
        const __m256i x = _mm256_loadu_si256((const __m256i *)(w + 32 * k));
        const __m256i q = _mm256_loadu_si256((const __m256i *)(y + 32 * k));
        v[k] = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_sign_epi8(x, x), _mm256_sign_epi8(q, x)), one16);
    }
    return reduce8x8(v);
}

/* AVX-VNNI: (w + 128) as u8 times y with vpdpbusd, less 128·Σy per block. */
CK_AVXVNNI static inline __m256i sums8_vnni(const int8_t *w, const int8_t *y, const int32_t *s128) {
    const __m256i bias = _mm256_set1_epi8((char)0x80), z = _mm256_setzero_si256();
    __m256i v[8];
    for (int k = 0; k < 8; k++)
        v[k] = _mm256_dpbusd_avx_epi32(z, _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(w + 32 * k)), bias),
                                       _mm256_loadu_si256((const __m256i *)(y + 32 * k)));
    return _mm256_sub_epi32(reduce8x8(v), _mm256_loadu_si256((const __m256i *)s128));
}

#define HEAD_ROWS(NAME, ATTR, SUMS8, SCREEN)                                                                   \
    ATTR static void NAME(const int8_t *w, const uint16_t *wd, size_t n, size_t row0, size_t row1,             \
                          const head_act *a, float *out, const head_screen *s) {                               \
        const size_t nb = n / 32, n8 = nb / 8 * 8;                                                             \
        for (size_t r = row0; r < row1; r++) {                                                                 \
            const int8_t *x = w + r * n;                                                                       \
            const uint16_t *d = wd + r * nb;                                                                   \
            __m256 acc = _mm256_setzero_ps(), pv = acc, qv = acc;                                              \
            for (size_t b = 0; b < n8; b += 8) {                                                               \
                const char *p = (const char *)(x + b * 32) + CK_STREAM_PREFETCH;                               \
                _mm_prefetch(p, _MM_HINT_T0); _mm_prefetch(p + 64, _MM_HINT_T0);                               \
                _mm_prefetch(p + 128, _MM_HINT_T0); _mm_prefetch(p + 192, _MM_HINT_T0);                        \
                _mm_prefetch((const char *)(d + b) + CK_STREAM_PREFETCH / 16, _MM_HINT_T0);                    \
                const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(d + b)));                  \
                const __m256 sc = _mm256_mul_ps(dw, _mm256_loadu_ps(a->d + b));                                \
                acc = _mm256_fmadd_ps(sc, _mm256_cvtepi32_ps(SUMS8(x + b * 32, a->q + b * 32, a->s128 + b)), acc); \
                if (SCREEN) {                                                                                  \
                    pv = _mm256_fmadd_ps(dw, _mm256_loadu_ps(s->x1b + b), pv);                                 \
                    qv = _mm256_fmadd_ps(dw, _mm256_loadu_ps(s->db + b), qv);                                  \
                }                                                                                              \
            }                                                                                                  \
            float lanes[8];                                                                                    \
            _mm256_storeu_ps(lanes, acc);                                                                      \
            out[r] = head_finish(x, d, a, n8, nb, lanes);                                                      \
            if (SCREEN) screen_finish(d, s, n8, nb, ck_hsum_f32_8(pv), ck_hsum_f32_8(qv), r);                 \
        }                                                                                                      \
    }
HEAD_ROWS(head_rows_avx2, CK_AVX2, sums8_avx2, 0)
HEAD_ROWS(head_rows_vnni, CK_AVXVNNI, sums8_vnni, 0)
HEAD_ROWS(head_rows_avx2_s, CK_AVX2, sums8_avx2, 1)
HEAD_ROWS(head_rows_vnni_s, CK_AVXVNNI, sums8_vnni, 1)
#endif

void ck_q8_head_gemv(const int8_t *w, const uint16_t *wd, size_t n, size_t row0, size_t row1, const ck_block_q8_0 *y,
                     float *out) {
    const size_t nb = n / 32;
    if (nb > CK_HEAD_MAX_BLOCKS) return;   /* callers check ck_q8_head_fits */
    head_act a;
    head_act_prep(y, nb, &a);
#if CK_X86
    if (ck_vnni()) { ck_count(K_Q8_HEAD_VNNI); head_rows_vnni(w, wd, n, row0, row1, &a, out, NULL); return; }
    if (ck_avx2()) { ck_count(K_Q8_HEAD_AVX2); head_rows_avx2(w, wd, n, row0, row1, &a, out, NULL); return; }
#endif
    ck_count(K_Q8_HEAD_SCALAR);
    head_rows_scalar(w, wd, n, row0, row1, &a, out, NULL);
}

void ck_q8_head_gemv_screen(const int8_t *w, const uint16_t *wd, size_t n, size_t row0, size_t row1,
                            const ck_block_q8_0 *y, const float *x1b, const float *db, float *out, float *p, float *q) {
    const size_t nb = n / 32;
    if (nb > CK_HEAD_MAX_BLOCKS) return;
    head_act a;
    head_act_prep(y, nb, &a);
    const head_screen s = {x1b, db, p, q};
#if CK_X86
    if (ck_vnni()) { ck_count(K_Q8_HEAD_VNNI); head_rows_vnni_s(w, wd, n, row0, row1, &a, out, &s); return; }
    if (ck_avx2()) { ck_count(K_Q8_HEAD_AVX2); head_rows_avx2_s(w, wd, n, row0, row1, &a, out, &s); return; }
#endif
    ck_count(K_Q8_HEAD_SCALAR);
    head_rows_scalar(w, wd, n, row0, row1, &a, out, &s);
}

int ck_q8_head_fits(size_t n) { return n % 32 == 0 && n / 32 <= CK_HEAD_MAX_BLOCKS; }

void ck_q8_head_split(const ck_block_q8_0 *blocks, size_t nb, int8_t *codes, uint16_t *scales) {
    for (size_t b = 0; b < nb; b++) {
        memcpy(codes + b * 32, blocks[b].qs, 32);
        scales[b] = blocks[b].d;
    }
}

/* One block with ck_quantize_q8_0's reference rounding (the scalar path and the AVX2 path's non-finite blocks). */
static void q8_ref_block(const float *x, int8_t *codes, uint16_t *scale) {
    ck_block_q8_0 blk;
    ck_quantize_q8_0(x, &blk, 32, CK_Q8_REF);
    ck_q8_head_split(&blk, 1, codes, scale);
}

#if CK_X86
/* ggml's reference Q8_0 in 8-lane floats: amax by max (exact), d = amax/127 and id = 1/d as scalars (the same
 * float operations), p = x·id (the same product), roundf(p) = trunc(p) ± 1 when |p − trunc(p)| ≥ 0.5 (all exact in
 * float), so every code equals the scalar one. A block holding a non-finite value goes to the scalar path. */
CK_AVX2 static void q8_head_row_avx2(const float *x, size_t nb, int8_t *codes, uint16_t *scales) {
    const __m256 sign = _mm256_set1_ps(-0.0f), half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f),
                 big = _mm256_set1_ps(3.40282347e38f);
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    for (size_t b = 0; b < nb; b++) {
        const float *xb = x + 32 * b;
        __m256 v[4], m = _mm256_setzero_ps(), finite = _mm256_castsi256_ps(_mm256_set1_epi32(-1));
        for (int k = 0; k < 4; k++) {
            v[k] = _mm256_loadu_ps(xb + 8 * k);
            const __m256 a = _mm256_andnot_ps(sign, v[k]);
            m = _mm256_max_ps(m, a);
            finite = _mm256_and_ps(finite, _mm256_cmp_ps(a, big, _CMP_LE_OQ));
        }
        if (_mm256_movemask_ps(finite) != 0xff) { q8_ref_block(xb, codes + 32 * b, scales + b); continue; }
        __m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
        h = _mm_max_ps(h, _mm_movehl_ps(h, h));
        h = _mm_max_ss(h, _mm_shuffle_ps(h, h, 1));
        const float amax = _mm_cvtss_f32(h), d = amax / 127.f, id = d ? 1.0f / d : 0.0f;
        const __m256 vid = _mm256_set1_ps(id);
        __m256i q[4];
        for (int k = 0; k < 4; k++) {
            const __m256 p = _mm256_mul_ps(v[k], vid);
            const __m256 t = _mm256_round_ps(p, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
            const __m256 away = _mm256_cmp_ps(_mm256_andnot_ps(sign, _mm256_sub_ps(p, t)), half, _CMP_GE_OQ);
            const __m256 step = _mm256_and_ps(away, _mm256_or_ps(one, _mm256_and_ps(p, sign)));
            q[k] = _mm256_cvttps_epi32(_mm256_add_ps(t, step));
        }
        const __m256i w = _mm256_packs_epi16(_mm256_packs_epi32(q[0], q[1]), _mm256_packs_epi32(q[2], q[3]));
        _mm256_storeu_si256((__m256i *)(codes + 32 * b), _mm256_permutevar8x32_epi32(w, order));
        scales[b] = ck_f32_to_f16(d);
    }
}
#endif

void ck_q8_head_quantize_row(const float *x, size_t n, int8_t *codes, uint16_t *scales) {
#if CK_X86
    if (ck_avx2()) { q8_head_row_avx2(x, n / 32, codes, scales); return; }
#endif
    for (size_t b = 0; b < n / 32; b++) q8_ref_block(x + 32 * b, codes + 32 * b, scales + b);
}
