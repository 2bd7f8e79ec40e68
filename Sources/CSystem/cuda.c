#include "csystem.h"
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

// CUDA driver API entry points, resolved with dlopen so nothing links against CUDA.
typedef int (*cuInit_t)(unsigned);
typedef int (*cuDriverGetVersion_t)(int *);
typedef int (*cuDeviceGetCount_t)(int *);
typedef int (*cuDeviceGet_t)(int *, int);
typedef int (*cuDeviceGetName_t)(char *, int, int);
typedef int (*cuDeviceTotalMem_t)(size_t *, int);
typedef int (*cuDeviceGetAttribute_t)(int *, int, int);
enum { CC_MAJOR = 75, CC_MINOR = 76 };

int csys_cuda_probe(const char *libname, csys_cuda_info *info, csys_cuda_device *devs, int cap) {
    memset(info, 0, sizeof *info);
    void *h = dlopen(libname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        info->step = 1;
        snprintf(info->detail, sizeof info->detail, "%s", e ? e : "dlopen failed");
        return 0;
    }
    cuInit_t init = (cuInit_t)dlsym(h, "cuInit");
    cuDriverGetVersion_t ver = (cuDriverGetVersion_t)dlsym(h, "cuDriverGetVersion");
    cuDeviceGetCount_t count = (cuDeviceGetCount_t)dlsym(h, "cuDeviceGetCount");
    cuDeviceGet_t get = (cuDeviceGet_t)dlsym(h, "cuDeviceGet");
    cuDeviceGetName_t name = (cuDeviceGetName_t)dlsym(h, "cuDeviceGetName");
    cuDeviceTotalMem_t mem = (cuDeviceTotalMem_t)dlsym(h, "cuDeviceTotalMem_v2");
    cuDeviceGetAttribute_t attr = (cuDeviceGetAttribute_t)dlsym(h, "cuDeviceGetAttribute");
    if (!init || !ver || !count || !get || !name || !mem || !attr) {
        info->step = 2;
        snprintf(info->detail, sizeof info->detail, "missing driver API symbol in %s", libname);
        return 0; // the handle stays open: unloading libcuda is not safe
    }
    int r = ver(&info->driver_version);
    if (r != 0) { info->step = 4; info->result = r; snprintf(info->detail, sizeof info->detail, "cuDriverGetVersion returned %d", r); return 0; }
    r = init(0);
    if (r != 0) { info->step = 3; info->result = r; snprintf(info->detail, sizeof info->detail, "cuInit returned %d", r); return 0; }
    r = count(&info->device_count);
    if (r != 0) { info->step = 5; info->result = r; snprintf(info->detail, sizeof info->detail, "cuDeviceGetCount returned %d", r); return 0; }
    int n = 0;
    for (int i = 0; i < info->device_count && n < cap; i++) {
        int dev;
        if (get(&dev, i) != 0) continue;
        csys_cuda_device *o = &devs[n];
        memset(o, 0, sizeof *o);
        if (name(o->name, (int)sizeof o->name, dev) != 0) snprintf(o->name, sizeof o->name, "device %d", i);
        size_t bytes = 0;
        if (mem(&bytes, dev) == 0) o->memory_bytes = bytes;
        attr(&o->cc_major, CC_MAJOR, dev);
        attr(&o->cc_minor, CC_MINOR, dev);
        n++;
    }
    return n;
}
