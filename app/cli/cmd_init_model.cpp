// `distillery-cli init-model --like NAME --tokenizer DIR --out DIR`: a random-initialised Hugging Face
// folder of a published model's exact shape (core/model/model_shapes.h), to run the real-scale path
// without downloading weights.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/model/model_shapes.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

namespace distill::cli {
namespace {

int runInitModel(const std::vector<std::string>& argv)
{
    const Args args(argv, {"like", "tokenizer", "out", "dtype", "seed", "shard-mb"}, {"list"});
    if (args.flag("list")) {
        for (const auto& s : model::modelShapes())
            std::cout << s.name << "\n";
        return 0;
    }
    const auto& shape = model::modelShape(args.required("like"));
    model::InitOptions options;
    const std::string dtype = args.valueOr("dtype", "bf16");
    if (dtype != "bf16" && dtype != "float32")
        throw Error(ErrorCode::InvalidArgument, "--dtype must be bf16 or float32, got '" + dtype + "'");
    options.dtype = dtype == "bf16" ? c10::kBFloat16 : c10::kFloat;
    const long long seed = args.intOr("seed", 0);
    const long long shardMb = args.intOr("shard-mb", 1000);
    if (seed < 0 || shardMb < 1)
        throw Error(ErrorCode::InvalidArgument, "--seed must be >= 0 and --shard-mb >= 1");
    options.seed = std::uint64_t(seed);
    options.maxShardBytes = std::uint64_t(shardMb) * 1'000'000ULL;
    options.tokenizerFolder = args.required("tokenizer");
    const std::filesystem::path out = args.required("out");
    if (std::filesystem::exists(out) && !std::filesystem::is_empty(out))
        throw Error(ErrorCode::InvalidArgument, out.string() + " exists and is not empty", "give a new folder");
    const auto config = model::initModelFolder(shape, out, options);
    std::cout << nlohmann::json{{"like", shape.name},
                                {"out", out.string()},
                                {"parameters", config.parameterCount()},
                                {"dtype", dtype}}
                     .dump()
              << std::endl;
    return 0;
}

const CommandRegistrar registrar({
    "init-model",
    "write a random-initialised model folder of a published shape (Qwen2.5-0.5B, ...)",
    "Usage: distillery-cli init-model --like NAME --tokenizer DIR --out DIR [--dtype bf16|float32] [--seed N]\n"
    "                                 [--shard-mb N]\n"
    "       distillery-cli init-model --list\n"
    "  Writes a Hugging Face folder with the exact shape of NAME (Qwen2.5-0.5B, Qwen2.5-1.5B, Qwen3-0.6B,\n"
    "  Llama-3.2-1B): its config.json, weights drawn as transformers initialises them (seed N), sharded\n"
    "  safetensors of at most N MB (default 1000) with model.safetensors.index.json, generation_config.json,\n"
    "  and the tokenizer files of DIR (the model family's tokenizer.json and tokenizer_config.json).",
    runInitModel,
});

}  // namespace
}  // namespace distill::cli
