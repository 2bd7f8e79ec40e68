/* Persistent worker pool: spin-then-sleep workers, tasks claimed from an atomic counter, no allocation per call. */
#define _GNU_SOURCE
#include "ck_internal.h"
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

struct ck_pool {
    int n_threads;
    unsigned spin;
    pthread_t *workers;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    _Alignas(64) _Atomic unsigned generation;   /* bumped once per parallel_for */
    _Atomic int sleepers;
    _Atomic int stop;
    _Alignas(64) _Atomic size_t next_task;      /* claimed by every thread: its own cache line */
    _Alignas(64) _Atomic int pending;           /* workers still busy with the current generation */
    size_t n_tasks;
    ck_task_fn fn;
    void *ctx;
};

struct worker_arg { ck_pool *pool; int index; };

static inline void cpu_relax(void) {
#if CK_X86
    _mm_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

static void run_tasks(ck_pool *p, int thread) {
    for (;;) {
        size_t t = atomic_fetch_add_explicit(&p->next_task, 1, memory_order_relaxed);
        if (t >= p->n_tasks) break;
        p->fn(p->ctx, t, thread);
    }
}

static void *worker_main(void *arg) {
    struct worker_arg wa = *(struct worker_arg *)arg;
    free(arg);
    ck_pool *p = wa.pool;
    unsigned seen = 0; /* the generation at creation: a job published before this thread ran is not missed */
    for (;;) {
        unsigned g;
        unsigned spins = 0;
        while ((g = atomic_load_explicit(&p->generation, memory_order_acquire)) == seen) {
            if (atomic_load_explicit(&p->stop, memory_order_relaxed)) return NULL;
            if (++spins < p->spin) {
                /* yield now and then: on a machine with more runnable threads than cores, a pure spin keeps the
                 * thread that still has work (or the caller) off the CPU */
                if (spins % 64 == 0) sched_yield(); else cpu_relax();
                continue;
            }
            pthread_mutex_lock(&p->mu);
            atomic_fetch_add(&p->sleepers, 1);
            while (atomic_load(&p->generation) == seen && !atomic_load(&p->stop)) pthread_cond_wait(&p->cv, &p->mu);
            atomic_fetch_sub(&p->sleepers, 1);
            pthread_mutex_unlock(&p->mu);
            spins = 0;
        }
        if (atomic_load(&p->stop)) return NULL;
        seen = g;
        run_tasks(p, wa.index);
        atomic_fetch_sub_explicit(&p->pending, 1, memory_order_release);
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
    free(p->workers);
    free(p);
}

int ck_pool_threads(const ck_pool *p) { return p ? p->n_threads : 0; }
void ck_pool_set_spin(ck_pool *p, unsigned spin) { if (p) p->spin = spin; }

void ck_pool_parallel_for(ck_pool *p, size_t n_tasks, ck_task_fn fn, void *ctx) {
    if (n_tasks == 0) return;
    if (!p || p->n_threads == 1 || n_tasks == 1) {
        for (size_t t = 0; t < n_tasks; t++) fn(ctx, t, 0);
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->n_tasks = n_tasks;
    atomic_store_explicit(&p->next_task, 0, memory_order_relaxed);
    atomic_store_explicit(&p->pending, p->n_threads - 1, memory_order_relaxed);
    atomic_fetch_add(&p->generation, 1);   /* seq_cst: publishes the job, pairs with the sleepers check */
    wake_all(p);
    run_tasks(p, 0);
    unsigned spins = 0;
    while (atomic_load_explicit(&p->pending, memory_order_acquire) > 0) {
        if (++spins < 256) cpu_relax(); else sched_yield();
    }
}
