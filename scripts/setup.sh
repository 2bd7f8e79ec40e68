#!/usr/bin/env bash
# Installs what bitnet-doctor needs to build and test on Debian 12 (run as root, or with sudo available).
# Idempotent: installs only what is missing. Python tools go into a private venv, never the system.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cache="${BITNET_DOCTOR_CACHE:-$HOME/.cache/bitnet-doctor}"
mkdir -p "$cache"

need=()
for pkg in libpci-dev libsensors-dev pkg-config pciutils python3 python3-venv python3-pip; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "setup: Swift 6.x is required on PATH (https://www.swift.org/install/linux/)" >&2
  exit 1
fi
