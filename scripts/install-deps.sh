#!/usr/bin/env bash
# Installs the Debian 12 packages Distillery needs, only those missing. Idempotent.
# Usage: scripts/install-deps.sh [--no-gui]
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-pthread libgloo-dev
  libsqlite3-dev libxxhash-dev libginac-dev libcln-dev libpcre2-dev libyaml-cpp-dev libicu-dev
  nlohmann-json3-dev libcurl4-openssl-dev libcpp-httplib-dev libfast-float-dev libsimdjson-dev
)
gui_packages=(
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libgl-dev
  libqcustomplot-dev libqcustomplot2.1-qt6 qtkeychain-qt6-dev
  xvfb xauth fonts-noto-cjk
)
[[ "${1:-}" == "--no-gui" ]] || packages+=("${gui_packages[@]}")
# npm fetches the tokenizer test files; any Node.js install will do (Debian's or another).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "Installing missing packages: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
