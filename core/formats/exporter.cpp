#include "core/formats/exporter.h"

#include "core/formats/record_parser.h"
#include "core/store/workspace.h"
#include "core/util/error.h"
#include "core/util/replacing_file.h"

#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>

namespace distill::formats {

using nlohmann::json;

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 3> kExportFormats = {"openai", "sharegpt", "r1"};

// An export must not overwrite the workspace it reads (or its WAL and shared-memory files).
void refuseWorkspaceFile(const std::string& outPath, const std::string& workspacePath)
{
    std::error_code ec;
    const fs::path out = fs::weakly_canonical(outPath, ec);
    for (const std::string& file : store::workspaceFiles(workspacePath)) {
        if (fs::equivalent(outPath, file, ec) || (!out.empty() && out == fs::weakly_canonical(file, ec))) {
            std::string detail = "refusing to export into ";
            detail += outPath;
            detail += file != workspacePath ? ": it is a file of the open workspace " : ": it is the open workspace ";
            detail += workspacePath;
            throw Error(ErrorCode::InvalidArgument, detail, "choose another output file");
        }
    }
}

}  // namespace

std::string_view exportFormatName(ExportFormat format)
{
    return kExportFormats[std::size_t(format)];
}

ExportFormat parseExportFormat(std::string_view text)
{
    for (std::size_t i = 0; i < kExportFormats.size(); ++i)
        if (kExportFormats[i] == text)
            return ExportFormat(i);
    throw Error(ErrorCode::InvalidArgument, "unknown export format '" + std::string(text) + "'",
                "expected openai, sharegpt or r1");
}

std::string r1Text(std::string_view thinking, std::string_view answer)
{
    std::string out;
    out.reserve(thinking.size() + answer.size() + 20);
    out += "<think>\n";
    out += thinking;
    out += "\n</think>\n\n";
    out += answer;
    return out;
}

namespace {

// A canonical message as written to OpenAI-style files: reasoning goes into the content in the
// R1 template (what SFT trainers read); `alwaysTemplate` also wraps turns without reasoning.
json openAiMessage(const json& m, bool alwaysTemplate)
{
    json out = m;
    const bool hasReasoning = m.contains("reasoning_content");
    if (m.value("role", "") == "assistant" && m.at("content").is_string() && (hasReasoning || alwaysTemplate)) {
        out["content"] = r1Text(m.value("reasoning_content", ""), m["content"].get<std::string>());
        out.erase("reasoning_content");
    }
    return out;
}

// ShareGPT turns for one canonical message (a tool-calling assistant turn becomes an optional gpt
// turn plus a function_call turn).
void appendShareGpt(json& turns, const json& m, bool alwaysTemplate)
{
    const std::string role = m.value("role", "");
    const json msg = openAiMessage(m, alwaysTemplate);
    const std::string value = contentText(msg.at("content"));
    if (role == "assistant") {
        if (!m.contains("tool_calls") || !value.empty())
            turns.push_back({{"from", "gpt"}, {"value", value}});
        if (m.contains("tool_calls"))
            turns.push_back({{"from", "function_call"}, {"value", m["tool_calls"].dump()}});
        return;
    }
    const char* from = role == "user" ? "human" : role == "system" ? "system" : role == "tool" ? "observation" : nullptr;
    if (!from)
        throw Error(ErrorCode::Unsupported, "ShareGPT has no speaker for role '" + role + "'");
    turns.push_back({{"from", from}, {"value", value}});
}

}  // namespace

json exportRecord(const store::Problem& problem, const store::Sample& sample, ExportFormat format)
{
    json prompt = json::parse(sample.messagesJson, nullptr, false);
    if (!prompt.is_array() || prompt.empty())
        prompt = json::array({{{"role", "user"}, {"content", problem.question}}});
    json extras = json::parse(sample.extrasJson, nullptr, false);
    if (!extras.is_object())
        extras = json::object();
    // The final turn: the sample's (possibly edited) thinking and answer, plus kept extra keys.
    json final = {{"role", "assistant"}, {"content", sample.answer}, {"reasoning_content", sample.thinking}};
    if (extras.contains("assistant") && extras["assistant"].is_object())
        for (const auto& [k, v] : extras["assistant"].items())
            if (k != "content" && k != "role")
                final[k] = v;

    json out = json::object();
    switch (format) {
    case ExportFormat::OpenAi: {
        json messages = json::array();
        for (const json& m : prompt)
            messages.push_back(openAiMessage(m, false));
        messages.push_back(openAiMessage(final, true));
        out["messages"] = std::move(messages);
        break;
    }
    case ExportFormat::ShareGpt: {
        json turns = json::array();
        for (const json& m : prompt)
            appendShareGpt(turns, m, false);
        appendShareGpt(turns, final, true);
        out["conversations"] = std::move(turns);
        break;
    }
    case ExportFormat::R1: {
        const bool plainPrompt = prompt.size() == 1 && prompt[0].value("role", "") == "user"
                                 && prompt[0]["content"] == problem.question && prompt[0].size() == 2;
        if (plainPrompt) {
            out["prompt"] = problem.question;
        } else {
            json messages = json::array();
            for (const json& m : prompt)
                messages.push_back(openAiMessage(m, false));
            out["prompt"] = std::move(messages);
        }
        json completion = openAiMessage(final, true);
        if (completion.size() == 2)
            out["completion"] = completion["content"];
        else
            out["completion"] = json::array({completion});
        break;
    }
    }
    if (extras.contains("tools"))
        out["tools"] = extras["tools"];
    return out;
}

std::uint64_t exportDataset(const store::Workspace& workspace, const std::string& datasetName, ExportFormat format,
                            const std::string& outPath, const ProgressFn& progress)
{
    const auto dataset = workspace.dataset(datasetName);
    if (!dataset)
        throw Error(ErrorCode::NotFound, "no dataset '" + datasetName + "'");
    refuseWorkspaceFile(outPath, workspace.path());
    util::ReplacingFile out(outPath);
    const std::uint64_t total = dataset->sampleIds.size();
    std::uint64_t written = 0;
    std::optional<store::Problem> problem;
    bool cancelled = false;
    workspace.forEachDatasetSample(datasetName, [&](const store::Sample& s) {
        if (!problem || problem->id != s.problemId)
            problem = workspace.problem(s.problemId);
        out.write(exportRecord(*problem, s, format).dump(-1, ' ', false, json::error_handler_t::replace));
        out.write("\n");
        ++written;
        if (progress && written % 256 == 0 && !progress(written, total)) {
            cancelled = true;
            return false;
        }
        return true;
    });
    if (cancelled)
        throw Error(ErrorCode::Cancelled, "export of '" + datasetName + "' cancelled");
    out.commit();
    if (progress)
        progress(written, total);
    return written;
}

}  // namespace distill::formats
