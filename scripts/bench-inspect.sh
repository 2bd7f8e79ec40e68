#!/usr/bin/env bash
# Benchmark (not a test): time `ModelInspector.inspect` (optimised build of GGUF + ModelInspector only)
# on a 2B-4T-shaped synthetic I2_S file with the Llama-3 vocabulary (about 1.19 GB; written once).
#   scripts/bench-inspect.sh [VOCAB.gguf]   (default: the cached ggml-vocab-llama-bpe.gguf)
# Target from issue 2: <= 0.1 s; it must not read tensor data.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
vocab="${1:-${BITNET_DOCTOR_CACHE:-$HOME/.cache/bitnet-doctor}/testdata/vocab/ggml-vocab-llama-bpe.gguf}"
work="$root/.build/bench-inspect"
mkdir -p "$work"
cd "$work"
swiftc -O -parse-as-library -emit-module -emit-library -module-name GGUF "$root"/Sources/GGUF/*.swift \
  -o libGGUF.so -emit-module-path GGUF.swiftmodule
swiftc -O -parse-as-library -emit-module -emit-library -module-name ModelInspector -I . -L . -lGGUF \
  "$root"/Sources/ModelInspector/*.swift -o libModelInspector.so -emit-module-path ModelInspector.swiftmodule
cat > bench.swift <<'SWIFT'
import Foundation
import ModelInspector
let path = CommandLine.arguments[1]
if !FileManager.default.fileExists(atPath: path) {
    try SyntheticModel.write(to: path, options: .init(shape: .b2_4t, format: .i2_s, vocabPath: CommandLine.arguments[2], seed: 1))
}
var best = Double.infinity
for _ in 0 ..< 5 {
    let t0 = Date()
    _ = try ModelInspector.inspect(path: path).jsonString()
    best = min(best, Date().timeIntervalSince(t0))
}
print(String(format: "inspect %@: best of 5 %.4f s", path, best))
SWIFT
swiftc -O -I . -L . -lGGUF -lModelInspector bench.swift -o bench
LD_LIBRARY_PATH=. ./bench "$work/2b-4t-i2_s.gguf" "$vocab"
