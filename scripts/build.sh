#!/usr/bin/env bash
# Configures and builds Distillery (Release, Ninja, ccache when present) into ./build.
# Usage: scripts/build.sh [extra cmake -D options]; DISTILLERY_TARGETS="a b" builds only those targets.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
# Let ccache hit across clones of the tree in different folders.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
if [[ ! -f build/CMakeCache.txt ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
elif (($#)); then
  cmake -S . -B build "$@"
fi
targets=()
for t in ${DISTILLERY_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build build -j "$jobs" "${targets[@]}"
