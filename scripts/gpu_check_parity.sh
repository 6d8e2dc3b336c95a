#!/usr/bin/env bash
# Part of scripts/gpu-check.sh: a Qwen2.5-0.5B-shape model Distillery initialises and trains for four
# SFT steps on CUDA in bf16, saved as a Hugging Face folder; transformers loads that checkpoint and
# stores its float32 logits of fixed ids beside it; tst_cuda compares Distillery's logits with them.
#   scripts/gpu_check_parity.sh DISTILLERY_CLI TST_CUDA WORK_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
cli=$1 tst=$2 work=$3
mkdir -p "$work"
"$cli" init-model --like Qwen2.5-0.5B --tokenizer tests/fixtures/tokenizers-npm/qwen2_5 --out "$work/init" > /dev/null
cat > "$work/sft.yaml" <<SPEC
kind: sft
name: transformers-parity
data: {jsonl: tests/fixtures/jobs/toy-sft.jsonl, max_seq_len: 256}
model: {path: $work/init, device: cuda, dtype: bf16}
train: {max_steps: 4, micro_batch_size: 8, lr: 1e-4}
checkpoints: {output_dir: $work/run}
SPEC
"$cli" run "$work/sft.yaml" --workspace "$work/parity.sqlite" > "$work/events.jsonl"
checkpoint="$work/run/checkpoint-4"
python3 - "$checkpoint" <<'PY'
import sys, torch
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM
folder = sys.argv[1]
model = AutoModelForCausalLM.from_pretrained(folder, torch_dtype=torch.float32, attn_implementation="eager").cuda().eval()
ids = torch.tensor([[9707, 11, 1879, 0, 576, 525, 220, 16, 488, 220, 16, 30, 151643, 8, 77, 1000]], dtype=torch.long)
with torch.no_grad():
    logits = model(ids.cuda()).logits.float().cpu()
save_file({"input_ids": ids, "logits": logits.contiguous()}, f"{folder}/reference.safetensors")
print("transformers", __import__("transformers").__version__, "logits", tuple(logits.shape))
PY
DISTILLERY_TRANSFORMERS_CHECKPOINT="$checkpoint" "$tst" savedCheckpointMatchesTransformers
