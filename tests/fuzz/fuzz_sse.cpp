// Fuzz target: bytes as a teacher's HTTP answer: an event stream fed in pieces of varying size to the
// SSE decoder and the chat accumulator, the whole body as a response, and as an error body.
#include "core/teacher/chat_response.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace distill;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    teacher::SseDecoder decoder;
    teacher::ChatAccumulator stream("reasoning_content", "sk-secret");
    std::size_t at = 0;
    for (std::size_t piece = 1; at < bytes.size(); piece = piece * 3 % 64 + 1) {
        for (const auto& event : decoder.feed(bytes.substr(at, piece)))
            stream.applyEvent(event);
        at += piece;
    }
    for (const auto& event : decoder.finish())
        stream.applyEvent(event);
    stream.allFinished(2);
    teacher::ChatAccumulator whole("reasoning", "sk-secret");
    whole.applyResponse(bytes);
    whole.hasChoices(1);
    teacher::serverErrorMessage(bytes, "sk-secret");
    return 0;
}
