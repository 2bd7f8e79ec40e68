/* Row-parallel forms of the matrix kernels on a ck_pool: rows are split into contiguous chunks, one task each.
 * Each output row is computed by exactly one call of the single-thread kernel, so results do not depend on the
 * thread count or the chunking. */
#include "ck_internal.h"

typedef void (*rows_fn)(const void *args, size_t row0, size_t row1);
struct par_job { rows_fn fn; const void *args; size_t rows, chunk; };

static void par_task(void *ctx, size_t task, int thread) {
    (void)thread;
    const struct par_job *j = ctx;
    const size_t r0 = task * j->chunk, r1 = r0 + j->chunk < j->rows ? r0 + j->chunk : j->rows;
    j->fn(j->args, r0, r1);
}

static void par_rows(ck_pool *pool, size_t rows, rows_fn fn, const void *args) {
    if (rows == 0) return;
    const size_t threads = pool ? (size_t)ck_pool_threads(pool) : 1;
    if (threads <= 1) { fn(args, 0, rows); return; }
    /* about 4 tasks per thread for balance, at least 16 rows each */
    size_t chunk = (rows + threads * 4 - 1) / (threads * 4);
    if (chunk < 16) chunk = 16;
    struct par_job j = {fn, args, rows, chunk};
    ck_pool_parallel_for(pool, (rows + chunk - 1) / chunk, par_task, &j);
}

struct user_args { void (*fn)(void *, size_t, size_t); void *ctx; };
static void user_rows(const void *p, size_t row0, size_t row1) {
    const struct user_args *a = p;
    a->fn(a->ctx, row0, row1);
}
void ck_parallel_rows(ck_pool *pool, size_t rows, void (*fn)(void *ctx, size_t row0, size_t row1), void *ctx) {
    struct user_args a = {fn, ctx};
    par_rows(pool, rows, user_rows, &a);
}

#define PAR(NAME, DECL, CALL)                                                            \
    struct NAME##_args DECL;                                                             \
    static void NAME##_rows(const void *p, size_t row0, size_t row1) {                  \
        const struct NAME##_args *a = p;                                                 \
        CALL;                                                                            \
    }

PAR(i2s_gemv, { const uint8_t *w; size_t n; const int8_t *q; int32_t *out; },
    ck_i2s_gemv(a->w, a->n, row0, row1, a->q, a->out))
void ck_par_i2s_gemv(ck_pool *pool, const uint8_t *w, size_t n, size_t rows, const int8_t *q, int32_t *out_sums) {
    struct i2s_gemv_args a = {w, n, q, out_sums};
    par_rows(pool, rows, i2s_gemv_rows, &a);
}

PAR(i2s_gemm, { const uint8_t *w; size_t n; const int8_t *q; size_t ldq; size_t ntok; int32_t *out; size_t ldo; },
    ck_i2s_gemm(a->w, a->n, row0, row1, a->q, a->ldq, a->ntok, a->out, a->ldo))
void ck_par_i2s_gemm(ck_pool *pool, const uint8_t *w, size_t n, size_t rows, const int8_t *q, size_t ldq,
                     size_t ntok, int32_t *out_sums, size_t ldo) {
    struct i2s_gemm_args a = {w, n, q, ldq, ntok, out_sums, ldo};
    par_rows(pool, rows, i2s_gemm_rows, &a);
}

PAR(tq2_i8, { const ck_block_tq2_0 *w; size_t n; const int8_t *q; int32_t *out; },
    ck_tq2_0_i8_gemv(a->w, a->n, row0, row1, a->q, a->out))
void ck_par_tq2_0_i8_gemv(ck_pool *pool, const ck_block_tq2_0 *w, size_t n, size_t rows, const int8_t *q,
                          int32_t *out_sums) {
    struct tq2_i8_args a = {w, n, q, out_sums};
    par_rows(pool, rows, tq2_i8_rows, &a);
}

PAR(tq1_i8, { const ck_block_tq1_0 *w; size_t n; const int8_t *q; int32_t *out; },
    ck_tq1_0_i8_gemv(a->w, a->n, row0, row1, a->q, a->out))
void ck_par_tq1_0_i8_gemv(ck_pool *pool, const ck_block_tq1_0 *w, size_t n, size_t rows, const int8_t *q,
                          int32_t *out_sums) {
    struct tq1_i8_args a = {w, n, q, out_sums};
    par_rows(pool, rows, tq1_i8_rows, &a);
}

PAR(f16_gemv, { const uint16_t *w; size_t n; const float *x; float *out; },
    ck_f16_gemv(a->w, a->n, row0, row1, a->x, a->out))
void ck_par_f16_gemv(ck_pool *pool, const uint16_t *w, size_t n, size_t rows, const float *x, float *out) {
    struct f16_gemv_args a = {w, n, x, out};
    par_rows(pool, rows, f16_gemv_rows, &a);
}

PAR(f16_gemm, { const uint16_t *w; size_t n; const float *x; size_t ldx; size_t ntok; float *out; size_t ldo; },
    ck_f16_gemm(a->w, a->n, row0, row1, a->x, a->ldx, a->ntok, a->out, a->ldo))
void ck_par_f16_gemm(ck_pool *pool, const uint16_t *w, size_t n, size_t rows, const float *x, size_t ldx,
                     size_t ntok, float *out, size_t ldo) {
    struct f16_gemm_args a = {w, n, x, ldx, ntok, out, ldo};
    par_rows(pool, rows, f16_gemm_rows, &a);
}

PAR(q8_0_gemv, { const ck_block_q8_0 *w; size_t n; const ck_block_q8_0 *y; float *out; },
    ck_q8_0_q8_0_gemv(a->w, a->n, row0, row1, a->y, a->out))
void ck_par_q8_0_q8_0_gemv(ck_pool *pool, const ck_block_q8_0 *w, size_t n, size_t rows, const ck_block_q8_0 *y,
                           float *out) {
    struct q8_0_gemv_args a = {w, n, y, out};
    par_rows(pool, rows, q8_0_gemv_rows, &a);
}
