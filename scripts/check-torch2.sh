#!/usr/bin/env bash
# The CUDA libtorch 2.x build leg: builds core, the CLI, the benches and every non-GUI test against
# CUDA libtorch 2.6 with NCCL (warnings are errors, as in every build), then runs each test that needs
# no GPU and no display. Runs inside the Debian 13 root that ../shared/scripts/torch2-root.sh makes
# (CUDA libtorch 2.6, nvcc 12.4, NCCL, Gloo; first creation about 15 minutes, 11 GB). Needs root.
#   scripts/check-torch2.sh            build into build-torch2/ and run the tests
#   scripts/check-torch2.sh --inside   (what the root runs; not for direct use)
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" != "--inside" ]]; then
  root_script=../shared/scripts/torch2-root.sh
  [[ -x $root_script ]] || { echo "check-torch2: $root_script not found (the Debian 13 CUDA libtorch root)" >&2; exit 2; }
  # The tokenizer test files come from npm, which the root lacks: fetch them here first.
  scripts/fetch-tokenizers.sh
  start=$(date +%s)
  "$root_script" scripts/check-torch2.sh --inside
  echo "check-torch2: passed in $(($(date +%s) - start)) s"
  exit 0
fi

# Inside the root: the project is at /src. Build dependencies the root's script does not install.
extra=(libfast-float-dev libsimdjson-dev libicu-dev)
missing=()
for p in "${extra[@]}"; do dpkg -s "$p" > /dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" > /dev/null
fi
export CCACHE_DIR=/src/build-torch2/.ccache CCACHE_BASEDIR=/src CCACHE_NOHASHDIR=true
torch_version=$(awk '/define TORCH_VERSION_(MAJOR|MINOR|PATCH) /{v = v (v == "" ? "" : ".") $3} END {print v}' \
  /usr/include/torch/csrc/api/include/torch/version.h 2>/dev/null)
echo "check-torch2: libtorch ${torch_version:-?}, $(nvcc --version | tail -1)"
configure_start=$(date +%s)
cmake -S . -B build-torch2 -G Ninja -DCMAKE_BUILD_TYPE=Release -DDISTILLERY_GUI=OFF -DDISTILLERY_TESTS=ON \
  -DDISTILLERY_BENCH=ON -DNCCL_INCLUDE_DIR=/usr/include
grep -q "DISTILLERY_C10D_NCCL:INTERNAL=1" build-torch2/CMakeCache.txt \
  || { echo "check-torch2: NCCL was not found: the CUDA leg must build with it" >&2; exit 1; }
cmake --build build-torch2 -j "$(nproc)" -- -k 0  # every compile error of the leg in one pass
build_end=$(date +%s)
cd build-torch2
# gpu: needs a CUDA device; gui: needs a display and Qt Widgets (not built here).
ctest --output-on-failure -LE "gpu|gui" -j "$(nproc)"
echo "check-torch2: build $((build_end - configure_start)) s, tests $(($(date +%s) - build_end)) s"
