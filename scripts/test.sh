#!/usr/bin/env bash
# Set-up, test data, and the whole test suite. Extra arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export BITNET_DOCTOR_TESTDATA="$(scripts/setup-testdata.sh)"
export BITNET_DOCTOR_PYTHON="${BITNET_DOCTOR_CACHE:-$HOME/.cache/bitnet-doctor}/venv/bin/python"
swift build --build-tests >&2
swift test --skip-build "$@"
