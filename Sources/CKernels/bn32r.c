/* BitNet32-F16 with varying block scales, repacked at load ("bn32r" layout) × per-token int8.
 *
 * Layout of a row (n % 128 == 0, n/4 code bytes, codes c = value + 1 in 0..2): each group of 256 weights (eight
 * 32-weight blocks) is 64 bytes; weight i of block k of the group is in byte 32h + 4k + i%4 at bit
 * shift 6 − 2p, with h = i/16 and p = (i/4) % 4. So "plane" (h, p) of a group (32 bytes, one 2-bit field) holds
 * weights 16h + 4p .. +3 of block k in 32-bit lane k: one vpdpbusd against the activations arranged the same way
 * ("prepared": the 32 bytes at 64p + 32h, lane k = q[32k + 16h + 4p .. +3]) adds four products of block k into
 * lane k, and the eight planes give the eight block sums in eight lanes with no horizontal reduction. A 512-bit
 * register holds both halves of a group, matched by the 64 prepared bytes of its p. A trailing 128 weights (n % 256 == 128) keep the I2_S
 * interleave (byte m holds weights m, m+32, m+64, m+96 at shifts 6, 4, 2, 0) and are summed by the scalar code.
 *
 * Result (every path, bit for bit): S_b = Σ_{i∈b} (c_i − 1)·q_i exact; a_k = Σ_{b ≡ k mod 8} d_b·(float)S_b in
 * block order (multiply, then add; no FMA); out = ((a0 + a1) + (a2 + a3) + ((a4 + a5) + (a6 + a7))) / s. */
#include "ck_internal.h"
#include <stdlib.h>

#define BN32R_STACK 16384

static inline unsigned file_code(const uint8_t *blk, int i) {
    const unsigned c = (blk[i / 4] >> (2 * (i % 4))) & 3;
    return c == 3 ? 1 : c;
}

static inline size_t code_byte(int k, int i) { return (size_t)(32 * (i / 16) + 4 * k + i % 4); }
static inline int code_shift(int i) { return 6 - 2 * ((i / 4) % 4); }

void ck_bn32r_pack(const uint8_t *src, size_t rows, size_t n, uint8_t *dst) {
    const size_t ng = n / 256, nb = n / 32;
    memset(dst, 0, rows * n / 4);
    for (size_t r = 0; r < rows; r++) {
        const uint8_t *s = src + r * nb * 10;
        uint8_t *d = dst + r * (n / 4);
        for (size_t g = 0; g < ng; g++)
            for (int k = 0; k < 8; k++)
                for (int i = 0; i < 32; i++)
                    d[64 * g + code_byte(k, i)] |= (uint8_t)(file_code(s + (8 * g + (size_t)k) * 10, i) << code_shift(i));
        if (nb % 8) ck_bn32_to_i2s(s + ng * 8 * 10, 128, d + 64 * ng);
    }
}

void ck_bn32_scales(const uint8_t *src, size_t nblocks, uint16_t *scales) {
    for (size_t b = 0; b < nblocks; b++) scales[b] = ck_load_u16(src + b * 10 + 8);
}

/* Code (0..2) of weight i of block b of a packed row. */
static inline int packed_code(const uint8_t *row, size_t n, size_t b, int i) {
    const size_t ng = n / 256;
    if (b / 8 < ng) return (row[64 * (b / 8) + code_byte((int)(b % 8), i)] >> code_shift(i)) & 3;
    const int p = (int)(b % 4);
    return (row[64 * ng + (size_t)i] >> (6 - 2 * p)) & 3;
}

void ck_bn32r_row(const uint8_t *codes, const uint16_t *scales, size_t n, float *y) {
    for (size_t b = 0; b < n / 32; b++) {
        const float d = ck_f16_to_f32(scales[b]);
        for (int i = 0; i < 32; i++) y[b * 32 + (size_t)i] = (float)(packed_code(codes, n, b, i) - 1) * d;
    }
}

void ck_bn32r_prepare(const int8_t *q, size_t n, int8_t *qt, int32_t *qsum) {
    const size_t ng = n / 256;
    for (size_t g = 0; g < ng; g++)
        for (int j = 0; j < 8; j++)
            for (int k = 0; k < 8; k++) memcpy(qt + 256 * g + 64 * (j % 4) + 32 * (j / 4) + 4 * k, q + 256 * g + 32 * k + 4 * j, 4);
    memcpy(qt + 256 * ng, q + 256 * ng, n - 256 * ng);
    for (size_t b = 0; b < n / 32; b++) {
        int32_t t = 0;
        for (int i = 0; i < 32; i++) t += q[b * 32 + (size_t)i];
        qsum[b] = t;
    }
}

static inline float finish8(const float a[8], float s) {
    const float x = (a[0] + a[1]) + (a[2] + a[3]), y = (a[4] + a[5]) + (a[6] + a[7]);
    return (x + y) / s;
}

/* Blocks [b0, nb) of one row added into the lane sums from the natural-order activations q. */
static inline void blocks_scalar(const uint8_t *row, const uint16_t *d, size_t n, size_t b0, const int8_t *q, float a[8]) {
    for (size_t b = b0; b < n / 32; b++) {
        int32_t S = 0;
        for (int i = 0; i < 32; i++) S += (packed_code(row, n, b, i) - 1) * q[b * 32 + (size_t)i];
        const float t = ck_f16_to_f32(d[b]) * (float)S;
        a[b % 8] += t;
    }
}

static void rows_scalar(const uint8_t *w, const uint16_t *sc, size_t n, size_t row0, size_t row1, const int8_t *q,
                        size_t ldq, size_t ntok, const float *s, float *out, size_t ldo) {
    for (size_t r = row0; r < row1; r++)
        for (size_t t = 0; t < ntok; t++) {
            float a[8] = {0, 0, 0, 0, 0, 0, 0, 0};
            blocks_scalar(w + r * (n / 4), sc + r * (n / 32), n, 0, q + t * ldq, a);
            out[t * ldo + r] = finish8(a, s[t]);
        }
}

#if CK_X86
/* Σ c·q of the eight blocks of one group (lanes 0..7), from the group's 64 code bytes and prepared activations.
 * The codes are shifted down (the same work for every token of a gemm tile) and the four planes of a half chain
 * into one accumulator (at most 4·4·2·128 per lane): no per-token shift-back, unlike masking in place. */
CK_AVXVNNI static inline __m256i group_vnni(const uint8_t *c, const int8_t *a) {
    const __m256i x0 = _mm256_loadu_si256((const __m256i *)c), x1 = _mm256_loadu_si256((const __m256i *)(c + 32));
    const __m256i m3 = _mm256_set1_epi8(3), z = _mm256_setzero_si256();
#define L(o) _mm256_loadu_si256((const __m256i *)(a + (o)))
#define C(x, sh) _mm256_and_si256(_mm256_srli_epi16(x, sh), m3)
    __m256i s0 = _mm256_dpbusd_avx_epi32(z, C(x0, 6), L(0)), s1 = _mm256_dpbusd_avx_epi32(z, C(x1, 6), L(32));
    s0 = _mm256_dpbusd_avx_epi32(s0, C(x0, 4), L(64)); s1 = _mm256_dpbusd_avx_epi32(s1, C(x1, 4), L(96));
    s0 = _mm256_dpbusd_avx_epi32(s0, C(x0, 2), L(128)); s1 = _mm256_dpbusd_avx_epi32(s1, C(x1, 2), L(160));
    s0 = _mm256_dpbusd_avx_epi32(s0, _mm256_and_si256(x0, m3), L(192));
    s1 = _mm256_dpbusd_avx_epi32(s1, _mm256_and_si256(x1, m3), L(224));
#undef C
#undef L
    return _mm256_add_epi32(s0, s1);
}

/* The same with AVX2: codes 0..2 shifted down, maddubs into int16 (eight planes add at most 8·2·2·128 = 4096). */
CK_AVX2 static inline __m256i group_avx2(const uint8_t *c, const int8_t *a) {
    const __m256i x0 = _mm256_loadu_si256((const __m256i *)c), x1 = _mm256_loadu_si256((const __m256i *)(c + 32));
    const __m256i m3 = _mm256_set1_epi8(3);
#define P(x, sh, o) _mm256_maddubs_epi16(_mm256_and_si256(_mm256_srli_epi16(x, sh), m3), _mm256_loadu_si256((const __m256i *)(a + (o))))
    const __m256i s0 = _mm256_add_epi16(_mm256_add_epi16(P(x0, 6, 0), P(x0, 4, 64)), _mm256_add_epi16(P(x0, 2, 128), P(x0, 0, 192)));
    const __m256i s1 = _mm256_add_epi16(_mm256_add_epi16(P(x1, 6, 32), P(x1, 4, 96)), _mm256_add_epi16(P(x1, 2, 160), P(x1, 0, 224)));
#undef P
    return _mm256_madd_epi16(_mm256_add_epi16(s0, s1), _mm256_set1_epi16(1));
}

/* AVX-512 VNNI: one 512-bit register is a whole group (half h in lanes 8h..8h+7), four chained vpdpbusd per
 * group on the shifted codes, the two halves added at the end. */
CK_AVX512 static inline __m512i group_512_raw(const uint8_t *c, const int8_t *a) {
    const __m512i x = _mm512_loadu_si512((const void *)c), m3 = _mm512_set1_epi8(3);
#define L(o) _mm512_loadu_si512((const void *)(a + (o)))
    __m512i t = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_and_si512(_mm512_srli_epi16(x, 6), m3), L(0));
    t = _mm512_dpbusd_epi32(t, _mm512_and_si512(_mm512_srli_epi16(x, 4), m3), L(64));
    t = _mm512_dpbusd_epi32(t, _mm512_and_si512(_mm512_srli_epi16(x, 2), m3), L(128));
    t = _mm512_dpbusd_epi32(t, _mm512_and_si512(x, m3), L(192));
#undef L
    return t;
}

CK_AVX512 static inline __m256i group_512(const uint8_t *c, const int8_t *a) {
    const __m512i t = group_512_raw(c, a);
    return _mm256_add_epi32(_mm512_castsi512_si256(t), _mm512_extracti64x4_epi64(t, 1));
}

/* Two groups at once: lanes 0..7 the sums of group k, lanes 8..15 those of group k+1 (the halves of both added
 * with two 128-bit-lane shuffles and one add). */
CK_AVX512 static inline __m512i group2_512(const uint8_t *c, const int8_t *a) {
    const __m512i u = group_512_raw(c, a), v = group_512_raw(c + 64, a + 256);
    return _mm512_add_epi32(_mm512_shuffle_i64x2(u, v, 0x44), _mm512_shuffle_i64x2(u, v, 0xEE));
}

/* The AVX-512 gemv's main loop over group pairs: scales converted, products formed 16 lanes at a time, then added
 * to the 8-lane sums as group k, then group k+1 (the scalar order). Gemv only (T == 1): in the 4×4 gemm tile the
 * pairs measured slower (register pressure). */
#define BN32R_PAIRS_512                                                                                        \
    for (; T == 1 && k + 2 <= ng; k += 2) {                                                                    \
        for (int j = 0; j < R; j++) {                                                                           \
            _mm_prefetch((const char *)(g + j * rb + 64 * k) + CK_STREAM_PREFETCH, _MM_HINT_T0);                \
            _mm_prefetch((const char *)(g + j * rb + 64 * k + 64) + CK_STREAM_PREFETCH, _MM_HINT_T0);           \
            if (!(k & 3)) _mm_prefetch((const char *)(d + j * nb + 8 * k) + CK_STREAM_PREFETCH / 4, _MM_HINT_T0); \
        }                                                                                                       \
        for (int j = 0; j < R; j++) {                                                                           \
            const __m512 dv = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(d + j * nb + 8 * k)));       \
            for (int t = 0; t < T; t++) {                                                                       \
                const __m512i S = _mm512_sub_epi32(group2_512(g + j * rb + 64 * k, qt + (size_t)t * n + 256 * k), \
                                                   _mm512_loadu_si512((const void *)(qs + (size_t)t * nb + 8 * k))); \
                const __m512 p = _mm512_mul_ps(dv, _mm512_cvtepi32_ps(S));                                      \
                acc[j][t] = _mm256_add_ps(acc[j][t], _mm512_castps512_ps256(p));                                \
                acc[j][t] = _mm256_add_ps(acc[j][t], _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(p), 1))); \
            }                                                                                                   \
        }                                                                                                       \
    }
#define BN32R_NO_PAIRS

/* R (1, 2, 4) rows × T (1..4) prepared tokens (qt + t·n, qs + t·n/32), out[t·ldo + j] for row j. The per-token
 * float steps are those of the scalar code, so every tile shape gives the same bits. Rows share the activation
 * loads; each row's codes and scales are prefetched CK_STREAM_PREFETCH ahead. */
#define BN32R_TILE(NAME, ATTR, GROUP, PAIRS)                                                                         \
    ATTR __attribute__((always_inline)) static inline void NAME(const uint8_t *g, const uint16_t *d, size_t n,  \
        const int8_t *qt, const int32_t *qs, const int8_t *q, size_t ldq, int R, int T, const float *s,         \
        float *out, size_t ldo) {                                                                              \
        const size_t ng = n / 256, nb = n / 32, rb = n / 4;                                                     \
        __m256 acc[4][4];                                                                                       \
        for (int j = 0; j < 4; j++)                                                                             \
            for (int t = 0; t < 4; t++) acc[j][t] = _mm256_setzero_ps();                                        \
        size_t k = 0;                                                                                           \
        PAIRS                                                                                                   \
        for (; k < ng; k++) {                                                                                   \
            for (int j = 0; j < R; j++) {                                                                       \
                _mm_prefetch((const char *)(g + j * rb + 64 * k) + CK_STREAM_PREFETCH, _MM_HINT_T0);            \
                if (!(k & 3)) _mm_prefetch((const char *)(d + j * nb + 8 * k) + CK_STREAM_PREFETCH / 4, _MM_HINT_T0); \
            }                                                                                                   \
            for (int j = 0; j < R; j++) {                                                                       \
                const __m256 dv = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(d + j * nb + 8 * k)));      \
                for (int t = 0; t < T; t++) {                                                                   \
                    const __m256i S = _mm256_sub_epi32(GROUP(g + j * rb + 64 * k, qt + (size_t)t * n + 256 * k), \
                                                       _mm256_loadu_si256((const __m256i *)(qs + (size_t)t * nb + 8 * k))); \
                    acc[j][t] = _mm256_add_ps(acc[j][t], _mm256_mul_ps(dv, _mm256_cvtepi32_ps(S)));            \
                }                                                                                               \
            }                                                                                                   \
        }                                                                                                       \
        for (int j = 0; j < R; j++)                                                                             \
            for (int t = 0; t < T; t++) {                                                                       \
                float a[8];                                                                                     \
                _mm256_storeu_ps(a, acc[j][t]);                                                                 \
                blocks_scalar(g + j * rb, d + j * nb, n, 8 * ng, q + (size_t)t * ldq, a);                       \
                out[(size_t)t * ldo + (size_t)j] = finish8(a, s[t]);                                            \
            }                                                                                                   \
    }

BN32R_TILE(tile_512, CK_AVX512, group_512, BN32R_PAIRS_512)
BN32R_TILE(tile_vnni, CK_AVXVNNI, group_vnni, BN32R_NO_PAIRS)
BN32R_TILE(tile_avx2, CK_AVX2, group_avx2, BN32R_NO_PAIRS)

/* Rows in fours (RMAX 4: AVX-512, 32 registers), pairs, then one at a time; tokens in fours; R and T constants so
 * the accumulators stay in registers. Measured (1 thread, 6912×2560 matrices from DRAM, codes + scales streamed):
 * 1 row 29 GB/s, 2 rows 35-37 GB/s, 4 rows 43 GB/s on the AVX-512 path (the I2_S gemv: 33-34 GB/s). */
#define BN32R_CALL(TILE, R, T) TILE(w + r * (n / 4), sc + r * (n / 32), n, qt + t * n, qs + t * (n / 32), q + t * ldq, ldq, R, T, s + t, out + t * ldo + r, ldo)
/* Every token tile (fours, then the 3, 2 or 1 left) of the R rows at r. */
#define BN32R_TOKENS(TILE, R)                                                                                  \
    for (size_t t = 0; t < ntok; t += 4) {                                                                      \
        switch (ntok - t >= 4 ? 4 : ntok - t) {                                                                 \
        case 4: BN32R_CALL(TILE, R, 4); break;                                                                  \
        case 3: BN32R_CALL(TILE, R, 3); break;                                                                  \
        case 2: BN32R_CALL(TILE, R, 2); break;                                                                  \
        default: BN32R_CALL(TILE, R, 1); break;                                                                 \
        }                                                                                                       \
    }
#define BN32R_ROWS(NAME, ATTR, TILE, RMAX)                                                                     \
    ATTR static void NAME(const uint8_t *w, const uint16_t *sc, size_t n, size_t row0, size_t row1,            \
                          const int8_t *qt, const int32_t *qs, const int8_t *q, size_t ldq, size_t ntok,          \
                          const float *s, float *out, size_t ldo) {                                             \
        size_t r = row0;                                                                                        \
        for (; RMAX == 4 && r + 4 <= row1; r += 4) BN32R_TOKENS(TILE, 4)                                        \
        for (; RMAX >= 2 && r + 2 <= row1; r += 2) BN32R_TOKENS(TILE, 2)                                        \
        for (; r < row1; r++) BN32R_TOKENS(TILE, 1)                                                             \
    }
BN32R_ROWS(rows_512, CK_AVX512, tile_512, 4)
BN32R_ROWS(rows_vnni, CK_AVXVNNI, tile_vnni, 2)
BN32R_ROWS(rows_avx2, CK_AVX2, tile_avx2, 2)
#endif

void ck_bn32r_i8_gemm_f32(const uint8_t *codes, const uint16_t *scales, size_t n, size_t row0, size_t row1,
                          const int8_t *q, size_t ldq, const int8_t *qt, const int32_t *qsum, size_t ntok,
                          const float *s, float *out, size_t ldo) {
    if (row1 <= row0 || ntok == 0) return;
#if CK_X86
    if (ck_avx512()) { ck_count(K_BN32R_GEMM_512); rows_512(codes, scales, n, row0, row1, qt, qsum, q, ldq, ntok, s, out, ldo); return; }
    if (ck_vnni()) { ck_count(K_BN32R_GEMM_VNNI); rows_vnni(codes, scales, n, row0, row1, qt, qsum, q, ldq, ntok, s, out, ldo); return; }
    if (ck_avx2()) { ck_count(K_BN32R_GEMM_AVX2); rows_avx2(codes, scales, n, row0, row1, qt, qsum, q, ldq, ntok, s, out, ldo); return; }
#endif
    (void)qt; (void)qsum;
    ck_count(K_BN32R_GEMM_SCALAR);
    rows_scalar(codes, scales, n, row0, row1, q, ldq, ntok, s, out, ldo);
}

void ck_bn32r_i8_gemv_f32(const uint8_t *codes, const uint16_t *scales, size_t n, size_t row0, size_t row1,
                          const int8_t *q, float s, float *out) {
    if (row1 <= row0) return;
#if CK_X86
    if (ck_avx2()) {
        int8_t stack_qt[BN32R_STACK];
        int32_t stack_qs[BN32R_STACK / 32];
        int8_t *qt = stack_qt;
        int32_t *qs = stack_qs;
        void *heap = NULL;
        if (n > BN32R_STACK) {
            heap = malloc(n + n / 32 * sizeof(int32_t));
            qs = (int32_t *)heap;
            qt = (int8_t *)(qs + n / 32);
        }
        if (heap || n <= BN32R_STACK) {
            ck_bn32r_prepare(q, n, qt, qs);
            if (ck_avx512()) { ck_count(K_BN32R_I8_512); rows_512(codes, scales, n, row0, row1, qt, qs, q, n, 1, &s, out, 0); }
            else if (ck_vnni()) { ck_count(K_BN32R_I8_VNNI); rows_vnni(codes, scales, n, row0, row1, qt, qs, q, n, 1, &s, out, 0); }
            else { ck_count(K_BN32R_I8_AVX2); rows_avx2(codes, scales, n, row0, row1, qt, qs, q, n, 1, &s, out, 0); }
            free(heap);
            return;
        }
    }
#endif
    ck_count(K_BN32R_I8_SCALAR);
    rows_scalar(codes, scales, n, row0, row1, q, n, 1, &s, out, 0);
}
