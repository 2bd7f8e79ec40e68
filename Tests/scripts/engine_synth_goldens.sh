#!/usr/bin/env bash
# Makes the llama.cpp goldens for the synthetic `bitnet` models the engine tests synthesize themselves:
# `bitnet-doctor synth --shape tiny --arch bitnet --seed 7 --format F` for F in tq2_0 tq1_0 f32 iq2_s (FORMATS="..."
# for a subset), then greedy tokens from llama.cpp (llama-cpp-python) for fixed prompt ids. The model files are not kept.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${BITNET_DOCTOR_BIN:-$(cd "$root" && swift build --show-bin-path)/bitnet-doctor}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
for f in ${FORMATS:-tq2_0 tq1_0 f32 iq2_s}; do
  "$bin" synth "$tmp/m.gguf" --shape tiny --arch bitnet --format "$f" --seed 7 >&2
  python3 "$root/Tests/scripts/engine_goldens.py" --model "$tmp/m.gguf" --tokens 32 --no-model-hash \
    --out "$root/fixtures/goldens/synth-bitnet-$f-seed7.json" \
    --prompt-ids 270,10,20,30,40 --prompt-ids 270,100,5,77,200,31,9 --prompt-ids 270,1 \
    --meta synth_arch=bitnet --meta synth_format="$f" --meta synth_seed=7 --meta synth_shape=tiny
done
