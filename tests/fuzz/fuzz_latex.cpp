// Fuzz target: the LaTeX answer extractor, parser and grader on untrusted model output. The bytes
// are "response\0gold" (gold is "42" without a zero byte); nothing may throw.
#include "core/verify/grader.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace distill;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const std::size_t zero = bytes.find('\0');
    const std::string_view response = bytes.substr(0, zero);
    const std::string_view gold = zero == std::string_view::npos ? std::string_view("42") : bytes.substr(zero + 1);
    verify::grade(response, gold);
    verify::extractAnswer(response);
    verify::parsesAsMath(gold);
    return 0;
}
