#include "csystem.h"
#include <unistd.h>
int csys_online_cpus(void) { return (int)sysconf(_SC_NPROCESSORS_ONLN); }
