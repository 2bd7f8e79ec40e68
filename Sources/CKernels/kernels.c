#include "ckernels.h"
float ck_sum_f32(const float *x, size_t n) { float s = 0; for (size_t i = 0; i < n; i++) s += x[i]; return s; }
