/* Private helpers shared by the kernel files. */
#ifndef CK_INTERNAL_H
#define CK_INTERNAL_H
#include "ckernels.h"
#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define CK_X86 1
#include <immintrin.h>
#define CK_AVX2 __attribute__((target("avx2,fma,f16c")))
#define CK_AVXVNNI __attribute__((target("avx2,fma,f16c,avxvnni")))
/* AVX-512 F/BW/VL + VNNI (512-bit vpdpbusd, 16-wide F16C conversions), used on top of AVX2. */
#define CK_AVX512 __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")))
#else
#define CK_X86 0
#endif

/* Kernel ids: X(enum, "name"). The names are the stable ids written into receipts. */
#define CK_KERNELS(X) \
    X(K_I2S_GEMV_SCALAR, "i2s_i8_gemv.scalar") X(K_I2S_GEMV_AVX2, "i2s_i8_gemv.avx2") \
    X(K_I2S_GEMV_VNNI, "i2s_i8_gemv.avxvnni") \
    X(K_I2S_GEMM_SCALAR, "i2s_i8_gemm.scalar") X(K_I2S_GEMM_AVX2, "i2s_i8_gemm.avx2") \
    X(K_I2S_GEMM_VNNI, "i2s_i8_gemm.avxvnni") \
    X(K_I2S64_GEMV_SCALAR, "i2s64_i8_gemv.scalar") X(K_I2S64_GEMV_AVX2, "i2s64_i8_gemv.avx2") \
    X(K_I2S64_GEMV_VNNI, "i2s64_i8_gemv.avxvnni") X(K_I2S64_GEMM_SCALAR, "i2s64_i8_gemm.scalar") \
    X(K_I2S64_GEMM_AVX2, "i2s64_i8_gemm.avx2") X(K_I2S64_GEMM_VNNI, "i2s64_i8_gemm.avxvnni") \
    X(K_I2S_GEMV_NEON, "i2s_i8_gemv.neon") X(K_I2S_GEMV_DOTPROD, "i2s_i8_gemv.dotprod") \
    X(K_I2S_GEMM_NEON, "i2s_i8_gemm.neon") X(K_I2S_GEMM_DOTPROD, "i2s_i8_gemm.dotprod") \
    X(K_F16_GEMV_NEON, "f16_gemv.neon") X(K_F16_GEMM_NEON, "f16_gemm.neon") \
    X(K_TQ2_I8_SCALAR, "tq2_0_i8_gemv.scalar") X(K_TQ2_I8_AVX2, "tq2_0_i8_gemv.avx2") \
    X(K_TQ1_I8_SCALAR, "tq1_0_i8_gemv.scalar") X(K_TQ1_I8_AVX2, "tq1_0_i8_gemv.avx2") \
    X(K_TQ2_Q8K_SCALAR, "tq2_0_q8_K_gemv.scalar") X(K_TQ2_Q8K_AVX2, "tq2_0_q8_K_gemv.avx2") \
    X(K_TQ1_Q8K_SCALAR, "tq1_0_q8_K_gemv.scalar") X(K_TQ1_Q8K_AVX2, "tq1_0_q8_K_gemv.avx2") \
    X(K_TQ2_Q8K_X86_SCALAR, "tq2_0_q8_K_x86lanes.scalar") X(K_TQ2_Q8K_X86_AVX2, "tq2_0_q8_K_x86lanes.avx2") \
    X(K_TQ1_Q8K_X86_SCALAR, "tq1_0_q8_K_x86lanes.scalar") X(K_TQ1_Q8K_X86_AVX2, "tq1_0_q8_K_x86lanes.avx2") \
    X(K_TQ2_Q8K_X86_GEMM_AVX2, "tq2_0_q8_K_x86lanes_gemm.avx2") X(K_TQ1_Q8K_X86_GEMM_AVX2, "tq1_0_q8_K_x86lanes_gemm.avx2") \
    X(K_Q8_0_SCALAR, "q8_0_q8_0_gemv.scalar") X(K_Q8_0_AVX2, "q8_0_q8_0_gemv.avx2") \
    X(K_Q4_0_SCALAR, "q4_0_q8_0_gemv.scalar") X(K_Q4_0_AVX2, "q4_0_q8_0_gemv.avx2") \
    X(K_Q4_1_SCALAR, "q4_1_q8_1_gemv.scalar") X(K_Q4_1_AVX2, "q4_1_q8_1_gemv.avx2") \
    X(K_Q6_K_SCALAR, "q6_K_q8_K_gemv.scalar") X(K_Q6_K_AVX2, "q6_K_q8_K_gemv.avx2") \
    X(K_F32_GEMV_SCALAR, "f32_gemv.scalar") X(K_F32_GEMV_AVX2, "f32_gemv.avx2") \
    X(K_F16_GEMV_SCALAR, "f16_gemv.scalar") X(K_F16_GEMV_AVX2, "f16_gemv.avx2") \
    X(K_F16_GEMM_SCALAR, "f16_gemm.scalar") X(K_F16_GEMM_AVX2, "f16_gemm.avx2") \
    X(K_BF16_GEMV_SCALAR, "bf16_gemv.scalar") X(K_BF16_GEMV_AVX2, "bf16_gemv.avx2") \
    X(K_QI8S_SCALAR, "quantize_i8_s.scalar") X(K_QI8S_AVX2, "quantize_i8_s.avx2") \
    X(K_QQ8K_SCALAR, "quantize_q8_K.scalar") \
    X(K_QQ8_0_SCALAR, "quantize_q8_0.scalar") X(K_QQ8_1_SCALAR, "quantize_q8_1.scalar") \
    X(K_QQ8K_AVX2, "quantize_q8_K.avx2") X(K_QQ8_0_AVX2, "quantize_q8_0.avx2") X(K_QQ8_1_AVX2, "quantize_q8_1.avx2") \
    X(K_Q8_HEAD_SCALAR, "q8_head_gemv.scalar") X(K_Q8_HEAD_AVX2, "q8_head_gemv.avx2") \
    X(K_Q8_HEAD_VNNI, "q8_head_gemv.avxvnni") \
    X(K_G_RMSNORM, "graph_rmsnorm.c") X(K_G_ROPE_SCALAR, "graph_rope.scalar") X(K_G_ROPE_AVX2, "graph_rope.avx2") \
    X(K_G_SOFTMAX_SCALAR, "graph_softmax.scalar") X(K_G_SOFTMAX_AVX2, "graph_softmax.avx2") \
    X(K_G_SWIGLU_SCALAR, "graph_swiglu.scalar") X(K_G_SWIGLU_AVX2, "graph_swiglu.avx2") \
    X(K_G_RELU2, "graph_relu2_mul.c") X(K_G_GELU, "graph_gelu_mul.c") \
    X(K_G_ATTN_SCALAR, "graph_attention.scalar") X(K_G_ATTN_AVX2, "graph_attention.avx2") \
    X(K_I2S_GEMM_AVX512, "i2s_i8_gemm.avx512vnni") \
    X(K_TQ2_I8_VNNI, "tq2_0_i8_gemv.avxvnni") X(K_TQ1_I8_VNNI, "tq1_0_i8_gemv_x3.avxvnni") \
    X(K_BN32_I8_SCALAR, "bn32_i8_gemv.scalar") X(K_BN32_I8_AVX2, "bn32_i8_gemv.avx2") \
    X(K_IQ2S_Q8K_SCALAR, "iq2_s_q8_K_gemv.scalar") X(K_IQ2S_Q8K_AVX2, "iq2_s_q8_K_gemv.avx2") \
    X(K_IQ2S_Q8K_GEMM_AVX2, "iq2_s_q8_K_gemm.avx2") X(K_IQ2S_Q8K_GEMM_AVX512, "iq2_s_q8_K_gemm.avx512vnni") \
    X(K_BN32R_I8_SCALAR, "bn32r_i8_gemv.scalar") X(K_BN32R_I8_AVX2, "bn32r_i8_gemv.avx2") \
    X(K_BN32R_I8_VNNI, "bn32r_i8_gemv.avxvnni") \
    X(K_BN32R_GEMM_SCALAR, "bn32r_i8_gemm.scalar") X(K_BN32R_GEMM_AVX2, "bn32r_i8_gemm.avx2") \
    X(K_BN32R_GEMM_VNNI, "bn32r_i8_gemm.avxvnni") \
    X(K_BN32R_I8_512, "bn32r_i8_gemv.avx512vnni") X(K_BN32R_GEMM_512, "bn32r_i8_gemm.avx512vnni") \
    X(K_TQ1_I8_512, "tq1_0_i8_gemv_x3.avx512vnni") X(K_TQ1_GEMM_512, "tq1_0_i8_gemm.avx512vnni") \
    X(K_TQ1_GEMM_VNNI, "tq1_0_i8_gemm.avxvnni") \
    X(K_IQ2S_Q8K_AVX512, "iq2_s_q8_K_gemv.avx512vnni")

enum {
#define CK_ENUM(e, s) e,
    CK_KERNELS(CK_ENUM)
#undef CK_ENUM
    K_COUNT
};

extern _Atomic uint64_t ck_counters[K_COUNT];
extern _Atomic unsigned ck_active_paths;

extern _Thread_local uint64_t ck_thread_counters[K_COUNT];

static inline void ck_count(int k) {
    atomic_fetch_add_explicit(&ck_counters[k], 1, memory_order_relaxed);
    ck_thread_counters[k]++;
}
/* Set by ck_set_thread_path (tests force a path on their own thread only); 0: the process-wide mask applies. */
extern _Thread_local unsigned ck_thread_paths;

static inline int ck_use(unsigned path) {
    const unsigned t = ck_thread_paths;
    return ((t ? t : atomic_load_explicit(&ck_active_paths, memory_order_relaxed)) & path) != 0;
}
static inline int ck_avx2(void) { return ck_use(CK_PATH_AVX2); }
static inline int ck_vnni(void) { return ck_use(CK_PATH_AVXVNNI); }
static inline int ck_avx512(void) { return ck_use(CK_PATH_AVX512VNNI); }
static inline int ck_neon(void) { return ck_use(CK_PATH_NEON); }
static inline int ck_dotprod(void) { return ck_use(CK_PATH_DOTPROD); }

/* Matrix-vector kernels stream their weights once from DRAM: a software prefetch this far ahead (one per 64-byte
 * line, T0) measured +10-30% over the hardware prefetchers alone for I2_S and about +5% for F16 rows. Distances
 * 4-32 KiB all help; on the 2B-4T file at 1 thread (the weights in the file mapping's 4 KiB pages) 8 KiB decoded
 * 28.45 tok/s against 27.8 for 16 KiB and 26.3 for 4 KiB (alternating builds, 6 runs each, 2026-11-27), and an F16
 * row microbenchmark on the file mapping streamed 34.6 GB/s at 8 KiB against 32.5 at 16 KiB. -DCK_STREAM_PREFETCH=N
 * overrides it for such A/B builds. Prefetches never fault, past the end included. */
#ifndef CK_STREAM_PREFETCH
#define CK_STREAM_PREFETCH 8192
#endif

#if CK_X86
/* i2s512.c: the AVX-512 VNNI I2_S gemm (rows up to ck_i2s_avx512_fits(n) long); out as in i2s.c's forms. */
int ck_i2s_avx512_fits(size_t n);
void ck_i2s_gemm_avx512(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q, size_t ldq,
                        size_t ntok, int32_t *out, size_t ldo);
#endif

#if CK_X86
/* tq1.c: TQ1_0 × per-token int8 rows (out[r] = Σ (t − 1)·q over nb blocks), AVX2, AVX-VNNI and AVX-512 VNNI. */
void ck_tq1_0_i8_rows_avx2(const ck_block_tq1_0 *w, size_t nb, size_t row0, size_t row1, const int8_t *q, int32_t *out);
void ck_tq1_0_i8_rows_vnni(const ck_block_tq1_0 *w, size_t nb, size_t row0, size_t row1, const int8_t *q, int32_t *out);
void ck_tq1_0_i8_rows_avx512(const ck_block_tq1_0 *w, size_t nb, size_t row0, size_t row1, const int8_t *q, int32_t *out);
#endif

#if defined(__aarch64__)
/* neon.c */
int32_t ck_i2s_row_neon(const uint8_t *w, const int8_t *q, size_t nb);
int32_t ck_i2s_row_dotprod(const uint8_t *w, const int8_t *q, size_t nb);
float ck_f16_row_neon(const uint16_t *w, const float *x, size_t n);
#endif

/* ggml's nearest_int: round half to even via the 1.5·2^23 magic (|f| <= 4194303). */
static inline int ck_nearest_int(float f) {
    float v = f + 12582912.0f;
    int32_t i;
    memcpy(&i, &v, 4);
    return (i & 0x007fffff) - 0x00400000;
}

static inline uint16_t ck_load_u16(const void *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t ck_load_u32(const void *p) { uint32_t v; memcpy(&v, p, 4); return v; }

#if CK_X86
CK_AVX2 static inline int32_t ck_hsum_i32_8(__m256i a) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
    s = _mm_add_epi32(s, _mm_unpackhi_epi64(s, s));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 1));
    return _mm_cvtsi128_si32(s);
}
CK_AVX2 static inline float ck_hsum_f32_8(__m256 a) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
#endif

#endif
