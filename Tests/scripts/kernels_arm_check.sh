#!/usr/bin/env bash
# Cross-checks the aarch64 paths of CKernels (NEON, dotprod) against the scalar code under qemu-user.
# Needs: clang, aarch64-linux-gnu-gcc (Debian: gcc-aarch64-linux-gnu, libc6-dev-arm64-cross), qemu-aarch64
# (Debian: qemu-user). Exit 0 when every ARM path equals the scalar reference; 77 when a tool is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
src="$root/Sources/CKernels"
for tool in clang aarch64-linux-gnu-gcc qemu-aarch64; do
  command -v "$tool" >/dev/null || { echo "kernels_arm_check: $tool not found" >&2; exit 77; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/harness.c" <<'HARNESS'
#include "ckernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
static uint32_t st=1; static uint32_t rnd(void){ st = st*1664525u+1013904223u; return st>>8; }
int main(){
  unsigned all = ck_cpu_paths(); printf("paths %x %s\n", all, ck_path_name());
  int ok = 1;
  for (int it=0; it<20; it++) {
    size_t n = 128 * (1 + rnd()%60), rows = 1 + rnd()%9, ntok = 1 + rnd()%5;
    uint8_t *w = malloc(rows*n/4); for (size_t i=0;i<rows*n/4;i++) w[i] = (it==0) ? 0xff : rnd();
    int8_t *q = malloc(n*ntok); for (size_t i=0;i<n*ntok;i++) q[i] = (it==0) ? -128 : (int8_t)rnd();
    int32_t *a = calloc(rows*ntok,4), *b = calloc(rows*ntok,4), *c = calloc(rows*ntok,4);
    unsigned masks[3] = {CK_PATH_SCALAR, CK_PATH_SCALAR|CK_PATH_NEON, CK_PATH_SCALAR|CK_PATH_NEON|CK_PATH_DOTPROD};
    int32_t *outs[3] = {a,b,c};
    for (int m=0;m<3;m++){ ck_set_path(masks[m]); ck_i2s_gemm(w,n,0,rows,q,n,ntok,outs[m],rows); }
    ok &= memcmp(a,b,rows*ntok*4)==0 && memcmp(a,c,rows*ntok*4)==0;
    for (int m=0;m<3;m++){ ck_set_path(masks[m]); ck_i2s_gemv(w,n,0,rows,q,outs[m]); }
    ok &= memcmp(a,b,rows*4)==0 && memcmp(a,c,rows*4)==0;
    /* f16 */
    uint16_t *h = malloc(rows*n*2); float *x = malloc(n*4); for (size_t i=0;i<rows*n;i++) h[i]=ck_f32_to_f16(((int)(rnd()%2000)-1000)/1000.0f); for(size_t i=0;i<n;i++) x[i]=((int)(rnd()%2000)-1000)/1000.0f;
    float fa[16], fb[16];
    ck_set_path(CK_PATH_SCALAR); ck_f16_gemv(h,n,0,rows,x,fa);
    ck_set_path(all); ck_f16_gemv(h,n,0,rows,x,fb);
    for (size_t r=0;r<rows;r++){ float mag=0; for(size_t i=0;i<n;i++) mag+=fabsf(ck_f16_to_f32(h[r*n+i])*x[i]); if (fabsf(fa[r]-fb[r]) > (n/32+16)*1.2e-7f*mag) { ok=0; printf("f16 diff %g %g\n", fa[r], fb[r]); } }
    free(w); free(q); free(a); free(b); free(c); free(h); free(x);
  }
  for (int i=0;i<ck_kernel_count();i++) if (ck_kernel_calls(i)) printf("  %s %lu\n", ck_kernel_name(i), (unsigned long)ck_kernel_calls(i));
  printf("ARM paths equal scalar: %s\n", ok ? "yes" : "NO");
  return !ok;
}
HARNESS
for f in "$src"/*.c "$work/harness.c"; do
  clang --target=aarch64-linux-gnu -O2 -ffp-contract=off -isystem /usr/aarch64-linux-gnu/include \
    -I"$src/include" -c "$f" -o "$work/$(basename "$f").o"
done
aarch64-linux-gnu-gcc -static "$work"/*.o -o "$work/check" -lpthread -lm
for cpu in max cortex-a53; do
  echo "== qemu-aarch64 -cpu $cpu" >&2
  qemu-aarch64 -cpu "$cpu" "$work/check"
done
