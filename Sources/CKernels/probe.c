/* Memory read bandwidth probe and an I2_S gemv micro benchmark. */
#define _GNU_SOURCE
#include "ck_internal.h"
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <sched.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

#if CK_X86
CK_AVX2 static uint64_t read_avx2(const uint8_t *p, size_t n) {
    __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (size_t i = 0; i + 256 <= n; i += 256) {
        a0 = _mm256_add_epi64(a0, _mm256_load_si256((const __m256i *)(p + i)));
        a1 = _mm256_add_epi64(a1, _mm256_load_si256((const __m256i *)(p + i + 32)));
        a2 = _mm256_add_epi64(a2, _mm256_load_si256((const __m256i *)(p + i + 64)));
        a3 = _mm256_add_epi64(a3, _mm256_load_si256((const __m256i *)(p + i + 96)));
        a4 = _mm256_add_epi64(a4, _mm256_load_si256((const __m256i *)(p + i + 128)));
        a5 = _mm256_add_epi64(a5, _mm256_load_si256((const __m256i *)(p + i + 160)));
        a6 = _mm256_add_epi64(a6, _mm256_load_si256((const __m256i *)(p + i + 192)));
        a7 = _mm256_add_epi64(a7, _mm256_load_si256((const __m256i *)(p + i + 224)));
    }
    __m256i s = _mm256_add_epi64(_mm256_add_epi64(_mm256_add_epi64(a0, a1), _mm256_add_epi64(a2, a3)),
                                 _mm256_add_epi64(_mm256_add_epi64(a4, a5), _mm256_add_epi64(a6, a7)));
    return (uint64_t)_mm256_extract_epi64(s, 0) ^ (uint64_t)_mm256_extract_epi64(s, 1) ^
           (uint64_t)_mm256_extract_epi64(s, 2) ^ (uint64_t)_mm256_extract_epi64(s, 3);
}
#endif

static uint64_t read_scalar(const uint8_t *p, size_t n) {
    const uint64_t *q = (const uint64_t *)p;
    uint64_t a[8] = {0};
    for (size_t i = 0; i + 8 <= n / 8; i += 8)
        for (int k = 0; k < 8; k++) a[k] += q[i + k];
    return a[0] ^ a[1] ^ a[2] ^ a[3] ^ a[4] ^ a[5] ^ a[6] ^ a[7];
}

struct bw_ctx {
    const uint8_t *buf;
    size_t slice;
    int threads, passes;
    pthread_barrier_t start, end;
    _Atomic int go; /* 0 wait, 1 run, -1 abort */
    double t_start[256], t_end[256]; /* per worker, this pass: the span is max(end) − min(start) */
    _Atomic uint64_t sink;
};
struct bw_arg { struct bw_ctx *c; int index; };

static void *bw_worker(void *arg) {
    struct bw_arg *a = arg;
    struct bw_ctx *c = a->c;
    const uint8_t *p = c->buf + (size_t)a->index * c->slice;
    uint64_t s = 0;
    int g;
    while ((g = atomic_load(&c->go)) == 0) sched_yield();
    if (g < 0) return NULL;
    for (int pass = 0; pass < c->passes; pass++) {
        pthread_barrier_wait(&c->start);
        c->t_start[a->index] = now_s();
#if CK_X86
        s += ck_avx2() ? read_avx2(p, c->slice) : read_scalar(p, c->slice);
#else
        s += read_scalar(p, c->slice);
#endif
        c->t_end[a->index] = now_s();
        pthread_barrier_wait(&c->end);
    }
    atomic_fetch_add(&c->sink, s);
    return NULL;
}

double ck_measure_read_bandwidth(size_t bytes, int threads) {
    if (threads < 1 || threads > 256 || bytes < (size_t)threads * 4096 || bytes > ((size_t)1 << 40)) return -1;
    struct bw_ctx c = {0};
    c.threads = threads;
    c.passes = 5;
    c.slice = (bytes / (size_t)threads) & ~(size_t)255;
    uint8_t *buf = NULL;
    if (posix_memalign((void **)&buf, 4096, c.slice * (size_t)threads) != 0) return -1;
    /* distinct pseudo-random content: identical pages could be merged by the host (KSM) and read from cache */
    uint64_t st = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i + 8 <= c.slice * (size_t)threads; i += 8) {
        st ^= st << 13; st ^= st >> 7; st ^= st << 17;
        memcpy(buf + i, &st, 8);
    }
    c.buf = buf;
    pthread_barrier_init(&c.start, NULL, (unsigned)threads + 1);
    pthread_barrier_init(&c.end, NULL, (unsigned)threads + 1);
    pthread_t tid[256];
    struct bw_arg args[256];
    int started = 0;
    for (int i = 0; i < threads; i++) {
        args[i].c = &c;
        args[i].index = i;
        if (pthread_create(&tid[i], NULL, bw_worker, &args[i]) != 0) break;
        started++;
    }
    double best = -1;
    if (started < threads) {
        atomic_store(&c.go, -1); /* could not start every thread: let the started ones leave, report failure */
        for (int i = 0; i < started; i++) pthread_join(tid[i], NULL);
    } else {
        atomic_store(&c.go, 1);
        for (int pass = 0; pass < c.passes; pass++) {
            pthread_barrier_wait(&c.start);
            pthread_barrier_wait(&c.end);
            double t0 = c.t_start[0], t1 = c.t_end[0];
            for (int i = 1; i < threads; i++) {
                if (c.t_start[i] < t0) t0 = c.t_start[i];
                if (c.t_end[i] > t1) t1 = c.t_end[i];
            }
            double gbs = (double)(c.slice * (size_t)threads) / (t1 - t0) / 1e9;
            if (gbs > best) best = gbs;
        }
        for (int i = 0; i < threads; i++) pthread_join(tid[i], NULL);
    }
    pthread_barrier_destroy(&c.start);
    pthread_barrier_destroy(&c.end);
    free(buf);
    return best;
}

double ck_bench_i2s_gemv(size_t rows, size_t n, int copies, int reps) {
    if (rows == 0 || n == 0 || n % CK_QK_I2S || reps < 1 || copies < 1 || copies > 4096) return -1;
    const size_t wbytes = rows * n / 4;
    if (wbytes > ((size_t)1 << 34) / (size_t)copies) return -1;
    uint8_t *w = malloc(wbytes * (size_t)copies);
    int8_t *q = malloc(n);
    int32_t *out = malloc(rows * sizeof(int32_t));
    if (!w || !q || !out) { free(w); free(q); free(out); return -1; }
    uint32_t st = 12345;
    for (size_t i = 0; i < wbytes * (size_t)copies; i++) { st = st * 1664525u + 1013904223u; w[i] = (uint8_t)(st >> 24); }
    for (size_t i = 0; i < n; i++) { st = st * 1664525u + 1013904223u; q[i] = (int8_t)(st >> 24); }
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t0 = now_s();
        for (int c = 0; c < copies; c++) ck_i2s_gemv(w + (size_t)c * wbytes, n, 0, rows, q, out);
        double dt = (now_s() - t0) / copies;
        if (dt < best) best = dt;
    }
    free(w); free(q); free(out);
    return (double)wbytes / best / 1e9;
}
