#ifndef CSYSTEM_H
#define CSYSTEM_H
// Small C shims for system facts: libpci, libsensors, cpuid/hwcaps, sched_getaffinity, dlopen(libcuda),
// and spawning a command with a hard deadline. Swift APIs live in the SystemFacts module.
#include <stddef.h>
#include <stdint.h>

int csys_online_cpus(void);

// ---- sched_getaffinity: number of CPUs this process may run on, or -errno.
int csys_affinity_count(void);

// ---- cpuid (x86) / hwcaps (aarch64). Writes space-separated /proc/cpuinfo-style flag names into buf.
// Returns 1 on x86, 2 on aarch64 (hwcaps), 0 when no direct probe exists on this architecture.
int csys_cpu_flags(char *buf, size_t cap);
// Hypervisor vendor signature from cpuid leaf 0x40000000 when the hypervisor bit is set (x86 only).
// Returns 1 and writes the 12-byte signature, 0 when the bit is clear, -1 when not x86.
int csys_hypervisor_vendor(char *buf, size_t cap);
// Compile-time SIMD macros of this build, space separated.
void csys_build_simd(char *buf, size_t cap);
// glibc version string, or "" when not glibc.
const char *csys_libc_version(void);

// ---- libpci
typedef struct {
    char slot[32];
    unsigned vendor_id, device_id, class_id; // class_id: base<<8 | sub
    unsigned subsys_vendor, subsys_device;
    int revision;
    char vendor[128], device[160], class_name[96], driver[64];
} csys_pci_device;
// Lists up to `cap` devices. sysfs_dir: e.g. "/sys/bus/pci" (NULL: libpci default); ids_file: pci.ids path
// (NULL: libpci default). Returns the count, or -1 with err filled (libpci error; the process is not exited).
int csys_pci_list(const char *sysfs_dir, const char *ids_file, csys_pci_device *out, int cap,
                  char *err, size_t errcap);

// ---- libsensors
typedef struct {
    char chip[64], label[64];
    double temp_c, max_c, crit_c; // NaN when absent
    int alarm; // -1 absent, 0, 1
} csys_sensor_temp;
// Returns number of temperature readings (0: no chips), or -1 with err (init failed / fatal error caught).
int csys_sensors_temps(csys_sensor_temp *out, int cap, int *chips, char *err, size_t errcap);

// ---- libcuda via dlopen
typedef struct { char name[128]; uint64_t memory_bytes; int cc_major, cc_minor; } csys_cuda_device;
typedef struct {
    int step;            // 0 ok; 1 dlopen failed; 2 symbol missing; 3 cuInit failed; 4 cuDriverGetVersion; 5 cuDeviceGetCount
    int result;          // CUresult of the failing call
    int driver_version;  // e.g. 12040
    int device_count;
    char detail[256];
} csys_cuda_info;
int csys_cuda_probe(const char *libname, csys_cuda_info *info, csys_cuda_device *devs, int cap);

// ---- run a command with a hard deadline (own process group; killed with SIGKILL on timeout).
// stdout and stderr are captured together into out (at most cap-1 bytes, NUL terminated).
// Returns 0 when it exited (status in *exit_status), 1 on timeout, -1 when it could not start (errno in *exit_status).
int csys_run(const char *path, char *const argv[], char *const envp[], int timeout_ms,
             char *out, size_t cap, size_t *out_len, int *exit_status);
#endif
