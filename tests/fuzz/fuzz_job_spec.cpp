// Fuzz target: bytes as a job spec (YAML) read by every job kind's strict reader; a bad spec must
// be a distill::Error, never another exception or a crash.
#include "core/train/job_kinds.h"
#include "core/util/error.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace distill;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const run::JobRegistry kinds = train::allJobKinds();
    try {
        kinds.parse(std::string(reinterpret_cast<const char*>(data), size));
    } catch (const Error&) {
    }
    return 0;
}
