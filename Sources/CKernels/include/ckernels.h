#ifndef CKERNELS_H
#define CKERNELS_H
/*
 * CKernels: the hot loops of the bundled engine (see docs/kernels.md).
 *
 * Every kernel has a portable scalar reference and, where the CPU has it, a SIMD path chosen at run time
 * (AVX2+FMA+F16C, AVX-VNNI on x86-64; NEON/dotprod on aarch64 for I2_S and F16 rows). Integer
 * kernels give the same bits on every path; float kernels agree within the tolerance documented per function.
 * Each path has a stable id ("i2s_i8_gemv.avx2") and a call counter (one count per call = per row batch), which
 * the engine copies into its receipt.
 *
 * Conventions: n = number of columns (the contiguous axis) of a weight row; row0..row1 is a half-open range of
 * weight rows; `out[r]` is written for r in [row0, row1) (absolute row index). Rows of block-quantized types
 * are n / block_size blocks long. Functions never allocate, except the pool and the bandwidth probe.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- dispatch */

/// Instruction-set paths (bit flags). Scalar is always available.
enum {
    CK_PATH_SCALAR  = 1u << 0,
    CK_PATH_AVX2    = 1u << 1, ///< AVX2 + FMA + F16C (all three required)
    CK_PATH_AVXVNNI = 1u << 2, ///< AVX-VNNI (256-bit vpdpbusd), used on top of AVX2
    CK_PATH_AVX512VNNI = 1u << 3, ///< AVX-512 F/BW/VL + VNNI: the I2_S gemm, on top of AVX2
    CK_PATH_NEON    = 1u << 4, ///< aarch64 baseline; I2_S and F16 kernels have NEON paths
    CK_PATH_DOTPROD = 1u << 5, ///< aarch64 asimddp (sdot), used by the I2_S kernels
};

/// Paths this CPU (and OS) supports, as CK_PATH_* flags.
unsigned ck_cpu_paths(void);
/// Paths the dispatcher may use now (initially ck_cpu_paths()).
unsigned ck_path(void);
/// Restricts the dispatcher to `mask & ck_cpu_paths()` (scalar is always kept); returns the effective mask.
/// Tests force a path with it; not meant to be changed while kernels run on other threads.
unsigned ck_set_path(unsigned mask);
/// The same on the calling thread only (kernels it calls; pool workers keep the process-wide mask); 0 clears it.
/// Tests force paths with it so that other tests running at the same time keep theirs.
unsigned ck_set_thread_path(unsigned mask);
/// Human-readable name of the best path in use: "avx512vnni", "avxvnni", "avx2", "neon-dotprod", "neon", "scalar".
const char *ck_path_name(void);

/* ----------------------------------------------------- kernel ids, counters */

/// Number of kernel ids (stable order within a build; use the names across builds).
int ck_kernel_count(void);
/// Stable id of kernel i, e.g. "i2s_i8_gemv.avx2"; NULL when out of range.
const char *ck_kernel_name(int i);
/// How many times kernel i ran since the last reset (one per call, i.e. per row batch). Matrix kernels,
/// quantizers and the per-token graph ops (ck_g_*) are counted; single dots (ck_dot_*), row conversions
/// and elementwise helpers are building blocks and are not.
uint64_t ck_kernel_calls(int i);
/// The same count for calls made on the calling thread only (never reset): lets a caller measure its own
/// calls while other threads run kernels too.
uint64_t ck_kernel_calls_this_thread(int i);
/// Index of a kernel name, or -1.
int ck_kernel_index(const char *name);
void ck_kernel_reset_counts(void);

/* ------------------------------------------------------------- f16 / bf16 */

/// IEEE binary16 <-> binary32, round to nearest even (as F16C and ggml do).
float ck_f16_to_f32(uint16_t h);
uint16_t ck_f32_to_f16(float f);
float ck_bf16_to_f32(uint16_t h);
/// Row conversions (F16C on AVX2; bit-exact with the scalar functions above, NaN payloads aside).
void ck_f16_to_f32_row(const uint16_t *x, float *y, size_t n);
void ck_f32_to_f16_row(const float *x, uint16_t *y, size_t n);

/* ------------------------------------------------------ block definitions */

#define CK_QK_K 256
#define CK_QK8_0 32
#define CK_QK_I2S 128

typedef struct { float d; int8_t qs[CK_QK_K]; int16_t bsums[CK_QK_K / 16]; } ck_block_q8_K;  /* 292 bytes */
typedef struct { uint16_t d; int8_t qs[32]; } ck_block_q8_0;                                   /* 34 bytes */
typedef struct { uint16_t d; uint16_t s; int8_t qs[32]; } ck_block_q8_1;                       /* 36 bytes */
typedef struct { uint16_t d; uint8_t qs[16]; } ck_block_q4_0;                                  /* 18 bytes */
typedef struct { uint16_t d; uint16_t m; uint8_t qs[16]; } ck_block_q4_1;                      /* 20 bytes */
typedef struct { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; uint16_t d; } ck_block_q6_K; /* 210 */
typedef struct { uint8_t qs[64]; uint16_t d; } ck_block_tq2_0;                                 /* 66 bytes */
typedef struct { uint8_t qs[48]; uint8_t qh[4]; uint16_t d; } ck_block_tq1_0;                  /* 54 bytes */

/* ------------------------------------------------- activation quantization */

/// bitnet.cpp quantize_row_i8_s: max|x| in double (floored at 1e-5), s = (float)(127 / max),
/// q = nearest_int(x * s) (float product, round half to even) clamped to [-128, 127].
/// Writes q[0..n), returns Σq; *scale = s.
int32_t ck_quantize_i8_s(const float *x, int8_t *q, size_t n, float *scale);
/// llama.cpp quantize_row_q8_K_ref (also what llama.cpp's x86 build runs). n % 256 == 0.
/// All-zero blocks get d = 0, qs = 0, bsums = 0.
void ck_quantize_q8_K(const float *x, ck_block_q8_K *y, size_t n);
/// Q8_0 / Q8_1 rounding variants: REF = quantize_row_q8_x_ref (id = 1/d, roundf: half away from zero);
/// X86 = llama.cpp's AVX/AVX2 quantize_row_q8_x (id = 127/amax, round half to even), what a llama.cpp
/// built for x86 actually feeds its dot products.
enum { CK_Q8_REF = 0, CK_Q8_X86 = 1 };
void ck_quantize_q8_0(const float *x, ck_block_q8_0 *y, size_t n, int variant);  /* n % 32 == 0 */
void ck_quantize_q8_1(const float *x, ck_block_q8_1 *y, size_t n, int variant);  /* n % 32 == 0 */

/* ------------------------------------------------------ ternary × int8 */

/// I2_S (bitnet.cpp): w is the tensor's packed codes (row r at w + r*n/4), n % 128 == 0, n <= 2^22.
/// out_sums[r] = Σ_i code_i · q_i (integer; code ∈ {0,1,2}). The layer output is
/// ck_i2s_finish: ((float)sum − (float)Σq) / s · β, left to right in float (exactly bitnet.cpp).
void ck_i2s_gemv(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q, int32_t *out_sums);
/// Float wrapper: out[r] = ((float)sum_r − (float)qsum) / s · beta.
void ck_i2s_gemv_f32(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q,
                     int32_t qsum, float s, float beta, float *out);
/// GEMM for batched prefill: ntok activation rows q + t*ldq; out_sums[t*ldo + r]. Weights are read once
/// per call (each row is reused for all tokens while in cache). Same integers as ck_i2s_gemv per token.
void ck_i2s_gemm(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q, size_t ldq,
                 size_t ntok, int32_t *out_sums, size_t ldo);
/// I2_S with 64-weight blocks (bitnet.cpp converters built on ARM): byte j of a 16-byte block holds weights
/// j, j+16, j+32, j+48 in bits 7:6 .. 1:0. n % 64 == 0. Same integers, same ck_i2s_finish formula.
void ck_i2s64_gemv(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q, int32_t *out_sums);
void ck_i2s64_gemm(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q, size_t ldq,
                   size_t ntok, int32_t *out_sums, size_t ldo);
/// The I2_S output formula for one value.
static inline float ck_i2s_finish(int32_t sum, int32_t qsum, float s, float beta) {
    return ((float)sum - (float)qsum) / s * beta;
}

/// TQ2_0 / TQ1_0 × per-token int8 (the default BitNet numerics). Rows are n/256 blocks; n % 256 == 0.
/// Integer form: out_sums[r] = Σ_i (code_i − 1) · q_i over the whole row, ignoring the block scales; valid
/// when every block of the row that holds a non-zero weight has the same d (check with ck_tq*_uniform_scale),
/// then the value is (float)out_sums[r] / s · d, equal bit for bit to I2_S with β = d.
void ck_tq2_0_i8_gemv(const ck_block_tq2_0 *w, size_t n, size_t row0, size_t row1, const int8_t *q,
                      int32_t *out_sums);
void ck_tq1_0_i8_gemv(const ck_block_tq1_0 *w, size_t n, size_t row0, size_t row1, const int8_t *q,
                      int32_t *out_sums);
/// Per-block form for any scales: out[r] = (Σ_b d_b · (float)S_b) / s, S_b = Σ_{i∈b} (code_i−1)·q_i
/// (integer), d_b the block's f16 scale widened to float, summed in float in block order.
void ck_tq2_0_i8_gemv_f32(const ck_block_tq2_0 *w, size_t n, size_t row0, size_t row1, const int8_t *q,
                          float s, float *out);
void ck_tq1_0_i8_gemv_f32(const ck_block_tq1_0 *w, size_t n, size_t row0, size_t row1, const int8_t *q,
                          float s, float *out);
/// 1 and *d = the common scale when every block with a non-zero weight in rows [0,nrows) has the same d
/// (all-zero blocks are ignored; *d = 0 when there is none); 0 otherwise.
int ck_tq2_0_uniform_scale(const ck_block_tq2_0 *w, size_t n, size_t nrows, float *d);
/// TQ1_0 GEMM for batched prefill: out[t·ldo + r] = the integer ck_tq1_0_i8_gemv gives for token t (codes at
/// q + t·ldq), for r in [row0, row1). prep + t·ldp holds token t prepared by ck_tq1_0_prepare (ldp ≥
/// ck_tq1_0_prep_bytes(n); 64-byte aligned rows run fastest) and qsum[t] its return value; paths without the
/// prepared kernel use q.
size_t ck_tq1_0_prep_bytes(size_t n);
int32_t ck_tq1_0_prepare(const int8_t *q, size_t n, int8_t *prep);
void ck_tq1_0_i8_gemm(const ck_block_tq1_0 *w, size_t n, size_t row0, size_t row1, const int8_t *q, size_t ldq,
                      const int8_t *prep, size_t ldp, const int32_t *qsum, size_t ntok, int32_t *out, size_t ldo);
int ck_tq1_0_uniform_scale(const ck_block_tq1_0 *w, size_t n, size_t nrows, float *d);
/// TQ2_0 / TQ1_0 × Q8_K exactly as llama.cpp's generic dots: out[r] = Σ_b (float)S_b · (d_act · d_w),
/// float, in block order.
void ck_tq2_0_q8K_gemv(const ck_block_tq2_0 *w, size_t n, size_t row0, size_t row1, const ck_block_q8_K *y,
                       float *out);
void ck_tq1_0_q8K_gemv(const ck_block_tq1_0 *w, size_t n, size_t row0, size_t row1, const ck_block_q8_K *y,
                       float *out);
/// TQ2_0 (tq1 = 0) / TQ1_0 (tq1 = 1) × Q8_K with the numerics of llama.cpp's x86 build (`--parity llama.cpp`): eight
/// int32 lanes per block (lane k: elements with (e mod 32)/4 == k, minus bsums[2k] + bsums[2k+1]), an fma per lane in
/// block order with d_y·d_w, then ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)). Same bits on every path.
void ck_tq_q8K_x86_gemv(const void *w, int tq1, size_t n, size_t row0, size_t row1, const ck_block_q8_K *y, float *out);
/// Batched prefill: out[t·ldo + r] = ck_tq_q8K_x86_gemv(row r, ys[t]) for T tokens, bit for bit; each block decoded
/// once for up to eight tokens. T = 1 or no AVX2: the gemv per token.
void ck_tq_q8K_x86_gemm(const void *w, int tq1, size_t n, size_t row0, size_t row1, const ck_block_q8_K *const *ys,
                        size_t T, float *out, size_t ldo);

/* --------------------------------------------------- llama.cpp quant dots */
/// All equal llama.cpp's generic (ggml-cpu/quants.c) dots bit for bit: the integer part per block is exact
/// and the float accumulation is done in the same order and precision (mul and add, no FMA).
void ck_q8_0_q8_0_gemv(const ck_block_q8_0 *w, size_t n, size_t row0, size_t row1, const ck_block_q8_0 *y,
                       float *out);
void ck_q4_0_q8_0_gemv(const ck_block_q4_0 *w, size_t n, size_t row0, size_t row1, const ck_block_q8_0 *y,
                       float *out);
void ck_q4_1_q8_1_gemv(const ck_block_q4_1 *w, size_t n, size_t row0, size_t row1, const ck_block_q8_1 *y,
                       float *out);
void ck_q6_K_q8_K_gemv(const ck_block_q6_K *w, size_t n, size_t row0, size_t row1, const ck_block_q8_K *y,
                       float *out);

/* ------------------------------------------------------------ float dots */
/// Float dots. Scalar reference sums products in double and rounds once; the AVX2 path uses 32 float lanes
/// with FMA. Tolerance: |simd − ref| <= (n/32 + 16) · 2^-23 · Σ|w_i·x_i|.
float ck_dot_f32(const float *a, const float *b, size_t n);
float ck_dot_f16_f32(const uint16_t *a, const float *b, size_t n);
float ck_dot_bf16_f32(const uint16_t *a, const float *b, size_t n);
/// out[r] = dot(row r of w, x); rows are n elements long.
void ck_f32_gemv(const float *w, size_t n, size_t row0, size_t row1, const float *x, float *out);
void ck_f16_gemv(const uint16_t *w, size_t n, size_t row0, size_t row1, const float *x, float *out);
void ck_bf16_gemv(const uint16_t *w, size_t n, size_t row0, size_t row1, const float *x, float *out);
/// Batched: out[t*ldo + r] = dot(row r, x + t*ldx) for t < ntok (each weight row read once per call).
void ck_f16_gemm(const uint16_t *w, size_t n, size_t row0, size_t row1, const float *x, size_t ldx,
                 size_t ntok, float *out, size_t ldo);

/* ------------------------------------------------------------ thread pool */
typedef struct ck_pool ck_pool;
/// fn(ctx, task, thread): task in [0, n_tasks), thread in [0, n_threads) (0 = the caller).
typedef void (*ck_task_fn)(void *ctx, size_t task, int thread);
/// A pool of n_threads (including the calling thread; n_threads - 1 workers). NULL on failure.
ck_pool *ck_pool_create(int n_threads);
void ck_pool_destroy(ck_pool *pool);
int ck_pool_threads(const ck_pool *pool);
/// Runs fn for every task exactly once and returns when all are done. Tasks are claimed in increasing
/// order; a task must compute its own outputs only, so results do not depend on the thread count.
/// No allocation per call. Callers on different threads are serialized (a mutex); a task must not call
/// parallel_for on its own pool (that deadlocks).
void ck_pool_parallel_for(ck_pool *pool, size_t n_tasks, ck_task_fn fn, void *ctx);
/// Spin iterations before an idle worker sleeps on a condition variable (default 4096; the spin yields the CPU
/// every 64 iterations). The caller waits for the workers with 256 pauses, then sched_yield.
void ck_pool_set_spin(ck_pool *pool, unsigned spin);
/// Spin budget in microseconds of wall-clock time instead (0 = back to the iteration count): an idle worker spins,
/// yielding the CPU every 64 pauses, until the budget is spent, then sleeps. Suits a machine whose cores are
/// free (decode hands the workers a new matrix every few microseconds to a few hundred); on a loaded machine
/// the yields keep other threads running.
void ck_pool_set_spin_us(ck_pool *pool, unsigned us);

/* ------------------------------------------------------- row-parallel forms */
/// The matrix kernels split over a pool by contiguous row chunks (about 4 tasks per thread, >= 16 rows each).
/// Each row is computed by one call of the single-thread kernel: same bits at any thread count.
/// pool may be NULL (runs on the caller). rows = number of weight rows (all of them, from row 0).
void ck_parallel_rows(ck_pool *pool, size_t rows, void (*fn)(void *ctx, size_t row0, size_t row1), void *ctx);
void ck_par_i2s_gemv(ck_pool *pool, const uint8_t *w, size_t n, size_t rows, const int8_t *q, int32_t *out_sums);
void ck_par_i2s_gemm(ck_pool *pool, const uint8_t *w, size_t n, size_t rows, const int8_t *q, size_t ldq,
                     size_t ntok, int32_t *out_sums, size_t ldo);
void ck_par_tq2_0_i8_gemv(ck_pool *pool, const ck_block_tq2_0 *w, size_t n, size_t rows, const int8_t *q,
                          int32_t *out_sums);
void ck_par_tq1_0_i8_gemv(ck_pool *pool, const ck_block_tq1_0 *w, size_t n, size_t rows, const int8_t *q,
                          int32_t *out_sums);
void ck_par_f16_gemv(ck_pool *pool, const uint16_t *w, size_t n, size_t rows, const float *x, float *out);
void ck_par_f16_gemm(ck_pool *pool, const uint16_t *w, size_t n, size_t rows, const float *x, size_t ldx,
                     size_t ntok, float *out, size_t ldo);
void ck_par_q8_0_q8_0_gemv(ck_pool *pool, const ck_block_q8_0 *w, size_t n, size_t rows, const ck_block_q8_0 *y,
                           float *out);

/* -------------------------------------------------------------- probes */
/// Streams `bytes` of memory with `threads` threads (AVX2 loads, 8 independent accumulators, no software
/// prefetch) and returns the best read bandwidth over a few passes in GB/s (1e9 bytes/s); < 0 on failure.
double ck_measure_read_bandwidth(size_t bytes, int threads);
/// Times ck_i2s_gemv (the path in use, one thread) on `copies` random rows × n matrices visited in turn (use
/// enough copies to exceed the last-level cache for a memory-bound figure, 1 for a cache-hot one); returns the
/// best of `reps` rounds in GB/s of weight bytes; < 0 on bad arguments or allocation failure.
double ck_bench_i2s_gemv(size_t rows, size_t n, int copies, int reps);

/* ------------------------------------------------------ int8 output head */
/// Rows of at most CK_HEAD_MAX_BLOCKS blocks of 32 (n = 32768).
#define CK_HEAD_MAX_BLOCKS 1024
/// Q8_0 rows for `--head int8` (not a parity path) in the split layout: `w` holds each row's n int8 codes
/// contiguously, `wd` its n/32 f16 block scales; `y` is the Q8_0 activation. Exact integer block sums S_b, then
/// acc[b % 8] = fmaf(d_w·d_y, S_b, acc[b % 8]) and ((a0+a4)+(a2+a6)) + ((a1+a5)+(a3+a7)): every path equal bit for bit.
/// Rows longer than the limit are not computed (check `ck_q8_head_fits`).
void ck_q8_head_gemv(const int8_t *w, const uint16_t *wd, size_t n, size_t row0, size_t row1, const ck_block_q8_0 *y,
                     float *out);
int ck_q8_head_fits(size_t n);
/// Q8_0 blocks → the split layout (codes, scales).
void ck_q8_head_split(const ck_block_q8_0 *blocks, size_t nb, int8_t *codes, uint16_t *scales);
/// One float row (n % 32 == 0) → the split layout with ck_quantize_q8_0's reference rounding (CK_Q8_REF), the
/// same codes and scales as ck_quantize_q8_0 + ck_q8_head_split on every path (the AVX2 path vectorizes it).
void ck_q8_head_quantize_row(const float *x, size_t n, int8_t *codes, uint16_t *scales);

/* ------------------------------------------------------ screened output head (headscreen.c) */
/// `--head screened`: `ck_q8_head_gemv` (same `out`, bit for bit) that also writes, per row r, p[r] = Σ_b d_b·x1b[b]
/// and q[r] = Σ_b d_b·db[b] (d_b the row's f16 block scales) for the error bound.
void ck_q8_head_gemv_screen(const int8_t *w, const uint16_t *wd, size_t n, size_t row0, size_t row1,
                            const ck_block_q8_0 *y, const float *x1b, const float *db, float *out, float *p, float *q);
/// Per row of the head, measured at load: kappa = max over blocks with d_b > 0 of max_i |w_i − d_b·q_i| / d_b, zeta =
/// max |w_i| over blocks with d_b = 0, ew = ‖w − dq‖₂, nq = ‖dq‖₂; all rounded up (INFINITY when a weight or scale
/// is not finite or a scale negative: that row then always forces the fallback).
typedef struct { float kappa, zeta, ew, nq; } ck_head_screen_row;
/// Per token: x1 ≥ Σ|x_i|, x2 ≥ ‖x‖₂, dx2 ≥ ‖x − e·qx‖₂ of the exact kernel's activation x and its Q8_0 form.
typedef struct { double x1, x2, dx2; } ck_head_screen_token;
/// Load time, one row: `wf` the exact float weights (n), `codes`/`scales` their Q8_0 split form.
void ck_head_screen_row_bounds(const float *wf, const int8_t *codes, const uint16_t *scales, size_t n,
                               ck_head_screen_row *out);
/// Per token: `xe` the exact kernel's activation values (n), `y` its Q8_0 form fed to the int8 head. Per block
/// x1b[b] ≥ Σ|xe_i|, db[b] ≥ Σ|xe_i − e_b·qx_i| (rounded up), and `t`. Returns 0 on a non-finite value.
int ck_head_screen_act(const float *xe, const ck_block_q8_0 *y, size_t n, float *x1b, float *db, ck_head_screen_token *t);
/// The bound B_r ≥ |L̂_r − Â_r| of one row (docs/kernels.md "Screened output head") from its p, q and row data.
double ck_head_screen_bound(float p, float q, const ck_head_screen_row *row, size_t n, const ck_head_screen_token *t);
/// The candidates: m = max_r (a[r] − B_r), then every r with a[r] + B_r ≥ m into `cand` in increasing order;
/// `scratch` (rows floats) receives the bounds rounded up. Returns their count, -1 when a value is not finite, -2
/// when more than `cap`.
long ck_head_screen_scan(const float *a, const float *p, const float *q, const ck_head_screen_row *rowb, size_t rows,
                         size_t n, const ck_head_screen_token *t, float *scratch, int32_t *cand, size_t cap);
/// Top-k form (sampling that keeps the k largest logits): m_k = the k-th largest of lower bounds of the exact logits
/// (a[r] − B_r, rounded down; `lower`: rows floats of scratch), then every r with a[r] + B_r ≥ m_k (less a 2⁻⁴⁰
/// slack) into `cand` in increasing order: the k largest exact logits, ties included, are all among them. Returns the
/// count, -1 when a value is not finite or k is not in 1...rows, -2 when more than `cap`.
long ck_head_screen_scan_topk(const float *a, const float *p, const float *q, const ck_head_screen_row *rowb, size_t rows,
                              size_t n, const ck_head_screen_token *t, size_t k, float *scratch, float *lower,
                              int32_t *cand, size_t cap);

/* ------------------------------------------------ graph ops (exact engine numerics) */
/// The per-token float work of the engine's graph (graph.c, attention.c). Unlike the helpers above, these compute
/// exactly the floats of the engine's reference (llama.cpp's x86 CPU numerics, docs/kernels.md "Graph ops"):
/// same operation order, roundings and fused multiply-adds. The AVX2+FMA+F16C path and the portable path (fmaf)
/// give identical bits. They are building blocks of the token loop: not counted, never allocate.
/// ggml_v_expf for one lane (Arm optimized-routines polynomial, vscalefps underflow; +inf / 0 / NaN out of range).
float ck_g_expf(float x);
/// y[i] = ck_g_expf(x[i]) (8 lanes at a time on AVX2, the vector form softmax and SwiGLU use).
void ck_g_expf_row(const float *x, float *y, size_t n);
/// y = (x · s) · w, s = 1 / sqrtf((float)(Σ (double)(x_i·x_i) / n) + eps), the sum in double in index order.
/// y may equal x.
void ck_g_rmsnorm(const float *x, const float *w, float *y, size_t n, float eps);
/// x *= s.
void ck_g_scale(float *x, size_t n, float s);
/// RoPE table for one position: theta_scale = powf(base, −2/n_dims), θ_0 = pos, θ_{i+1} = θ_i · theta_scale,
/// cs[i] = cosf(θ_i), sn[i] = sinf(θ_i) for i < n_dims/2.
void ck_g_rope_table(float pos, size_t n_dims, float freq_base, float *cs, float *sn);
/// Rotates dims (i, i + n_dims/2) (neox) or (2i, 2i+1) of each of `heads` heads (head_dim apart) of x in place:
/// x0·c − x1·s, x0·s + x1·c; `fused`: fma(x0, c, −(x1·s)), fma(x0, s, x1·c) (llama.cpp's x86 build).
void ck_g_rope(float *x, size_t heads, size_t head_dim, size_t n_dims, const float *cs, const float *sn,
               int neox, int fused);
/// In place, as ggml_soft_max over a padded window: max, chunks of 16 lanes of ck_g_expf(x − max), each chunk
/// summed by the _mm512_reduce_add_ps tree and accumulated in double, then x *= (float)(1 / Σ).
void ck_g_softmax(float *x, size_t n);
/// g = (g / (1 + exp(−g))) · u (ggml_vec_swiglu_f32: ck_g_expf on the first n/16·16, libm expf on the tail).
void ck_g_swiglu(float *g, const float *u, size_t n);
/// g = (r · r) · u, r = 0 >= g ? 0 : g.
void ck_g_relu2_mul(float *g, const float *u, size_t n);
/// g = 0.5·g·(1 + tanhf(0.7978845608·g·(1 + 0.044715·g·g)))·u, left to right.
void ck_g_gelu_mul(float *g, const float *u, size_t n);
/// y = a + b, elementwise (the residual add; the same bits on every path).
void ck_add_f32(const float *a, const float *b, float *y, size_t n);
/// llamafile tinyBLAS dot: lane i < 16 accumulates a[i+16k]·b[i+16k] by fma in k order (a short tail is
/// skipped, not padded), then the 16-lane reduce tree.
float ck_g_dot16(const float *a, const float *b, size_t n);
/// ggml_vec_dot_f16 on AVX-512: 64 lanes by fma over 64-wide steps, (l + l+32) + (l+16 + l+48), reduce tree,
/// then a tail shorter than 64 added in double; `padded`: the tail joins the lanes instead.
float ck_g_vec_dot_f16(const float *a, const float *b, size_t n, int padded);
/// Floats of scratch ck_g_attention needs for up to max_positions positions.
size_t ck_g_attention_scratch_floats(size_t max_positions, size_t n_head, size_t n_head_kv, size_t head_dim);
/// Causal GQA attention of one token over positions 0..<n_pos of one layer's f16 cache (position t's row at
/// keys/values + t·kv_stride, kv head j at + j·head_dim): q rounded to f16, scores = dot(k, q) · 1/sqrtf(hd),
/// ck_g_softmax, probabilities rounded to f16, out = Σ_t v_t · p_t. Dots: ck_g_dot16 (vecdot = 0) or
/// ck_g_vec_dot_f16 (vecdot = 1: K·q unpadded, V·p padded). out: n_head × head_dim.
void ck_g_attention(const float *q, const uint16_t *keys, const uint16_t *values, size_t n_pos, size_t kv_stride,
                    size_t n_head, size_t n_head_kv, size_t head_dim, int vecdot, float *out, float *scratch);
/// The KV cache store: k and v rounded to f16 (round to nearest even).
void ck_g_kv_store(const float *k, const float *v, uint16_t *kdst, uint16_t *vdst, size_t n);

/* ------------------------------------- more ternary layouts, IQ2_S (issue 7) */
/// BitNet32-F16 (BitNet.rs: 32-weight blocks of 8 code bytes, weight i in bits 2(i%4)+1:2(i%4) of byte i/4,
/// value code − 1 with code 3 = 0, then the f16 scale) × per-token int8: out[r] = (Σ_b d_b · (float)S_b) / s,
/// S_b exact, float multiply then add in block order (no FMA): the same bits on every path. n % 32 == 0;
/// row r at w + r·(n/32)·10.
void ck_bn32_i8_gemv_f32(const uint8_t *w, size_t n, size_t row0, size_t row1, const int8_t *q, float s, float *out);
/// IQ2_S × Q8_K with the numerics of llama.cpp's x86 build (iq2s.c: eight exact integer lanes per block, an fma per
/// lane in block order, ggml's hsum_float_8, × 0.125). n % 256 == 0; row r at w + r·(n/256)·82. Same bits on every path.
void ck_iq2_s_q8_K_gemv(const uint8_t *w, size_t n, size_t row0, size_t row1, const ck_block_q8_K *y, float *out);
/// Batched prefill: out[t·ldo + r] = ck_iq2_s_q8_K_gemv(row r, ys[t]) for T tokens, bit for bit; each row's grid
/// vectors are looked up once for all tokens (nb·256 bytes of scratch per call). T = 1 or no AVX2: the gemv per token.
void ck_iq2_s_q8_K_gemm(const uint8_t *w, size_t n, size_t row0, size_t row1, const ck_block_q8_K *const *ys, size_t T,
                        float *out, size_t ldo);
/// Load-time repacks into the I2_S 128-weight interleave (dst: rows·cols/4 code bytes, zeroed first; the caller
/// appends the scale tail). TL1/TL2 follow the GGUF layer's reference walks (TensorCodec+TL1/TL2) for the tile
/// configuration (BM, BK, bm); `scratch` holds rows·cols bytes (the codes in row order). Return 0, -1 for a
/// configuration that does not tile the shape, -2 for a code outside the format (pair index > 8, magnitude > 13).
int ck_tl1_to_i2s(const uint8_t *src, size_t rows, size_t cols, size_t BM, size_t BK, size_t bm, uint8_t *dst,
                  uint8_t *scratch);
int ck_tl2_to_i2s(const uint8_t *src, size_t rows, size_t cols, size_t BM, size_t BK, uint8_t *dst, uint8_t *scratch);
/// BitNet32-F16 codes (n weights, n % 128 == 0) into I2_S codes (n/4 bytes); the block scales are not used.
void ck_bn32_to_i2s(const uint8_t *src, size_t n, uint8_t *dst);
/// I2_S codes in 64-weight blocks (ARM converters) → the 128-weight interleave (n weights, n % 128 == 0, n/4 bytes
/// each side): the same codes, permuted.
void ck_i2s64_to_i2s(const uint8_t *src, size_t n, uint8_t *dst);
/// BitNet32-F16 with varying block scales, repacked at load (bn32r.c): `codes` in the bn32r layout (row r at
/// codes + r·n/4; ck_bn32r_pack: each 256 weights are 64 bytes, weight i of block k in byte 32h + 4k + i%4 at shift
/// 6 − 2p with h = i/16, p = (i/4)%4, so each 2-bit plane holds four weights of block k in 32-bit lane k; a trailing
/// 128 weights in the I2_S interleave) and the f16 scale of each 32-weight block (row r at scales + r·n/32;
/// ck_bn32_scales).
/// out[r] = ((a0 + a1) + (a2 + a3) + ((a4 + a5) + (a6 + a7))) / s with a_k = Σ_{b ≡ k mod 8} d_b·(float)S_b summed
/// in block order (multiply, then add), S_b = Σ_{i∈b} (code_i − 1)·q_i exact: the same bits on every path.
/// n % 128 == 0.
void ck_bn32r_i8_gemv_f32(const uint8_t *codes, const uint16_t *scales, size_t n, size_t row0, size_t row1,
                          const int8_t *q, float s, float *out);
/// The same for `ntok` tokens (batched prefill): token t's int8 row at q + t·ldq, prepared by ck_bn32r_prepare at
/// qt + t·n and qsum + t·n/32, its scale s[t]; out[t·ldo + r]. Each value has the gemv's bits.
void ck_bn32r_i8_gemm_f32(const uint8_t *codes, const uint16_t *scales, size_t n, size_t row0, size_t row1,
                          const int8_t *q, size_t ldq, const int8_t *qt, const int32_t *qsum, size_t ntok,
                          const float *s, float *out, size_t ldo);
/// One token's activations for the bn32r kernels: qt (n bytes) the int8 row with each 256 arranged like the
/// codes (bytes 64p + 32h + 4k .. +3 of each 256 = q[32k + 16h + 4p .. +3]; a trailing 128 copied), qsum[b] = Σ q
/// over block b.
void ck_bn32r_prepare(const int8_t *q, size_t n, int8_t *qt, int32_t *qsum);
/// `rows` × n BitNet32-F16 rows (file layout) into bn32r codes (rows·n/4 bytes). n % 128 == 0.
void ck_bn32r_pack(const uint8_t *src, size_t rows, size_t n, uint8_t *dst);
/// Row of bn32r codes and block scales dequantized: y[i] = (float)(code_i − 1) · d_b.
void ck_bn32r_row(const uint8_t *codes, const uint16_t *scales, size_t n, float *y);
/// The f16 scales of `nblocks` BitNet32-F16 blocks, gathered into one array.
void ck_bn32_scales(const uint8_t *src, size_t nblocks, uint16_t *scales);
/// 1 and *d = the common scale when every BitNet32-F16 block holding a non-zero weight has the same f16 scale
/// (*d = 0 when no block does); 0 otherwise.
int ck_bn32_uniform_scale(const uint8_t *src, size_t nblocks, float *d);

/// TQ2_0 (tq1 = 0) / TQ1_0 (tq1 = 1) rows → I2_S codes (128-weight blocks), codes unchanged, block scales dropped:
/// exact when every non-zero block has one scale (ck_tq*_uniform_scale), which then becomes the I2_S tensor scale.
/// `out` holds rows·n/4 bytes; n % 256 == 0. Used by the engine's opt-in load-time repack (`--repack i2_s`).
void ck_tq_to_i2s(const void *w, int tq1, size_t n, size_t rows, uint8_t *out);
/// The other way: I2_S rows (128-weight blocks, codes value+1) → TQ1_0 blocks with every block scale `d` (f16 bits),
/// packed exactly as ggml's quantize_row_tq1_0_ref packs those codes (five trits per byte, ceil(q·256/243)); the
/// result decodes to the same codes. `out` holds rows·n/256 blocks; n % 256 == 0. The engine's opt-in load-time
/// repack (`--repack tq1_0`): 1.69 bits per weight instead of 2 for the bandwidth-bound decode.
void ck_i2s_to_tq1_0(const uint8_t *w, size_t n, size_t rows, uint16_t d, ck_block_tq1_0 *out);

#ifdef __cplusplus
}
#endif
#endif
