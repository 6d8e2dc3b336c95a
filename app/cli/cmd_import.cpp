// distillery-cli import: read a JSONL / JSON dataset file into a workspace, print a JSON summary.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/formats/importer.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

namespace distill::cli {

namespace {

// "<open>,<close>" -> TagPair.
formats::TagPair parseTags(const std::string& text, const std::string& option)
{
    const auto comma = text.find(',');
    if (comma == std::string::npos || comma == 0 || comma + 1 == text.size())
        throw Error(ErrorCode::InvalidArgument, "--" + option + " expects '<open>,<close>', got '" + text + "'");
    return {text.substr(0, comma), text.substr(comma + 1)};
}

int runImport(const std::vector<std::string>& argv)
{
    const Args args(argv, {"workspace", "format", "as", "source", "think-tags", "answer-tags", "origin-detail"},
                    {"no-reference"});
    if (args.positional().size() != 1)
        throw Error(ErrorCode::InvalidArgument, "import expects exactly one FILE");
    const std::string file = args.positional().front();
    const std::string workspace = args.required("workspace");

    // Everything is checked before the workspace is opened or created.
    formats::ImportOptions options;
    options.format = formats::parseRecordFormat(args.valueOr("format", "auto"));
    options.target = formats::parseImportTarget(args.valueOr("as", "auto"));
    options.source = args.valueOr("source", "");
    options.originDetail = args.valueOr("origin-detail", "");
    options.referenceSamples = !args.flag("no-reference");
    if (auto tags = args.value("think-tags"))
        options.thinkTags = {parseTags(*tags, "think-tags")};
    if (auto tags = args.value("answer-tags"))
        options.answerTags = {parseTags(*tags, "answer-tags")};
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        throw Error(ErrorCode::NotFound, "no such file: " + file);

    auto ws = store::Workspace::openOrCreate(workspace);
    const formats::ImportReport report = formats::importFile(ws, file, options);
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& e : report.errors)
        errors.push_back({{"file", e.file}, {"line", e.line}, {"reason", e.reason}});
    const nlohmann::json summary = {{"imported", report.imported}, {"skipped", report.skipped},
                                    {"problems", report.problems}, {"samples", report.samples},
                                    {"errors", errors},           {"format", formats::recordFormatName(report.format)}};
    std::cout << summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
    return report.imported > 0 ? 0 : 1;
}

const CommandRegistrar registrar({
    "import",
    "import a JSONL/JSON dataset file into a workspace",
    "distillery-cli import --workspace W FILE [--format auto|openai|sharegpt|alpaca|reasoning|problems]\n"
    "                      [--as problems|samples] [--source NAME] [--origin-detail TEXT]\n"
    "                      [--think-tags '<think>,</think>'] [--answer-tags '<Output>,</Output>'] [--no-reference]\n"
    "Creates the workspace when it does not exist. Prints one JSON line:\n"
    "{\"imported\": N, \"skipped\": M, \"errors\": [{\"file\", \"line\", \"reason\"}], \"format\": \"...\"}.\n"
    "Exits non-zero only when no record could be imported.",
    runImport,
});

}  // namespace

}  // namespace distill::cli
