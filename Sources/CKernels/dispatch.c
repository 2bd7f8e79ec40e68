/* CPU feature detection, the dispatch mask, kernel ids and call counters. */
#include "ck_internal.h"
#include <pthread.h>
#if CK_X86
#include <cpuid.h>
#endif
#if defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif
#endif

_Atomic uint64_t ck_counters[K_COUNT];
_Atomic unsigned ck_active_paths = CK_PATH_SCALAR;

static const char *const ck_names[K_COUNT] = {
#define CK_NAME(e, s) s,
    CK_KERNELS(CK_NAME)
#undef CK_NAME
};

static unsigned detected = CK_PATH_SCALAR;
static pthread_once_t once = PTHREAD_ONCE_INIT;

#if CK_X86
static uint64_t xgetbv0(void) {
    uint32_t a, d;
    __asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
    return ((uint64_t)d << 32) | a;
}
#endif

static void detect(void) {
    unsigned m = CK_PATH_SCALAR;
#if CK_X86
    unsigned a, b, c, d;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, f16c = (c >> 29) & 1;
        uint64_t xcr0 = osxsave ? xgetbv0() : 0;
        int ymm_ok = (xcr0 & 6) == 6, zmm_ok = (xcr0 & 0xe6) == 0xe6;
        if (avx && ymm_ok && __get_cpuid_count(7, 0, &a, &b, &c, &d)) {
            int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1, avx512vnni = (c >> 11) & 1;
            int avx512bw = (b >> 30) & 1, avx512vl = (b >> 31) & 1;
            if (avx2 && fma && f16c) m |= CK_PATH_AVX2;
            if ((m & CK_PATH_AVX2) && avx512f && avx512bw && avx512vl && avx512vnni && zmm_ok) m |= CK_PATH_AVX512VNNI;
            if ((m & CK_PATH_AVX2) && __get_cpuid_count(7, 1, &a, &b, &c, &d) && ((a >> 4) & 1))
                m |= CK_PATH_AVXVNNI;
        }
    }
#elif defined(__aarch64__)
    m |= CK_PATH_NEON;
#if defined(__linux__)
    if (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) m |= CK_PATH_DOTPROD;
#endif
#endif
    detected = m;
    atomic_store(&ck_active_paths, m);
}

unsigned ck_cpu_paths(void) { pthread_once(&once, detect); return detected; }
_Thread_local unsigned ck_thread_paths;

unsigned ck_path(void) { ck_cpu_paths(); return ck_thread_paths ? ck_thread_paths : atomic_load(&ck_active_paths); }

/* What the CPU can run of `mask`, scalar always, and no VNNI level without AVX2. */
static unsigned usable(unsigned mask) {
    unsigned m = (mask & ck_cpu_paths()) | CK_PATH_SCALAR;
    if (!(m & CK_PATH_AVX2)) m &= ~(unsigned)(CK_PATH_AVXVNNI | CK_PATH_AVX512VNNI);
    return m;
}

unsigned ck_set_path(unsigned mask) {
    const unsigned m = usable(mask);
    atomic_store(&ck_active_paths, m);
    return m;
}

unsigned ck_set_thread_path(unsigned mask) {
    ck_thread_paths = mask ? usable(mask) : 0;
    return ck_path();
}

const char *ck_path_name(void) {
    unsigned m = ck_path();
    if (m & CK_PATH_AVX512VNNI) return "avx512vnni";
    if (m & CK_PATH_AVXVNNI) return "avxvnni";
    if (m & CK_PATH_AVX2) return "avx2";
    if (m & CK_PATH_DOTPROD) return "neon-dotprod";
    if (m & CK_PATH_NEON) return "neon";
    return "scalar";
}

/* Run detection before main so the hot path never pays for pthread_once. */
__attribute__((constructor)) static void ck_init(void) { ck_cpu_paths(); }

int ck_kernel_count(void) { return K_COUNT; }
const char *ck_kernel_name(int i) { return (i >= 0 && i < K_COUNT) ? ck_names[i] : NULL; }
uint64_t ck_kernel_calls(int i) { return (i >= 0 && i < K_COUNT) ? atomic_load(&ck_counters[i]) : 0; }
_Thread_local uint64_t ck_thread_counters[K_COUNT];
uint64_t ck_kernel_calls_this_thread(int i) { return (i >= 0 && i < K_COUNT) ? ck_thread_counters[i] : 0; }
int ck_kernel_index(const char *name) {
    if (!name) return -1;
    for (int i = 0; i < K_COUNT; i++) if (strcmp(ck_names[i], name) == 0) return i;
    return -1;
}
void ck_kernel_reset_counts(void) { for (int i = 0; i < K_COUNT; i++) atomic_store(&ck_counters[i], 0); }
