/* TQ2_0 / TQ1_0 (llama.cpp ternary, 256-weight blocks) × per-token int8 and × Q8_K. */
#include "ck_internal.h"
#include <math.h>

/* ---- scalar decoding (codes 0..2, value = code − 1) */
static void tq2_codes(const ck_block_tq2_0 *x, uint8_t c[256]) {
    for (int j = 0; j < 64; j += 32)
        for (int l = 0; l < 4; l++)
            for (int k = 0; k < 32; k++) c[j * 4 + l * 32 + k] = (x->qs[j + k] >> (l * 2)) & 3;
}

static inline uint8_t trit(uint8_t q, int l) {
    static const uint8_t pow3[5] = {1, 3, 9, 27, 81};
    uint8_t v = (uint8_t)(q * pow3[l]);
    return (uint8_t)(((uint16_t)v * 3) >> 8);
}

static void tq1_codes(const ck_block_tq1_0 *x, uint8_t c[256]) {
    for (int l = 0; l < 5; l++)
        for (int m = 0; m < 32; m++) c[l * 32 + m] = trit(x->qs[m], l);
    for (int l = 0; l < 5; l++)
        for (int m = 0; m < 16; m++) c[160 + l * 16 + m] = trit(x->qs[32 + m], l);
    for (int l = 0; l < 4; l++)
        for (int j = 0; j < 4; j++) c[240 + l * 4 + j] = trit(x->qh[j], l);
}

/* Whether every weight of the block is 0 (code 1). TQ2_0: all bytes 0x55 (four 01 fields), no decoding. TQ1_0: a
 * table of the 256 byte values made by NAME_zero_table before the scan: bit 0 when all five trits are 1, bit 1
 * when the first four are (qh bytes), so a 1 GB file is checked without decoding a trit. */
static void tq2_0_zero_table(uint8_t c[256]) { (void)c; }
static int tq2_0_all_zero(const ck_block_tq2_0 *x, const uint8_t c[256]) {
    (void)c;
    for (int k = 0; k < 64; k++) if (x->qs[k] != 0x55) return 0;
    return 1;
}
static void tq1_0_zero_table(uint8_t c[256]) {
    for (int v = 0; v < 256; v++) {
        int four = 1;
        for (int l = 0; l < 4; l++) four &= trit((uint8_t)v, l) == 1;
        c[v] = (uint8_t)((four && trit((uint8_t)v, 4) == 1) | (four << 1));
    }
}
static int tq1_0_all_zero(const ck_block_tq1_0 *x, const uint8_t c[256]) {
    for (int k = 0; k < 48; k++) if (!(c[x->qs[k]] & 1)) return 0;
    for (int k = 0; k < 4; k++) if (!(c[x->qh[k]] & 2)) return 0;
    return 1;
}

/* S = Σ (c − 1)·q over one block. */
static inline int32_t block_dot(const uint8_t c[256], const int8_t *q) {
    int32_t s = 0;
    for (int i = 0; i < 256; i++) s += ((int)c[i] - 1) * q[i];
    return s;
}

#if CK_X86
/* Σ c·q for 8 code vectors (32 codes each) against q[0..256): int32 lanes. */
CK_AVX2 static inline __m256i dot8(const __m256i c[8], const int8_t *q) {
    __m256i s = _mm256_setzero_si256();
    for (int k = 0; k < 8; k += 2) {
        __m256i p = _mm256_add_epi16(
            _mm256_maddubs_epi16(c[k], _mm256_loadu_si256((const __m256i *)(q + 32 * k))),
            _mm256_maddubs_epi16(c[k + 1], _mm256_loadu_si256((const __m256i *)(q + 32 * k + 32))));
        s = _mm256_add_epi32(s, _mm256_madd_epi16(p, _mm256_set1_epi16(1)));
    }
    return s;
}

/* Σ q over 256 int8. */
CK_AVX2 static inline __m256i qsum256(const int8_t *q) {
    const __m256i one8 = _mm256_set1_epi8(1);
    __m256i s = _mm256_setzero_si256();
    for (int k = 0; k < 8; k++)
        s = _mm256_add_epi16(s, _mm256_maddubs_epi16(one8, _mm256_loadu_si256((const __m256i *)(q + 32 * k))));
    return _mm256_madd_epi16(s, _mm256_set1_epi16(1));
}

CK_AVX2 static inline void tq2_decode_avx2(const ck_block_tq2_0 *x, __m256i c[8]) {
    const __m256i m3 = _mm256_set1_epi8(3);
    for (int g = 0; g < 2; g++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(x->qs + 32 * g));
        c[4 * g + 0] = _mm256_and_si256(v, m3);
        c[4 * g + 1] = _mm256_and_si256(_mm256_srli_epi16(v, 2), m3);
        c[4 * g + 2] = _mm256_and_si256(_mm256_srli_epi16(v, 4), m3);
        c[4 * g + 3] = _mm256_and_si256(_mm256_srli_epi16(v, 6), m3);
    }
}

/* trit of a byte y: (y·3) >> 8 = [y >= 86] + [y >= 171]. */
CK_AVX2 static inline __m256i trit256(__m256i y) {
    __m256i a = _mm256_cmpeq_epi8(_mm256_max_epu8(y, _mm256_set1_epi8(86)), y);
    __m256i b = _mm256_cmpeq_epi8(_mm256_max_epu8(y, _mm256_set1_epi8((char)171)), y);
    return _mm256_sub_epi8(_mm256_setzero_si256(), _mm256_add_epi8(a, b));
}
CK_AVX2 static inline __m256i x3(__m256i y) { return _mm256_add_epi8(y, _mm256_add_epi8(y, y)); }

CK_AVX2 static inline void tq1_decode_avx2(const ck_block_tq1_0 *x, __m256i c[8]) {
    __m256i y = _mm256_loadu_si256((const __m256i *)x->qs);
    for (int l = 0; l < 5; l++) { c[l] = trit256(y); y = x3(y); }
    /* qs[32..48) in both halves, tripled once more in the high half: trits (0,1), (2,3), (4, -) */
    __m128i h = _mm_loadu_si128((const __m128i *)(x->qs + 32));
    __m256i z = _mm256_inserti128_si256(_mm256_castsi128_si256(h), h, 1);
    z = _mm256_blend_epi32(z, x3(z), 0xf0);
    c[5] = trit256(z);
    z = x3(x3(z));
    c[6] = trit256(z);
    z = x3(x3(z));                                   /* low half: qs·81, high half: qs·243 (unused) */
    uint32_t qh;
    memcpy(&qh, x->qh, 4);
    __m128i b = _mm_set1_epi32((int)qh);             /* bytes qh0..qh3 four times */
    __m128i b1 = _mm_add_epi8(b, _mm_add_epi8(b, b)), b2 = _mm_add_epi8(b1, _mm_add_epi8(b1, b1));
    __m128i b3 = _mm_add_epi8(b2, _mm_add_epi8(b2, b2));
    __m128i qhv = _mm_blend_epi32(_mm_blend_epi32(b, b1, 0x2), _mm_blend_epi32(b2, b3, 0x8), 0xc);
    c[7] = trit256(_mm256_inserti128_si256(z, qhv, 1));
}
#endif

/* ------------------------------------------------------------ per-token int8 */

/* FIRST: a statement tried before the shared paths (TQ1_0's AVX-512 rows), or nothing. */
#define TQ_I8_GEMV(NAME, BLOCK, CODES, DECODE, KS, KA, FIRST)                                                 \
    void ck_##NAME##_i8_gemv(const BLOCK *w, size_t n, size_t row0, size_t row1, const int8_t *q,             \
                             int32_t *out) {                                                                  \
        const size_t nb = n / CK_QK_K;                                                                        \
        FIRST                                                                                                 \
        if (TQ_VNNI_OK) { ck_count(KA##_VNNI); NAME##_i8_rows_vnni(w, nb, row0, row1, q, out); return; }     \
        if (TQ_AVX2_OK) { ck_count(KA); NAME##_i8_rows_avx2(w, nb, row0, row1, q, out); return; }            \
        ck_count(KS);                                                                                         \
        uint8_t c[256];                                                                                       \
        for (size_t r = row0; r < row1; r++) {                                                                \
            int32_t s = 0;                                                                                    \
            for (size_t b = 0; b < nb; b++) { CODES(&w[r * nb + b], c); s += block_dot(c, q + b * 256); }    \
            out[r] = s;                                                                                       \
        }                                                                                                     \
    }                                                                                                         \
    void ck_##NAME##_i8_gemv_f32(const BLOCK *w, size_t n, size_t row0, size_t row1, const int8_t *q,         \
                                 float s, float *out) {                                                       \
        const size_t nb = n / CK_QK_K;                                                                        \
        if (TQ_AVX2_OK) { ck_count(KA); NAME##_i8f_rows_avx2(w, nb, row0, row1, q, s, out); return; }        \
        ck_count(KS);                                                                                         \
        uint8_t c[256];                                                                                       \
        for (size_t r = row0; r < row1; r++) {                                                                \
            float acc = 0.0f;                                                                                 \
            for (size_t b = 0; b < nb; b++) {                                                                 \
                CODES(&w[r * nb + b], c);                                                                     \
                acc += ck_f16_to_f32(w[r * nb + b].d) * (float)block_dot(c, q + b * 256);                     \
            }                                                                                                 \
            out[r] = acc / s;                                                                                 \
        }                                                                                                     \
    }                                                                                                         \
    void ck_##NAME##_q8K_gemv(const BLOCK *w, size_t n, size_t row0, size_t row1, const ck_block_q8_K *y,     \
                              float *out) {                                                                   \
        const size_t nb = n / CK_QK_K;                                                                        \
        if (TQ_AVX2_OK) { ck_count(KA##_Q8K); NAME##_q8K_rows_avx2(w, nb, row0, row1, y, out); return; }     \
        ck_count(KS##_Q8K);                                                                                   \
        uint8_t c[256];                                                                                       \
        for (size_t r = row0; r < row1; r++) {                                                                \
            float sumf = 0.0f;                                                                                \
            for (size_t b = 0; b < nb; b++) {                                                                 \
                CODES(&w[r * nb + b], c);                                                                     \
                sumf += (float)block_dot(c, y[b].qs) * (y[b].d * ck_f16_to_f32(w[r * nb + b].d));            \
            }                                                                                                 \
            out[r] = sumf;                                                                                    \
        }                                                                                                     \
    }                                                                                                         \
    int ck_##NAME##_uniform_scale(const BLOCK *w, size_t n, size_t nrows, float *d) {                         \
        const size_t nb = n / CK_QK_K;                                                                        \
        uint8_t c[256];                                                                                       \
        NAME##_zero_table(c);                                                                                 \
        int have = 0;                                                                                         \
        uint16_t common = 0;                                                                                  \
        for (size_t i = 0; i < nb * nrows; i++) {                                                             \
            if (NAME##_all_zero(&w[i], c)) continue;                                                         \
            if (!have) { have = 1; common = w[i].d; }                                                         \
            else if (w[i].d != common) return 0;                                                              \
        }                                                                                                     \
        *d = have ? ck_f16_to_f32(common) : 0.0f;                                                             \
        return 1;                                                                                             \
    }

#if CK_X86
static int32_t qsum_scalar(const int8_t *q, size_t n) { int32_t s = 0; for (size_t i = 0; i < n; i++) s += q[i]; return s; }
#define TQ_AVX2_OK ck_avx2()
#define TQ_AVX2_I8_ROWS(NAME, BLOCK, DECODE)                                                                     \
    CK_AVX2 static void NAME##_i8_rows_avx2(const BLOCK *w, size_t nb, size_t row0, size_t row1,              \
                                            const int8_t *q, int32_t *out) {                                  \
        int32_t qs = qsum_scalar(q, nb * 256);                                                                \
        for (size_t r = row0; r < row1; r++) {                                                                \
            __m256i acc = _mm256_setzero_si256(), c[8];                                                       \
            for (size_t b = 0; b < nb; b++) {                                                                 \
                _mm_prefetch((const char *)&w[r * nb + b] + CK_STREAM_PREFETCH, _MM_HINT_T0);                \
                DECODE(&w[r * nb + b], c);                                                                    \
                acc = _mm256_add_epi32(acc, dot8(c, q + b * 256));                                            \
            }                                                                                                 \
            out[r] = ck_hsum_i32_8(acc) - qs;                                                                 \
        }                                                                                                     \
    }
#define TQ_AVX2_ROWS(NAME, BLOCK, DECODE)                                                                     \
    CK_AVX2 static void NAME##_i8f_rows_avx2(const BLOCK *w, size_t nb, size_t row0, size_t row1,             \
                                             const int8_t *q, float s, float *out) {                          \
        for (size_t r = row0; r < row1; r++) {                                                                \
            float acc = 0.0f;                                                                                 \
            __m256i c[8];                                                                                     \
            for (size_t b = 0; b < nb; b++) {                                                                 \
                DECODE(&w[r * nb + b], c);                                                                    \
                int32_t sb = ck_hsum_i32_8(_mm256_sub_epi32(dot8(c, q + b * 256), qsum256(q + b * 256)));      \
                acc += _cvtsh_ss(w[r * nb + b].d) * (float)sb;                                            \
            }                                                                                                 \
            out[r] = acc / s;                                                                                 \
        }                                                                                                     \
    }                                                                                                         \
    CK_AVX2 static void NAME##_q8K_rows_avx2(const BLOCK *w, size_t nb, size_t row0, size_t row1,             \
                                             const ck_block_q8_K *y, float *out) {                            \
        for (size_t r = row0; r < row1; r++) {                                                                \
            float sumf = 0.0f;                                                                                \
            __m256i c[8];                                                                                     \
            for (size_t b = 0; b < nb; b++) {                                                                 \
                DECODE(&w[r * nb + b], c);                                                                    \
                __m256i bs = _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)y[b].bsums),               \
                                               _mm256_set1_epi16(1));                                         \
                int32_t sb = ck_hsum_i32_8(_mm256_sub_epi32(dot8(c, y[b].qs), bs));                           \
                sumf += (float)sb * (y[b].d * _cvtsh_ss(w[r * nb + b].d));                                \
            }                                                                                                 \
            out[r] = sumf;                                                                                    \
        }                                                                                                     \
    }
TQ_AVX2_I8_ROWS(tq2_0, ck_block_tq2_0, tq2_decode_avx2)
TQ_AVX2_ROWS(tq2_0, ck_block_tq2_0, tq2_decode_avx2)
TQ_AVX2_ROWS(tq1_0, ck_block_tq1_0, tq1_decode_avx2)

/* AVX-VNNI, integer form (the uniform-scale decode path). TQ2_0: group l of each 32-byte half (bits 2l+1..2l,
 * elements l·32 + k) is masked in place, so its products carry 4^l, undone by one shift per group at the end
 * (exact: every product is a multiple of 4^l); eight vpdpbusd per block into eight chains, weights prefetched
 * CK_STREAM_PREFETCH ahead. */
CK_AVXVNNI static void tq2_0_i8_rows_vnni(const ck_block_tq2_0 *w, size_t nb, size_t row0, size_t row1,
                                          const int8_t *q, int32_t *out) {
    const int32_t qs = qsum_scalar(q, nb * 256);
    const __m256i k0 = _mm256_set1_epi8(0x03), k1 = _mm256_set1_epi8(0x0C), k2 = _mm256_set1_epi8(0x30),
                  k3 = _mm256_set1_epi8((char)0xC0);
#define TQ2_GROUP(acc, v, K, qp) acc = _mm256_dpbusd_avx_epi32(acc, _mm256_and_si256(v, K), _mm256_loadu_si256((const __m256i *)(qp)))
    for (size_t r = row0; r < row1; r++) {
        __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        for (size_t b = 0; b < nb; b++) {
            const ck_block_tq2_0 *x = &w[r * nb + b];
            _mm_prefetch((const char *)x + CK_STREAM_PREFETCH, _MM_HINT_T0);
            const __m256i v0 = _mm256_loadu_si256((const __m256i *)x->qs);
            const __m256i v1 = _mm256_loadu_si256((const __m256i *)(x->qs + 32));
            const int8_t *qb = q + b * 256;
            TQ2_GROUP(a0, v0, k0, qb); TQ2_GROUP(a1, v0, k1, qb + 32);
            TQ2_GROUP(a2, v0, k2, qb + 64); TQ2_GROUP(a3, v0, k3, qb + 96);
            TQ2_GROUP(b0, v1, k0, qb + 128); TQ2_GROUP(b1, v1, k1, qb + 160);
            TQ2_GROUP(b2, v1, k2, qb + 192); TQ2_GROUP(b3, v1, k3, qb + 224);
        }
        const __m256i s = _mm256_add_epi32(
            _mm256_add_epi32(_mm256_add_epi32(a0, b0), _mm256_srai_epi32(_mm256_add_epi32(a1, b1), 2)),
            _mm256_add_epi32(_mm256_srai_epi32(_mm256_add_epi32(a2, b2), 4), _mm256_srai_epi32(_mm256_add_epi32(a3, b3), 6)));
        out[r] = ck_hsum_i32_8(s) - qs;
    }
#undef TQ2_GROUP
}

/* TQ1_0: tq1.c (no trit decoding). */
#define tq1_0_i8_rows_avx2 ck_tq1_0_i8_rows_avx2
#define tq1_0_i8_rows_vnni ck_tq1_0_i8_rows_vnni
#define TQ_VNNI_OK ck_vnni()
#define TQ1_512_FIRST if (ck_avx512()) { ck_count(K_TQ1_I8_512); ck_tq1_0_i8_rows_avx512(w, nb, row0, row1, q, out); return; }
#else
#define TQ_AVX2_OK 0
#define TQ_STUBS(NAME, BLOCK)                                                                                 \
    static void NAME##_i8_rows_avx2(const BLOCK *w, size_t nb, size_t a, size_t b, const int8_t *q,           \
                                    int32_t *o) { (void)w; (void)nb; (void)a; (void)b; (void)q; (void)o; }    \
    static void NAME##_i8f_rows_avx2(const BLOCK *w, size_t nb, size_t a, size_t b, const int8_t *q, float s, \
                                     float *o) { (void)w; (void)nb; (void)a; (void)b; (void)q; (void)s; (void)o; } \
    static void NAME##_q8K_rows_avx2(const BLOCK *w, size_t nb, size_t a, size_t b, const ck_block_q8_K *y,   \
                                     float *o) { (void)w; (void)nb; (void)a; (void)b; (void)y; (void)o; }
TQ_STUBS(tq2_0, ck_block_tq2_0)
TQ_STUBS(tq1_0, ck_block_tq1_0)
#define TQ_VNNI_OK 0
#define TQ1_512_FIRST
static void tq2_0_i8_rows_vnni(const ck_block_tq2_0 *w, size_t nb, size_t a, size_t b, const int8_t *q, int32_t *o) {
    (void)w; (void)nb; (void)a; (void)b; (void)q; (void)o;
}
static void tq1_0_i8_rows_vnni(const ck_block_tq1_0 *w, size_t nb, size_t a, size_t b, const int8_t *q, int32_t *o) {
    (void)w; (void)nb; (void)a; (void)b; (void)q; (void)o;
}
#endif

#define K_TQ2_I8_AVX2_VNNI K_TQ2_I8_VNNI
#define K_TQ1_I8_AVX2_VNNI K_TQ1_I8_VNNI
#define K_TQ2_I8_SCALAR_Q8K K_TQ2_Q8K_SCALAR
#define K_TQ2_I8_AVX2_Q8K K_TQ2_Q8K_AVX2
#define K_TQ1_I8_SCALAR_Q8K K_TQ1_Q8K_SCALAR
#define K_TQ1_I8_AVX2_Q8K K_TQ1_Q8K_AVX2
TQ_I8_GEMV(tq2_0, ck_block_tq2_0, tq2_codes, tq2_decode_avx2, K_TQ2_I8_SCALAR, K_TQ2_I8_AVX2, /* none */)
TQ_I8_GEMV(tq1_0, ck_block_tq1_0, tq1_codes, tq1_decode_avx2, K_TQ1_I8_SCALAR, K_TQ1_I8_AVX2, TQ1_512_FIRST)

/* ------------------------------------------------------------ × Q8_K in llama.cpp's x86 lane order */

/* llama.cpp's x86 (AVX2) ggml_vec_dot_tq{1,2}_0_q8_K, which `--parity llama.cpp` reproduces: per block eight int32
 * lanes, lane k = Σ code·q over the elements e with (e mod 32) / 4 == k (maddubs + madd of each 32-code vector),
 * minus bsums[2k] + bsums[2k+1]; then lane_f = fma((float)lane_k, d_y·d_w, lane_f) in block order and the lanes summed
 * as ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)). Every path computes these integers and float operations: the same bits
 * (X86TernaryQ8K.swift is the reference the tests compare with). */
static inline float tq_x86_finish(const float l[8]) {
    return ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
}

#define TQ_X86_SCALAR(NAME, BLOCK, CODES)                                                                     \
    static void NAME##_x86_rows_scalar(const BLOCK *w, size_t nb, size_t row0, size_t row1,                   \
                                       const ck_block_q8_K *y, float *out) {                                  \
        uint8_t c[256];                                                                                       \
        for (size_t r = row0; r < row1; r++) {                                                                \
            float l[8] = {0, 0, 0, 0, 0, 0, 0, 0};                                                            \
            for (size_t b = 0; b < nb; b++) {                                                                 \
                CODES(&w[r * nb + b], c);                                                                     \
                int32_t lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};                                                   \
                for (int e = 0; e < 256; e++) lane[(e & 31) >> 2] += (int32_t)c[e] * y[b].qs[e];             \
                const float d = y[b].d * ck_f16_to_f32(w[r * nb + b].d);                                      \
                for (int k = 0; k < 8; k++)                                                                   \
                    l[k] = fmaf((float)(lane[k] - y[b].bsums[2 * k] - y[b].bsums[2 * k + 1]), d, l[k]);       \
            }                                                                                                 \
            out[r] = tq_x86_finish(l);                                                                        \
        }                                                                                                     \
    }
TQ_X86_SCALAR(tq2_0, ck_block_tq2_0, tq2_codes)
TQ_X86_SCALAR(tq1_0, ck_block_tq1_0, tq1_codes)

#if CK_X86
/* One decoded block's eight lanes against one token: maddubs + madd of each 32-code vector, minus the bsum pairs. */
CK_AVX2 static inline __m256i tq_x86_lanes(const __m256i c[8], const ck_block_q8_K *y) {
    const __m256i one16 = _mm256_set1_epi16(1);
    __m256i lanes = _mm256_setzero_si256();
    for (int k = 0; k < 8; k++)
        lanes = _mm256_add_epi32(lanes, _mm256_madd_epi16(_mm256_maddubs_epi16(c[k],
            _mm256_loadu_si256((const __m256i *)(y->qs + 32 * k))), one16));
    return _mm256_sub_epi32(lanes, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)y->bsums), one16));
}

#define TQ_X86_AVX2(NAME, BLOCK, DECODE)                                                                      \
    CK_AVX2 static void NAME##_x86_rows_avx2(const BLOCK *w, size_t nb, size_t row0, size_t row1,             \
                                             const ck_block_q8_K *y, float *out) {                            \
        for (size_t r = row0; r < row1; r++) {                                                                \
            __m256 acc = _mm256_setzero_ps();                                                                 \
            __m256i c[8];                                                                                     \
            for (size_t b = 0; b < nb; b++) {                                                                 \
                _mm_prefetch((const char *)&w[r * nb + b] + CK_STREAM_PREFETCH, _MM_HINT_T0);                \
                DECODE(&w[r * nb + b], c);                                                                    \
                const float d = y[b].d * _cvtsh_ss(w[r * nb + b].d);                                          \
                acc = _mm256_fmadd_ps(_mm256_cvtepi32_ps(tq_x86_lanes(c, &y[b])), _mm256_set1_ps(d), acc);   \
            }                                                                                                 \
            float l[8];                                                                                       \
            _mm256_storeu_ps(l, acc);                                                                         \
            out[r] = tq_x86_finish(l);                                                                        \
        }                                                                                                     \
    }
TQ_X86_AVX2(tq2_0, ck_block_tq2_0, tq2_decode_avx2)
TQ_X86_AVX2(tq1_0, ck_block_tq1_0, tq1_decode_avx2)

/* Batched prefill: each block is decoded once for up to eight tokens (eight float accumulators, each token's chain
 * in block order with the gemv's integer lanes and fma), so every output is the gemv's bits. */
#define TQ_X86_GEMM_AVX2(NAME, BLOCK, DECODE)                                                                 \
    CK_AVX2 static void NAME##_x86_gemm_avx2(const BLOCK *w, size_t nb, size_t row0, size_t row1,             \
                                             const ck_block_q8_K *const *ys, size_t T, float *out, size_t ldo) { \
        for (size_t r = row0; r < row1; r++) {                                                                \
            for (size_t t0 = 0; t0 < T; t0 += 8) {                                                            \
                const size_t nt = T - t0 < 8 ? T - t0 : 8;                                                    \
                __m256 acc[8];                                                                                \
                for (size_t t = 0; t < 8; t++) acc[t] = _mm256_setzero_ps();                                  \
                __m256i c[8];                                                                                 \
                for (size_t b = 0; b < nb; b++) {                                                             \
                    DECODE(&w[r * nb + b], c);                                                                \
                    const float dw = _cvtsh_ss(w[r * nb + b].d);                                              \
                    for (size_t t = 0; t < nt; t++) {                                                         \
                        const ck_block_q8_K *y = ys[t0 + t] + b;                                              \
                        acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(tq_x86_lanes(c, y)), _mm256_set1_ps(y->d * dw), acc[t]); \
                    }                                                                                         \
                }                                                                                             \
                for (size_t t = 0; t < nt; t++) {                                                             \
                    float l[8];                                                                               \
                    _mm256_storeu_ps(l, acc[t]);                                                              \
                    out[(t0 + t) * ldo + r] = tq_x86_finish(l);                                               \
                }                                                                                             \
            }                                                                                                 \
        }                                                                                                     \
    }
TQ_X86_GEMM_AVX2(tq2_0, ck_block_tq2_0, tq2_decode_avx2)
TQ_X86_GEMM_AVX2(tq1_0, ck_block_tq1_0, tq1_decode_avx2)
#endif

void ck_tq_q8K_x86_gemv(const void *w, int tq1, size_t n, size_t row0, size_t row1, const ck_block_q8_K *y, float *out) {
    const size_t nb = n / CK_QK_K;
#if CK_X86
    if (ck_avx2()) {
        if (tq1) { ck_count(K_TQ1_Q8K_X86_AVX2); tq1_0_x86_rows_avx2(w, nb, row0, row1, y, out); }
        else { ck_count(K_TQ2_Q8K_X86_AVX2); tq2_0_x86_rows_avx2(w, nb, row0, row1, y, out); }
        return;
    }
#endif
    if (tq1) { ck_count(K_TQ1_Q8K_X86_SCALAR); tq1_0_x86_rows_scalar(w, nb, row0, row1, y, out); }
    else { ck_count(K_TQ2_Q8K_X86_SCALAR); tq2_0_x86_rows_scalar(w, nb, row0, row1, y, out); }
}

void ck_tq_q8K_x86_gemm(const void *w, int tq1, size_t n, size_t row0, size_t row1, const ck_block_q8_K *const *ys,
                        size_t T, float *out, size_t ldo) {
    const size_t nb = n / CK_QK_K;
#if CK_X86
    if (ck_avx2() && T > 1) {
        if (tq1) { ck_count(K_TQ1_Q8K_X86_GEMM_AVX2); tq1_0_x86_gemm_avx2(w, nb, row0, row1, ys, T, out, ldo); }
        else { ck_count(K_TQ2_Q8K_X86_GEMM_AVX2); tq2_0_x86_gemm_avx2(w, nb, row0, row1, ys, T, out, ldo); }
        return;
    }
#endif
    for (size_t t = 0; t < T; t++) ck_tq_q8K_x86_gemv(w, tq1, n, row0, row1, ys[t], out + t * ldo);
}

/* ------------------------------------------------- repacks between I2_S and TQ */

/* ggml's TQ1_0 byte for five (or four, then ×3) trits q ∈ [0, 243): ceil(q·256/243), the top trit in the top bits.
 * Plain 16-bit arithmetic over fixed-length loops, so the compiler vectorizes the whole block (no table lookups). */
static inline uint8_t tq1_byte(unsigned q) { return (uint8_t)((q * 256u + 242u) / 243u); }

void ck_i2s_to_tq1_0(const uint8_t *w, size_t n, size_t rows, uint16_t d, ck_block_tq1_0 *out) {
    const size_t nb = n / CK_QK_K;
    for (size_t i = 0; i < rows * nb; i++) {
        const uint8_t *src = w + i * 64;        /* rows are whole blocks: block i of the tensor is 64 bytes at i·64 */
        uint8_t c[256];
        for (int h = 0; h < 2; h++)             /* I2_S byte j of a 128-weight group: weights j, j+32, j+64, j+96 */
            for (int j = 0; j < 32; j++) {
                const uint8_t b = src[h * 32 + j];
                uint8_t *cc = c + h * 128;
                cc[j] = b >> 6; cc[j + 32] = (b >> 4) & 3; cc[j + 64] = (b >> 2) & 3; cc[j + 96] = b & 3;
            }
        ck_block_tq1_0 *y = out + i;
        for (int m = 0; m < 32; m++)            /* weights m + 32k, k = 0..4, most significant first */
            y->qs[m] = tq1_byte(c[m] * 81u + c[m + 32] * 27u + c[m + 64] * 9u + c[m + 96] * 3u + c[m + 128]);
        for (int m = 0; m < 16; m++)            /* weights 160 + m + 16k */
            y->qs[32 + m] = tq1_byte(c[160 + m] * 81u + c[176 + m] * 27u + c[192 + m] * 9u + c[208 + m] * 3u + c[224 + m]);
        for (int j = 0; j < 4; j++)             /* weights 240 + j + 4k, k = 0..3, then one zero trit */
            y->qh[j] = tq1_byte((c[240 + j] * 27u + c[244 + j] * 9u + c[248 + j] * 3u + c[252 + j]) * 3u);
        y->d = d;
    }
}

/* TQ2_0 (tq1 == 0) or TQ1_0 (tq1 != 0) rows of n weights → I2_S codes (128-weight blocks, byte j of a block holds
 * weights j, j+32, j+64, j+96 in bits 7:6 .. 1:0). Both formats store code = value + 1, as I2_S does, so the codes
 * move unchanged; the block scales are dropped (the caller checks they are uniform). n % 256 == 0. */
void ck_tq_to_i2s(const void *w, int tq1, size_t n, size_t rows, uint8_t *out) {
    const size_t nb = n / CK_QK_K;
    if (!tq1) {
        /* TQ2_0 byte k of half h holds weights h·128 + 32l + k at bits 2l+1..2l; I2_S byte k of the same 128 weights
         * holds them at bits 7−2l..6−2l: the same byte with its four 2-bit fields in reverse order. */
        uint8_t rev[256];
        for (int v = 0; v < 256; v++)
            rev[v] = (uint8_t)(((v & 3) << 6) | (((v >> 2) & 3) << 4) | (((v >> 4) & 3) << 2) | ((v >> 6) & 3));
        const ck_block_tq2_0 *x = w;
        for (size_t i = 0; i < rows * nb; i++)
            for (int k = 0; k < 64; k++) out[i * 64 + k] = rev[x[i].qs[k]];
        return;
    }
    uint8_t c[256];
    for (size_t r = 0; r < rows; r++)
        for (size_t b = 0; b < nb; b++) {
            if (tq1) tq1_codes((const ck_block_tq1_0 *)w + r * nb + b, c);
            else tq2_codes((const ck_block_tq2_0 *)w + r * nb + b, c);
            uint8_t *o = out + r * (n / 4) + b * 64;
            for (int h = 0; h < 2; h++)
                for (int j = 0; j < 32; j++) {
                    const uint8_t *cc = c + h * 128;
                    o[h * 32 + j] = (uint8_t)((cc[j] << 6) | (cc[j + 32] << 4) | (cc[j + 64] << 2) | cc[j + 96]);
                }
        }
}
