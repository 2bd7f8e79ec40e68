#ifndef CSYSTEM_H
#define CSYSTEM_H
// C shims for system facts (libpci, libsensors, cpuid, affinity, dlopen). See docs/architecture.md.
int csys_online_cpus(void);
#endif
