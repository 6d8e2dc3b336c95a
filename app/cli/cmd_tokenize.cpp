// distillery-cli tokenize: JSONL {"text"} -> {"ids"} (or --decode: {"ids"} -> {"text"}) with a
// Hugging Face tokenizer folder, one output line per input line, in order.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <iostream>

using namespace distill;

namespace {

const char* const kUsage =
    "Usage: distillery-cli tokenize --tokenizer DIR [--decode] [--add-special-tokens] [--skip-special-tokens] FILE.jsonl\n"
    "\n"
    "Encodes {\"text\": ...} per line into {\"ids\": [...]} per line (add_special_tokens=False unless\n"
    "--add-special-tokens). With --decode, reads {\"ids\": [...]} and writes {\"text\": ...}.\n"
    "DIR holds tokenizer.json (and tokenizer_config.json). FILE '-' reads stdin. A line that cannot\n"
    "be processed gives {\"error\": ...} in its place; the exit status is then 1.\n";

int run(const std::vector<std::string>& argv)
{
    const cli::Args args(argv, {"tokenizer"}, {"decode", "add-special-tokens", "skip-special-tokens"});
    if (args.positional().size() != 1)
        throw Error(ErrorCode::InvalidArgument, "tokenize expects one input file", kUsage);
    const auto tok = tokenizer::Tokenizer::fromDirectory(args.required("tokenizer"));
    const std::string path = args.positional()[0];
    cli::InputFile file(path);
    std::istream& in = file.stream();
    const bool decode = args.flag("decode");
    const bool addSpecial = args.flag("add-special-tokens");
    const bool skipSpecial = args.flag("skip-special-tokens");
    int failures = 0;
    std::string line;
    for (std::size_t lineNo = 1; std::getline(in, line); ++lineNo) {
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        nlohmann::json out;
        try {
            const auto row = nlohmann::json::parse(line);
            if (decode) {
                if (!row.is_object() || !row.contains("ids") || !row["ids"].is_array())
                    throw Error(ErrorCode::Parse, "expected {\"ids\": [...]}");
                out["text"] = tok->decode(row["ids"].get<std::vector<std::int32_t>>(), skipSpecial);
            } else {
                if (!row.is_object() || !row.contains("text") || !row["text"].is_string())
                    throw Error(ErrorCode::Parse, "expected {\"text\": \"...\"}");
                out["ids"] = tok->encode(row["text"].get<std::string>(), addSpecial);
            }
        } catch (const std::exception& e) {
            out = {{"error", "line " + std::to_string(lineNo) + ": " + e.what()}};
            ++failures;
        }
        std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    std::cout.flush();
    return failures ? 1 : 0;
}

const cli::CommandRegistrar registrar({"tokenize", "encode or decode JSONL with a Hugging Face tokenizer", kUsage, run});

}  // namespace
