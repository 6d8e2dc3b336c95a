// `distillery-cli export-model --format gguf --type f16|bf16|q8_0 MODEL_DIR OUT.gguf`: a Hugging Face
// model folder (a run's checkpoint, a trained student) as one GGUF file for llama.cpp, Ollama and
// LM Studio (core/model/gguf_export.h).
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/model/gguf_export.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace distill::cli {
namespace {

int runExportModel(const std::vector<std::string>& argv)
{
    const Args args(argv, {"format", "type", "tokenizer"}, {});
    if (args.positional().size() != 2)
        throw Error(ErrorCode::InvalidArgument, "export-model needs MODEL_DIR and OUT.gguf",
                    "distillery-cli export-model --format gguf --type q8_0 run-3/checkpoint-1000 student.gguf");
    const std::string format = args.valueOr("format", "gguf");
    if (format != "gguf")
        throw Error(ErrorCode::InvalidArgument, "unknown --format '" + format + "'", "the one format is gguf");
    const auto type = model::parseGgufType(args.valueOr("type", "f16"));
    const auto summary = model::exportGguf(args.positional()[0], args.positional()[1], type, args.valueOr("tokenizer", ""));
    std::cout << nlohmann::json{{"out", args.positional()[1]},
                                {"architecture", summary.architecture},
                                {"pre_tokenizer", summary.preTokenizer},
                                {"type", args.valueOr("type", "f16")},
                                {"tensors", summary.tensors},
                                {"parameters", summary.parameters},
                                {"bytes", summary.bytes}}
                     .dump()
              << std::endl;
    return 0;
}

const CommandRegistrar registrar({
    "export-model",
    "export a model folder or checkpoint as GGUF for llama.cpp, Ollama and LM Studio",
    "Usage: distillery-cli export-model [--format gguf] [--type f16|bf16|q8_0] [--tokenizer DIR] MODEL_DIR OUT.gguf\n"
    "  Writes OUT.gguf from a Hugging Face folder of a Qwen2/2.5, Qwen3 or Llama 3 model (a run's\n"
    "  checkpoint-N included): llama.cpp's metadata, the tokenizer (vocabulary, merges, pre-tokenizer,\n"
    "  special tokens, chat template) and the weights in f16 (default), bf16 or q8_0 (norms and biases f32).\n"
    "  --tokenizer DIR: the tokenizer files when they are not in MODEL_DIR. OUT is written beside itself\n"
    "  and renamed into place. Prints {\"out\", \"architecture\", \"pre_tokenizer\", \"type\", \"tensors\",\n"
    "  \"parameters\", \"bytes\"}.",
    runExportModel,
});

}  // namespace
}  // namespace distill::cli
