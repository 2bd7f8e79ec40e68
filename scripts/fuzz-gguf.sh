#!/usr/bin/env bash
# Fuzzes the GGUF reader with libFuzzer for N seconds (default 60). Exit status non-zero if an input
# crashed, hung or exhausted memory; the input is saved under $FUZZ_ARTIFACTS (default .build/fuzz/artifacts).
#   scripts/fuzz-gguf.sh [SECONDS]
# FUZZ_SEED and FUZZ_RUNS make a run reproducible (CI uses them, starting from the seed corpus alone:
# FUZZ_CORPUS_DIR=.build/fuzz/ci-corpus, wiped first).
# The seed corpus fixtures/gguf/corpus is copied, never modified; new inputs go to .build/fuzz/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
artifacts="${FUZZ_ARTIFACTS:-.build/fuzz/artifacts}"
swift build --product GGUFFuzz --build-path .build/fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library 2>&1 \
  | { grep -vE "Cannot export local symbol" || true; } >&2
corpus="${FUZZ_CORPUS_DIR:-.build/fuzz/corpus}"
[ -z "${FUZZ_CORPUS_DIR:-}" ] || rm -rf "$corpus"
mkdir -p "$corpus" "$artifacts"
cp -n fixtures/gguf/corpus/* "$corpus/" 2>/dev/null || true
.build/fuzz/debug/GGUFFuzz "$corpus" \
  -max_total_time="$seconds" ${FUZZ_RUNS:+-runs="$FUZZ_RUNS"} ${FUZZ_SEED:+-seed="$FUZZ_SEED"} -max_len=8192 -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix="$artifacts/" -print_final_stats=1
