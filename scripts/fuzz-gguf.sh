#!/usr/bin/env bash
# Fuzzes the GGUF reader with libFuzzer for N seconds (default 60). Exit status non-zero if an input
# crashed, hung or exhausted memory; the input is saved under $FUZZ_ARTIFACTS (default .build/fuzz/artifacts).
#   scripts/fuzz-gguf.sh [SECONDS]
# The seed corpus fixtures/gguf/corpus is copied, never modified; new inputs go to .build/fuzz/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
artifacts="${FUZZ_ARTIFACTS:-.build/fuzz/artifacts}"
swift build --product GGUFFuzz --build-path .build/fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library 2>&1 \
  | { grep -vE "Cannot export local symbol" || true; } >&2
mkdir -p .build/fuzz/corpus "$artifacts"
cp -n fixtures/gguf/corpus/* .build/fuzz/corpus/ 2>/dev/null || true
.build/fuzz/debug/GGUFFuzz .build/fuzz/corpus \
  -max_total_time="$seconds" -max_len=8192 -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix="$artifacts/" -print_final_stats=1
