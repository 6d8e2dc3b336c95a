#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (Debian's clang, AddressSanitizer + UndefinedBehavior-
# Sanitizer) in build-fuzz and runs each for SECONDS (default 20), one after another.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 600 chat_template latex
# A crash leaves its input as build-fuzz/tests/fuzz/<target>-crash-<sha1>; once fixed, copy it to
# tests/fuzz/regressions/<target>/ so every build replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
# libtorch 1.13's <torch/torch.h> uses std::vector<c10::IValue> before IValue is complete, which clang
# refuses in C++20 (GCC accepts it); ATen/core/ivalue.h first makes it complete (the job_spec target
# reads the training kinds' specs).
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -O1 -g"
flags+=" -include ATen/core/ivalue.h"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Fuzz -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="$flags" -DDISTILLERY_GUI=OFF -DDISTILLERY_BENCH=OFF -DDISTILLERY_FUZZ=ON \
  -DDISTILLERY_FUZZ_SECONDS="$seconds" >/dev/null
targets=()
tests=()
for name in "$@"; do
  targets+=("fuzz_$name")
  tests+=("fuzz_$name")
done
if ((${#targets[@]} == 0)); then targets=(fuzz_targets); fi
ninja -C build-fuzz -j "$(nproc 2>/dev/null || echo 2)" "${targets[@]}"
regex=$(IFS='|'; echo "^(${tests[*]:-fuzz_.*})\$")
export UBSAN_OPTIONS=print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1
export LSAN_OPTIONS=suppressions=$PWD/tests/fuzz/lsan.supp
# The whole output (libFuzzer's progress, and any report) goes to build-fuzz/fuzz.log; the run's
# figures and verdicts are printed.
status=0
ctest --test-dir build-fuzz -L fuzz -R "$regex" -V > build-fuzz/fuzz.log 2>&1 || status=$?
grep -E "Test +#|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|DONE +cov|ERROR|SUMMARY|Test unit written" build-fuzz/fuzz.log
exit $status
