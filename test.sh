#!/usr/bin/env bash
# Installs what is missing, builds, fetches the tokenizer test files, and runs every test that needs no GPU.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
scripts/build.sh
if [[ -x scripts/fetch-tokenizers.sh ]]; then scripts/fetch-tokenizers.sh; fi
cd build
QT_QPA_PLATFORM=offscreen ctest --output-on-failure -LE gpu -j "$(nproc 2>/dev/null || echo 2)" "$@"
