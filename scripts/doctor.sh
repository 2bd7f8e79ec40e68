#!/usr/bin/env bash
# Set-up, release build, and one run of bitnet-doctor on its embedded default. Extra arguments go to the tool.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product bitnet-doctor >&2
exec .build/release/bitnet-doctor "$@"
