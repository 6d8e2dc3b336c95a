// Fuzz target: bytes as the start of a safetensors file (size prefix, JSON header, data), checked
// against their own length: every accepted tensor's byte range must lie inside the data section.
#include "core/model/safetensors_header.h"
#include "core/util/error.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace distill;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const model::SafetensorsHeader header = model::parseSafetensorsHeader(data, size, "fuzz.safetensors");
        for (const auto& [name, t] : header.tensors)
            if (t.begin > t.end || header.dataOffset > size || t.end > size - header.dataOffset)
                std::abort();
    } catch (const Error&) {
    }
    return 0;
}
