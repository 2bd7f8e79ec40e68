#include "csystem.h"
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

typedef struct { unsigned leaf, sub; int reg; int bit; const char *name; } flag_t; // reg: 0 eax 1 ebx 2 ecx 3 edx
static const flag_t FLAGS[] = {
    {1, 0, 3, 25, "sse"}, {1, 0, 3, 26, "sse2"}, {1, 0, 2, 0, "pni"}, {1, 0, 2, 9, "ssse3"},
    {1, 0, 2, 12, "fma"}, {1, 0, 2, 19, "sse4_1"}, {1, 0, 2, 20, "sse4_2"}, {1, 0, 2, 23, "popcnt"},
    {1, 0, 2, 25, "aes"}, {1, 0, 2, 28, "avx"}, {1, 0, 2, 29, "f16c"}, {1, 0, 2, 31, "hypervisor"},
    {7, 0, 1, 3, "bmi1"}, {7, 0, 1, 5, "avx2"}, {7, 0, 1, 8, "bmi2"}, {7, 0, 1, 16, "avx512f"},
    {7, 0, 1, 17, "avx512dq"}, {7, 0, 1, 21, "avx512ifma"}, {7, 0, 1, 28, "avx512cd"}, {7, 0, 1, 29, "sha_ni"},
    {7, 0, 1, 30, "avx512bw"}, {7, 0, 1, 31, "avx512vl"},
    {7, 0, 2, 1, "avx512vbmi"}, {7, 0, 2, 6, "avx512_vbmi2"}, {7, 0, 2, 8, "gfni"}, {7, 0, 2, 9, "vaes"},
    {7, 0, 2, 10, "vpclmulqdq"}, {7, 0, 2, 11, "avx512_vnni"}, {7, 0, 2, 12, "avx512_bitalg"},
    {7, 0, 2, 14, "avx512_vpopcntdq"},
    {7, 0, 3, 8, "avx512_vp2intersect"}, {7, 0, 3, 22, "amx_bf16"}, {7, 0, 3, 23, "avx512_fp16"},
    {7, 0, 3, 24, "amx_tile"}, {7, 0, 3, 25, "amx_int8"},
    {7, 1, 0, 4, "avx_vnni"}, {7, 1, 0, 5, "avx512_bf16"},
    {0x80000001, 0, 2, 0, "lahf_lm"}, {0x80000001, 0, 2, 5, "abm"}, {0x80000001, 0, 2, 6, "sse4a"},
    {0x80000001, 0, 2, 16, "fma4"},
};

int csys_cpu_flags(char *buf, size_t cap) {
    buf[0] = 0;
    unsigned max = __get_cpuid_max(0, 0), maxext = __get_cpuid_max(0x80000000, 0);
    for (size_t i = 0; i < sizeof FLAGS / sizeof FLAGS[0]; i++) {
        const flag_t *f = &FLAGS[i];
        if (f->leaf >= 0x80000000 ? f->leaf > maxext : f->leaf > max) continue;
        unsigned r[4] = {0, 0, 0, 0};
        __cpuid_count(f->leaf, f->sub, r[0], r[1], r[2], r[3]);
        if (!((r[f->reg] >> f->bit) & 1)) continue;
        if (buf[0]) strncat(buf, " ", cap - strlen(buf) - 1);
        strncat(buf, f->name, cap - strlen(buf) - 1);
    }
    return 1;
}

int csys_hypervisor_vendor(char *buf, size_t cap) {
    unsigned a, b, c, d;
    buf[0] = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !((c >> 31) & 1)) return 0;
    __cpuid(0x40000000, a, b, c, d);
    char sig[13];
    memcpy(sig, &b, 4); memcpy(sig + 4, &c, 4); memcpy(sig + 8, &d, 4); sig[12] = 0;
    for (int i = 0; i < 12; i++) if (sig[i] && (sig[i] < 32 || sig[i] > 126)) sig[i] = '?';
    strncpy(buf, sig, cap - 1); buf[cap - 1] = 0;
    return 1;
}
#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>
typedef struct { int hw2; unsigned long bit; const char *name; } cap_t;
static const cap_t CAPS[] = {
    {0, 1UL << 0, "fp"}, {0, 1UL << 1, "asimd"}, {0, 1UL << 9, "fphp"}, {0, 1UL << 10, "asimdhp"},
    {0, 1UL << 20, "asimddp"}, {0, 1UL << 22, "sve"}, {0, 1UL << 23, "asimdfhm"},
    {1, 1UL << 1, "sve2"}, {1, 1UL << 13, "i8mm"}, {1, 1UL << 14, "bf16"},
};
int csys_cpu_flags(char *buf, size_t cap) {
    buf[0] = 0;
    unsigned long h1 = getauxval(AT_HWCAP), h2 = getauxval(AT_HWCAP2);
    for (size_t i = 0; i < sizeof CAPS / sizeof CAPS[0]; i++) {
        if (!((CAPS[i].hw2 ? h2 : h1) & CAPS[i].bit)) continue;
        if (buf[0]) strncat(buf, " ", cap - strlen(buf) - 1);
        strncat(buf, CAPS[i].name, cap - strlen(buf) - 1);
    }
    return 2;
}
int csys_hypervisor_vendor(char *buf, size_t cap) { (void)cap; buf[0] = 0; return -1; }
#else
int csys_cpu_flags(char *buf, size_t cap) { (void)cap; buf[0] = 0; return 0; }
int csys_hypervisor_vendor(char *buf, size_t cap) { (void)cap; buf[0] = 0; return -1; }
#endif
