#!/usr/bin/env bash
# Installs node-llama-cpp 3.21.1 (its prebuilt CPU llama.cpp for Linux x64; no compiler needed) into
# ${DISTILLERY_LLAMA_CPP_DIR:-~/.cache/distillery/node-llama-cpp-3.21.1} once, and prints that folder
# (it holds node_modules/node-llama-cpp). Used by the GGUF parity test and bench_generate's llama.cpp
# mode. Exits non-zero when node or npm is missing or the registry cannot be reached.
set -euo pipefail
version=3.21.1
dir=${DISTILLERY_LLAMA_CPP_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/distillery/node-llama-cpp-$version}
if [[ ! -f "$dir/node_modules/node-llama-cpp/package.json" ]]; then
  command -v node >/dev/null && command -v npm >/dev/null || { echo "fetch-llama-cpp: node and npm are needed" >&2; exit 1; }
  mkdir -p "$dir"
  [[ -f "$dir/package.json" ]] || echo '{"name": "distillery-llama-cpp", "private": true}' > "$dir/package.json"
  echo "fetch-llama-cpp: npm install node-llama-cpp@$version into $dir" >&2
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error -E "node-llama-cpp@$version" >&2)
fi
echo "$dir"
