// Fuzz target: bytes as a model's config.json, read into a ModelConfig and written back.
#include "core/model/model_config.h"
#include "core/util/error.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace distill;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        const model::ModelConfig config =
            model::ModelConfig::fromJsonText(std::string_view(reinterpret_cast<const char*>(data), size), "config.json");
        config.parameterCount();
        config.toJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } catch (const Error&) {
    }
    return 0;
}
