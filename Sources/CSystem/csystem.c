#define _GNU_SOURCE
#include "csystem.h"
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <errno.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <gnu/libc-version.h>
#endif

int csys_online_cpus(void) { return (int)sysconf(_SC_NPROCESSORS_ONLN); }

int csys_affinity_count(void) {
    for (int n = 1024; n <= 65536; n *= 2) {
        cpu_set_t *set = CPU_ALLOC(n);
        if (!set) return -ENOMEM;
        size_t size = CPU_ALLOC_SIZE(n);
        CPU_ZERO_S(size, set);
        if (sched_getaffinity(0, size, set) == 0) {
            int c = CPU_COUNT_S(size, set);
            CPU_FREE(set);
            return c;
        }
        int e = errno;
        CPU_FREE(set);
        if (e != EINVAL) return -e;
    }
    return -EINVAL;
}

const char *csys_libc_version(void) {
#if defined(__GLIBC__)
    return gnu_get_libc_version();
#else
    return "";
#endif
}

void csys_build_simd(char *buf, size_t cap) {
    buf[0] = 0;
    const char *m[] = {
#ifdef __SSE2__
        "sse2",
#endif
#ifdef __AVX__
        "avx",
#endif
#ifdef __AVX2__
        "avx2",
#endif
#ifdef __FMA__
        "fma",
#endif
#ifdef __AVX512F__
        "avx512f",
#endif
#ifdef __ARM_NEON
        "neon",
#endif
#ifdef __ARM_FEATURE_DOTPROD
        "dotprod",
#endif
#ifdef __ARM_FEATURE_SVE
        "sve",
#endif
        NULL };
    for (int i = 0; m[i]; i++) {
        if (buf[0]) strncat(buf, " ", cap - strlen(buf) - 1);
        strncat(buf, m[i], cap - strlen(buf) - 1);
    }
}
