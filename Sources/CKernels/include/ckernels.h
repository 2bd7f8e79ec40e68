#ifndef CKERNELS_H
#define CKERNELS_H
// Hot loops of the bundled engine. See docs/architecture.md and Sources/CKernels/README.md.
#include <stddef.h>
#include <stdint.h>

/// Portable placeholder until the kernel set lands: sum of n floats.
float ck_sum_f32(const float *x, size_t n);

#endif
