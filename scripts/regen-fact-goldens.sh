#!/usr/bin/env bash
# Regenerates fixtures/machines/*/golden.json from the current collectors. Deliberate: review `git diff` after.
set -euo pipefail
cd "$(dirname "$0")/.."
BITNET_DOCTOR_REGEN_GOLDENS=1 swift test --filter 'SystemFactsTests.GoldenTests/matchesGolden' "$@"
git --no-pager diff --stat -- fixtures/machines/*/golden.json || true
