// Fuzz target: bytes as a tokenizer.json; one that loads encodes and decodes a fixed text.
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace distill;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const auto tokenizer =
            tokenizer::Tokenizer::fromJsonText(std::string_view(reinterpret_cast<const char*>(data), size));
        const auto encoding = tokenizer->encodeWithOffsets("Hello, world! 12 + 30 = 42\n<think>Wait…</think>", true);
        tokenizer->decode(encoding.ids, true);
        tokenizer->decode({0, 1, 2, 255, 256, 100000, -1});
        tokenizer->vocabSize();
    } catch (const Error&) {
    }
    return 0;
}
