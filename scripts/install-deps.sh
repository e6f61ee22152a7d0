#!/usr/bin/env bash
# Installs the system packages medlyt needs to build, test and make fixtures (Debian).
# Skips the install when everything is already there.
set -euo pipefail
need=(cmake g++ pkg-config libopenblas-dev libasound2-dev alsa-utils espeak-ng sox libsox-fmt-all python3 python3-venv unzip chromium wdanish wbritish wamerican time slurm-wlm munge)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "installing system packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
