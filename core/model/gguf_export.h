// Export of a Hugging Face model folder (Qwen2/2.5, Qwen3, Llama 3) to one GGUF file for llama.cpp,
// Ollama and LM Studio: the architecture's metadata under llama.cpp's keys, the tokenizer (byte-level
// BPE: tokens, token types, merges, pre-tokenizer type, special tokens, chat template) and the
// tensors under llama.cpp's names and layout, in f16, bf16 or q8_0 (norms, biases and rope factors
// stay f32). What convert_hf_to_gguf.py writes for these models, without Python.
#pragma once

#include "core/model/gguf_writer.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace distill::model {

enum class GgufType { F16, BF16, Q8_0 };

// "f16", "bf16", "q8_0"; InvalidArgument naming the choices otherwise.
GgufType parseGgufType(std::string_view name);

struct GgufExportSummary {
    std::string architecture;  // llama.cpp's name
    std::string preTokenizer;  // tokenizer.ggml.pre
    std::int64_t tensors = 0;
    std::int64_t parameters = 0;
    std::uint64_t bytes = 0;   // of the file
};

// Writes `out` (beside it first, then renamed) from the model folder `folder` (config.json,
// safetensors, tokenizer.json and tokenizer_config.json; `tokenizerFolder` when they live elsewhere).
// Unsupported naming what llama.cpp could not read (a tokenizer that is not byte-level BPE, an
// unknown pre-tokenizer); NotFound for a missing file.
GgufExportSummary exportGguf(const std::filesystem::path& folder, const std::filesystem::path& out, GgufType type,
                             const std::filesystem::path& tokenizerFolder = {});

}  // namespace distill::model
