/* Persistent worker pool: spin-then-sleep workers, tasks claimed from one atomic word, no allocation per call.
 *
 * The job state is one 64-bit word: generation (24 bits) | number of tasks (20 bits) | next task (20 bits).
 * A thread claims a task with a compare-and-swap on that word, so a worker that wakes late (descheduled on a
 * loaded machine) can never claim a task of a later job with the parameters of an earlier one, and the caller
 * never waits for a worker that has no task: it claims tasks itself and only waits for tasks other threads have
 * actually started. (The first version waited for every worker to check in after every job, with sched_yield
 * in the waits; on a busy 2-core machine each hand-off then cost whole scheduler time slices, so a model with
 * hundreds of matrices per token looked hung.) */
#define _GNU_SOURCE
#include "ck_internal.h"
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <time.h>

#define GEN_SHIFT 40
#define N_SHIFT 20
#define FIELD_MASK ((1ull << 20) - 1)
#define GEN_MASK ((1ull << 24) - 1)
#define MAX_TASKS FIELD_MASK

struct ck_pool {
    int n_threads;
    unsigned spin;
    _Atomic unsigned spin_us;                   /* wall-clock spin budget; 0: use `spin` iterations */
    pthread_t *workers;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_mutex_t call_mu;                    /* one parallel_for at a time: concurrent callers queue here */
    ck_task_fn fn;
    void *ctx;
    unsigned gen;                               /* the caller's last generation (under call_mu) */
    _Atomic int sleepers;
    _Atomic int stop;
    _Alignas(64) _Atomic uint64_t state;        /* gen | n_tasks | next: its own cache line */
    _Alignas(64) _Atomic size_t done;           /* tasks finished in the current generation */
};

struct worker_arg { ck_pool *pool; int index; };

static inline void cpu_relax(void) {
#if CK_X86
    _mm_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

static inline unsigned gen_of(uint64_t s) { return (unsigned)(s >> GEN_SHIFT); }

static inline uint64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Whether an idle worker should keep spinning: within the wall-clock budget when one is set (checked every 64
 * spins, yielding the CPU there so other runnable threads are not starved), else for `spin` iterations. */
static inline int keep_spinning(ck_pool *p, unsigned spins, uint64_t *since) {
    const unsigned budget = atomic_load_explicit(&p->spin_us, memory_order_relaxed);
    if (budget == 0) return spins < p->spin;
    if (spins & 63) return 1;
    const uint64_t t = now_us();
    if (*since == 0) *since = t;
    if (t - *since >= budget) return 0;
    sched_yield();
    return 1;
}

/* Claims and runs tasks of generation g until none is left (or a newer job replaced it). */
static void run_tasks(ck_pool *p, unsigned g, int thread) {
    uint64_t s = atomic_load_explicit(&p->state, memory_order_acquire);
    for (;;) {
        if (gen_of(s) != g) return;
        const uint64_t next = s & FIELD_MASK, n = (s >> N_SHIFT) & FIELD_MASK;
        if (next >= n) return;
        if (!atomic_compare_exchange_weak_explicit(&p->state, &s, s + 1, memory_order_acq_rel,
                                                   memory_order_acquire))
            continue;
        /* the claimed task keeps the job (fn, ctx) alive: the caller waits for it */
        p->fn(p->ctx, (size_t)next, thread);
        atomic_fetch_add_explicit(&p->done, 1, memory_order_release);
        s = atomic_load_explicit(&p->state, memory_order_acquire);
    }
}

static void *worker_main(void *arg) {
    struct worker_arg wa = *(struct worker_arg *)arg;
    free(arg);
    ck_pool *p = wa.pool;
    unsigned seen = 0; /* generation 0 is the initial state; the first job is generation 1 */
    for (;;) {
        unsigned g, spins = 0;
        uint64_t since = 0;
        while ((g = gen_of(atomic_load_explicit(&p->state, memory_order_acquire))) == seen) {
            if (atomic_load_explicit(&p->stop, memory_order_relaxed)) return NULL;
            if (keep_spinning(p, ++spins, &since)) { cpu_relax(); continue; }
            pthread_mutex_lock(&p->mu);
            atomic_fetch_add(&p->sleepers, 1);
            while (gen_of(atomic_load(&p->state)) == seen && !atomic_load(&p->stop)) pthread_cond_wait(&p->cv, &p->mu);
            atomic_fetch_sub(&p->sleepers, 1);
            pthread_mutex_unlock(&p->mu);
            spins = 0;
            since = 0;
        }
        if (atomic_load(&p->stop)) return NULL;
        seen = g;
        run_tasks(p, g, wa.index);
    }
}

static void wake_all(ck_pool *p) {
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

ck_pool *ck_pool_create(int n_threads) {
    if (n_threads < 1 || n_threads > 1024) return NULL;
    ck_pool *p = NULL;
    if (posix_memalign((void **)&p, 64, sizeof *p) != 0) return NULL;
    memset(p, 0, sizeof *p);
    p->n_threads = n_threads;
    p->spin = 4096;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    pthread_mutex_init(&p->call_mu, NULL);
    p->workers = calloc((size_t)n_threads, sizeof(pthread_t));
    if (!p->workers) { free(p); return NULL; }
    for (int i = 1; i < n_threads; i++) {
        struct worker_arg *a = malloc(sizeof *a);
        if (!a || pthread_create(&p->workers[i], NULL, worker_main, (a->pool = p, a->index = i, a)) != 0) {
            free(a);
            p->n_threads = i; /* destroy joins the ones that started */
            ck_pool_destroy(p);
            return NULL;
        }
    }
    return p;
}

void ck_pool_destroy(ck_pool *p) {
    if (!p) return;
    atomic_store(&p->stop, 1);
    pthread_mutex_lock(&p->mu);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 1; i < p->n_threads; i++) pthread_join(p->workers[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->call_mu);
    free(p->workers);
    free(p);
}

int ck_pool_threads(const ck_pool *p) { return p ? p->n_threads : 0; }
void ck_pool_set_spin(ck_pool *p, unsigned spin) { if (p) p->spin = spin; }
void ck_pool_set_spin_us(ck_pool *p, unsigned us) { if (p) atomic_store(&p->spin_us, us); }

struct offset_job { ck_task_fn fn; void *ctx; size_t base; };
static void offset_task(void *ctx, size_t task, int thread) {
    const struct offset_job *j = ctx;
    j->fn(j->ctx, j->base + task, thread);
}

static void run_job(ck_pool *p, size_t n_tasks, ck_task_fn fn, void *ctx) {
    p->fn = fn;
    p->ctx = ctx;
    p->gen = (p->gen + 1) & GEN_MASK;
    if (p->gen == 0) p->gen = 1;            /* 0 is the workers' initial "seen" */
    atomic_store_explicit(&p->done, 0, memory_order_relaxed);
    atomic_store(&p->state, ((uint64_t)p->gen << GEN_SHIFT) | ((uint64_t)n_tasks << N_SHIFT)); /* seq_cst */
    wake_all(p);
    run_tasks(p, p->gen, 0);
    /* only tasks that another thread has claimed are still running: wait for them */
    unsigned spins = 0;
    while (atomic_load_explicit(&p->done, memory_order_acquire) < n_tasks) {
        if (++spins < 1024) cpu_relax(); else sched_yield();
    }
}

void ck_pool_parallel_for(ck_pool *p, size_t n_tasks, ck_task_fn fn, void *ctx) {
    if (n_tasks == 0) return;
    if (!p || p->n_threads == 1 || n_tasks == 1) {
        for (size_t t = 0; t < n_tasks; t++) fn(ctx, t, 0);
        return;
    }
    /* Two callers sharing a pool would overwrite each other's job: serialize them. */
    pthread_mutex_lock(&p->call_mu);
    if (n_tasks <= MAX_TASKS) {
        run_job(p, n_tasks, fn, ctx);
    } else {
        struct offset_job j = {fn, ctx, 0};
        for (; j.base < n_tasks; j.base += MAX_TASKS) {
            const size_t m = n_tasks - j.base < MAX_TASKS ? n_tasks - j.base : MAX_TASKS;
            run_job(p, m, offset_task, &j);
        }
    }
    pthread_mutex_unlock(&p->call_mu);
}
