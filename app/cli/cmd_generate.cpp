// distillery-cli generate: completions from a Hugging Face model folder with the batched engine,
// one JSON line per completion {"ids", "text", "finish_reason", "prompt_index", "sample"}.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/infer/engine.h"
#include "core/model/checkpoint.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <torch/cuda.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace distill;
namespace fs = std::filesystem;

namespace {

const char* const kUsage =
    "Usage: distillery-cli generate --model DIR (--prompt TEXT | --prompt-ids 1,2,3 | --jsonl FILE)\n"
    "         [--chat] [--n N] [--temperature T] [--top-p P] [--top-k K] [--min-p P]\n"
    "         [--repetition-penalty R] [--max-new-tokens M] [--seed S] [--device cpu|cuda]\n"
    "         [--max-batch B] [--stop TEXT] [--max-thinking-tokens N] [--min-thinking-tokens N]\n"
    "\n"
    "Prints one JSON line per completion: {\"prompt_index\", \"sample\", \"ids\", \"text\", \"finish_reason\"}\n"
    "(finish_reason \"stop\" or \"length\"). --temperature 0 is greedy. --jsonl reads one prompt per line:\n"
    "{\"prompt\": TEXT} or {\"prompt_ids\": [...]} or {\"messages\": [...]} (chat). Text prompts, --chat and\n"
    "--stop need tokenizer.json in DIR. Generation stops at the model's eos token ids. Budget forcing\n"
    "(--max/min-thinking-tokens) closes thinking with the tokens of \"</think>\" and extends it with \"Wait\".\n";

std::vector<std::int64_t> parseIds(const std::string& text)
{
    std::vector<std::int64_t> ids;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        try {
            std::size_t used = 0;
            ids.push_back(std::stoll(item, &used));
            if (used != item.size())
                throw std::invalid_argument(item);
        } catch (const std::exception&) {
            throw Error(ErrorCode::InvalidArgument, "--prompt-ids expects comma-separated integers, got '" + item + "'");
        }
    }
    return ids;
}

int run(const std::vector<std::string>& argv)
{
    const cli::Args args(argv,
                         {"model", "prompt", "prompt-ids", "jsonl", "n", "temperature", "top-p", "top-k", "min-p",
                          "repetition-penalty", "max-new-tokens", "seed", "device", "max-batch", "stop",
                          "max-thinking-tokens", "min-thinking-tokens"},
                         {"chat"});
    const fs::path dir = args.required("model");
    const int sources = int(args.value("prompt").has_value()) + int(args.value("prompt-ids").has_value()) +
                        int(args.value("jsonl").has_value());
    if (sources != 1)
        throw Error(ErrorCode::InvalidArgument, "give exactly one of --prompt, --prompt-ids, --jsonl", kUsage);
    const std::string device = args.valueOr("device", "cpu");
    if (device != "cpu" && device != "cuda")
        throw Error(ErrorCode::InvalidArgument, "--device must be cpu or cuda");
    if (device == "cuda" && !torch::cuda::is_available())
        throw Error(ErrorCode::Unsupported, "--device cuda: no CUDA device (or libtorch without CUDA)");

    std::unique_ptr<tokenizer::Tokenizer> tok;
    if (fs::exists(dir / "tokenizer.json"))
        tok = tokenizer::Tokenizer::fromDirectory(dir);
    const auto needTokenizer = [&](const char* why) {
        if (!tok)
            throw Error(ErrorCode::NotFound, std::string(why) + " needs tokenizer.json in " + dir.string());
    };
    const bool chat = args.flag("chat");
    std::optional<tokenizer::ChatTemplate> chatTemplate;
    const auto encodeMessages = [&](const nlohmann::ordered_json& messages) {
        needTokenizer("a chat prompt");
        if (!chatTemplate)
            chatTemplate.emplace(tokenizer::ChatTemplate::fromTokenizer(*tok));
        return tokenizer::widen(tok->encode(chatTemplate->generationPrompt(messages, false).text));
    };
    const auto encodeText = [&](const std::string& text) {
        needTokenizer("--prompt");
        if (chat)
            return encodeMessages(nlohmann::ordered_json::array({{{"role", "user"}, {"content", text}}}));
        return tokenizer::widen(tok->encode(text));
    };

    std::vector<std::vector<std::int64_t>> prompts;
    if (const auto text = args.value("prompt")) {
        prompts.push_back(encodeText(*text));
    } else if (const auto ids = args.value("prompt-ids")) {
        prompts.push_back(parseIds(*ids));
    } else {
        const std::string path = *args.value("jsonl");
        std::ifstream in(path);
        if (!in)
            throw Error(ErrorCode::NotFound, "cannot open " + path);
        std::string line;
        for (std::size_t lineNo = 1; std::getline(in, line); ++lineNo) {
            if (line.find_first_not_of(" \t\r") == std::string::npos)
                continue;
            const auto j = nlohmann::ordered_json::parse(line, nullptr, false);
            if (j.is_object() && j.contains("prompt_ids") && j["prompt_ids"].is_array())
                prompts.push_back(j["prompt_ids"].get<std::vector<std::int64_t>>());
            else if (j.is_object() && j.contains("messages") && j["messages"].is_array())
                prompts.push_back(encodeMessages(j["messages"]));
            else if (j.is_object() && j.contains("prompt") && j["prompt"].is_string())
                prompts.push_back(encodeText(j["prompt"].get<std::string>()));
            else
                throw Error(ErrorCode::Parse, path + ":" + std::to_string(lineNo) +
                                                  ": expected {\"prompt\"}, {\"prompt_ids\"} or {\"messages\"}");
        }
    }

    model::LoadOptions load;
    load.device = device == "cuda" ? c10::Device(c10::kCUDA) : c10::Device(c10::kCPU);
    model::LoadedModel loaded = model::loadModel(dir, load);

    infer::GenerationRequest base;
    base.n = int(args.intOr("n", 1));
    base.maxNewTokens = args.intOr("max-new-tokens", 256);
    base.sampling.temperature = args.doubleOr("temperature", 1.0);
    base.sampling.topP = args.doubleOr("top-p", 1.0);
    base.sampling.topK = args.intOr("top-k", 0);
    base.sampling.minP = args.doubleOr("min-p", 0.0);
    base.sampling.repetitionPenalty = args.doubleOr("repetition-penalty", 1.0);
    base.sampling.seed = std::uint64_t(args.intOr("seed", 0));
    base.stopTokenIds = model::stopTokenIds(loaded.config, dir, tok ? tok->eosId() : std::nullopt);
    if (const auto stop = args.value("stop")) {
        needTokenizer("--stop");
        base.stopStrings.push_back(*stop);
    }
    base.budget.maxThinkingTokens = args.intOr("max-thinking-tokens", -1);
    base.budget.minThinkingTokens = args.intOr("min-thinking-tokens", 0);
    if (base.budget.maxThinkingTokens >= 0 || base.budget.minThinkingTokens > 0) {
        needTokenizer("budget forcing");
        base.budget.thinkEndIds = tokenizer::widen(tok->encode("</think>"));
        base.budget.waitIds = tokenizer::widen(tok->encode("Wait"));
    }
    std::vector<infer::GenerationRequest> requests;
    for (auto& p : prompts) {
        requests.push_back(base);
        requests.back().prompt = std::move(p);
    }

    infer::EngineOptions options;
    options.maxBatch = args.intOr("max-batch", 64);
    if (tok)
        options.detokenize = [&tok](const std::vector<std::int64_t>& ids) {
            return tok->decode(std::vector<std::int32_t>(ids.begin(), ids.end()), true);
        };
    infer::Engine engine(loaded.model.ptr(), options);
    for (const infer::Completion& c : engine.generate(requests)) {
        const nlohmann::json line = {{"prompt_index", c.request},
                                     {"sample", c.sample},
                                     {"ids", c.ids},
                                     {"text", c.text},
                                     {"finish_reason", c.finish == infer::FinishReason::Stop ? "stop" : "length"}};
        std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    std::cout.flush();
    return 0;
}

const cli::CommandRegistrar kRegistrar({"generate", "generate completions from a model folder (batched engine)", kUsage, run});

}  // namespace
