// distillery-cli chat: renders a conversation with the chat template of a tokenizer folder, exactly
// as transformers' apply_chat_template does; optionally with ids and assistant spans as JSON.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "core/util/json_depth.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

using namespace distill;

namespace {

const char* const kUsage =
    "Usage: distillery-cli chat --tokenizer DIR [--generation-prompt] [--think-prefill] [--kwargs JSON]\n"
    "                           [--date YYYY-MM-DD] [--json] conversation.json\n"
    "\n"
    "Prints the conversation rendered by the chat_template of DIR/tokenizer_config.json.\n"
    "conversation.json is {\"messages\": [...]} (optionally with \"kwargs\") or a bare array of messages.\n"
    "  --generation-prompt  add_generation_prompt=True\n"
    "  --think-prefill      with --generation-prompt: end the prompt in \"<think>\\n\" if the template does not\n"
    "  --kwargs JSON        extra template variables, e.g. '{\"enable_thinking\": false}'\n"
    "  --date YYYY-MM-DD    the date strftime_now reports (default: today)\n"
    "  --json               print {\"text\", \"ids\", \"assistant_spans\"} instead of the text\n";

nlohmann::ordered_json readJson(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw Error(ErrorCode::NotFound, "cannot open " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    util::checkJsonDepth(ss.str(), path);
    try {
        return nlohmann::ordered_json::parse(ss.str());
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::Parse, path + " is not valid JSON: " + e.what());
    }
}

std::time_t parseDate(const std::string& date)
{
    std::tm tm{};
    std::istringstream ss(date);
    ss >> std::get_time(&tm, "%Y-%m-%d");
    if (ss.fail())
        throw Error(ErrorCode::InvalidArgument, "--date expects YYYY-MM-DD, got '" + date + "'");
    tm.tm_hour = 12;
    tm.tm_isdst = -1;
    return std::mktime(&tm);
}

int run(const std::vector<std::string>& argv)
{
    const cli::Args args(argv, {"tokenizer", "kwargs", "date"}, {"generation-prompt", "think-prefill", "json"});
    if (args.positional().size() != 1)
        throw Error(ErrorCode::InvalidArgument, "chat expects one conversation file", kUsage);
    const auto tok = tokenizer::Tokenizer::fromDirectory(args.required("tokenizer"));
    auto chat = tokenizer::ChatTemplate::fromTokenizer(*tok);
    if (const auto date = args.value("date"))
        chat.setNow(parseDate(*date));

    const auto doc = readJson(args.positional()[0]);
    nlohmann::ordered_json messages = doc.is_array() ? doc : doc.value("messages", nlohmann::ordered_json());
    nlohmann::ordered_json kwargs = doc.is_object() ? doc.value("kwargs", nlohmann::ordered_json::object())
                                                    : nlohmann::ordered_json::object();
    if (const auto extra = args.value("kwargs")) {
        try {
            // Parsed into a named object first: a range-for over a temporary's items() would
            // iterate a destroyed object (C++20 extends only the outermost temporary's life).
            const nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(*extra);
            for (const auto& [k, v] : parsed.items())
                kwargs[k] = v;
        } catch (const nlohmann::json::exception& e) {
            throw Error(ErrorCode::InvalidArgument, std::string("--kwargs is not a JSON object: ") + e.what());
        }
    }
    const bool generation = args.flag("generation-prompt");
    std::string text;
    if (generation)
        text = chat.generationPrompt(messages, args.flag("think-prefill"), kwargs).text;
    else
        text = chat.render(messages, false, kwargs);

    if (!args.flag("json")) {
        std::cout << text;
        std::cout.flush();
        return 0;
    }
    nlohmann::ordered_json out;
    out["text"] = text;
    out["ids"] = tok->encode(text, false);
    if (!generation) {
        const auto rendered = chat.renderWithSpans(messages, kwargs);
        out["assistant_spans"] = nlohmann::ordered_json::array();
        for (const auto& s : rendered.assistantSpans)
            out["assistant_spans"].push_back({{"message", s.messageIndex},
                                              {"begin", s.begin},
                                              {"end", s.end},
                                              {"token_begin", s.tokenBegin},
                                              {"token_end", s.tokenEnd}});
    }
    std::cout << out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    return 0;
}

const cli::CommandRegistrar registrar({"chat", "render a conversation with a model's chat template", kUsage, run});

}  // namespace
