// distillery-cli export / freeze: freeze a filtered set of samples as a named dataset, and write
// a frozen dataset to a training file (OpenAI messages, ShareGPT or R1 prompt/completion JSONL).
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/formats/exporter.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace distill::cli {

namespace {

int runExport(const std::vector<std::string>& argv)
{
    const Args args(argv, {"workspace", "dataset", "format"}, {});
    if (args.positional().size() != 1)
        throw Error(ErrorCode::InvalidArgument, "export expects exactly one OUT file");
    const auto ws = store::Workspace::open(args.required("workspace"), store::OpenMode::ReadOnly);
    const std::string name = args.required("dataset");
    const auto format = formats::parseExportFormat(args.valueOr("format", "openai"));
    const std::uint64_t n = formats::exportDataset(ws, name, format, args.positional().front());
    std::cout << nlohmann::json({{"exported", n},
                                 {"dataset", name},
                                 {"format", formats::exportFormatName(format)},
                                 {"file", args.positional().front()}})
                     .dump()
              << std::endl;
    return 0;
}

int runFreeze(const std::vector<std::string>& argv)
{
    const Args args(argv, {"workspace", "name", "status", "verdict", "origin", "source", "search",
                           "min-thinking-tokens", "max-thinking-tokens"},
                    {});
    auto ws = store::Workspace::open(args.required("workspace"));
    store::SampleQuery query;
    if (auto v = args.value("status"))
        query.status = store::parseStatus(*v);
    if (auto v = args.value("verdict"))
        query.verdict = store::parseVerdict(*v);
    if (auto v = args.value("origin"))
        query.origin = store::parseOrigin(*v);
    query.source = args.valueOr("source", "");
    query.search = args.valueOr("search", "");
    if (args.value("min-thinking-tokens"))
        query.minThinkingTokens = args.intOr("min-thinking-tokens", 0);
    if (args.value("max-thinking-tokens"))
        query.maxThinkingTokens = args.intOr("max-thinking-tokens", 0);
    const store::Dataset d = ws.freezeDataset(args.required("name"), query);
    std::cout << nlohmann::json({{"dataset", d.name},
                                 {"samples", d.sampleIds.size()},
                                 {"content_hash", d.contentHash},
                                 {"recipe", nlohmann::json::parse(d.recipeJson)}})
                     .dump()
              << std::endl;
    return 0;
}

const CommandRegistrar exportRegistrar({
    "export",
    "write a frozen dataset to a training file",
    "distillery-cli export --workspace W --dataset NAME [--format openai|sharegpt|r1] OUT\n"
    "openai: {\"messages\": [..., {\"role\": \"assistant\", \"content\": \"<think>\\n…\\n</think>\\n\\n…\"}]}\n"
    "sharegpt: {\"conversations\": [{\"from\", \"value\"}]}; r1: {\"prompt\", \"completion\"}.",
    runExport,
});

const CommandRegistrar freezeRegistrar({
    "freeze",
    "freeze the samples matching a filter as a named dataset",
    "distillery-cli freeze --workspace W --name NAME [--status accepted] [--verdict correct]\n"
    "                      [--origin teacher|import|human|reference] [--source S] [--search TEXT]\n"
    "                      [--min-thinking-tokens N] [--max-thinking-tokens N]\n"
    "Prints {\"dataset\", \"samples\", \"content_hash\", \"recipe\"}.",
    runFreeze,
});

}  // namespace

}  // namespace distill::cli
