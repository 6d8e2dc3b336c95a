// Fuzz target: the LaTeX answer extractor, parser and grader on untrusted model output. The bytes
// are "response\0gold" (gold is "42" without a zero byte); nothing may throw, and for input in valid
// UTF-8 what the grader says (the answer it compared, its reason) is valid UTF-8 too: it is written as
// JSON, where nlohmann's dump() refuses anything else.
#include "core/verify/grader.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace distill;

namespace {

bool isUtf8(std::string_view s)
{
    try {
        (void)nlohmann::json(std::string(s)).dump();
        return true;
    } catch (const nlohmann::json::type_error&) {
        return false;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::size_t zero = bytes.find('\0');
    const std::string_view response = bytes.substr(0, zero);
    const std::string_view gold = zero == std::string_view::npos ? std::string_view("42") : bytes.substr(zero + 1);
    const verify::GradeResult result = verify::grade(response, gold);
    const verify::Extraction extraction = verify::extractAnswer(response);
    verify::parsesAsMath(gold);
    if (isUtf8(response) && isUtf8(gold))  // throws (a crash for the fuzzer) on invalid UTF-8
        (void)nlohmann::json{{"answer", result.predAnswer}, {"reason", result.reason}, {"extracted", extraction.answer}}.dump();
    return 0;
}
