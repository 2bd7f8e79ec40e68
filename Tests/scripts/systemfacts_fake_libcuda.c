/* A stand-in for the CUDA driver library, used by SystemFactsTests to exercise the dlopen(libcuda) probe on
 * machines without a GPU. Behaviour is chosen by FAKE_CUDA_INIT_RESULT (the value cuInit returns). */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
int cuInit(unsigned flags) { (void)flags; const char *r = getenv("FAKE_CUDA_INIT_RESULT"); return r ? atoi(r) : 0; }
int cuDriverGetVersion(int *v) { *v = 12040; return 0; }
int cuDeviceGetCount(int *n) { *n = 2; return 0; }
int cuDeviceGet(int *dev, int ordinal) { *dev = ordinal; return 0; }
int cuDeviceGetName(char *name, int len, int dev) { snprintf(name, (size_t)len, dev ? "Fake L4" : "Fake H100 80GB HBM3"); return 0; }
int cuDeviceTotalMem_v2(size_t *bytes, int dev) { *bytes = dev ? (size_t)23034 << 20 : (size_t)81559 << 20; return 0; }
int cuDeviceGetAttribute(int *v, int attr, int dev) {
    if (attr == 75) { *v = dev ? 8 : 9; return 0; }
    if (attr == 76) { *v = dev ? 9 : 0; return 0; }
    return 1;
}
