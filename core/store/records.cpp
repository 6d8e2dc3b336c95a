#include "core/store/records.h"

#include "core/util/error.h"

#include <array>
#include <chrono>

namespace distill::store {

namespace {

template <typename Enum, std::size_t N>
Enum parseName(std::string_view text, const std::array<std::string_view, N>& names, std::string_view what)
{
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == text)
            return Enum(i);
    std::string valid;
    for (const auto& n : names)
        valid += (valid.empty() ? "" : ", ") + std::string(n);
    throw Error(ErrorCode::InvalidArgument, "unknown " + std::string(what) + " '" + std::string(text) + "'",
                "expected one of: " + valid);
}

constexpr std::array<std::string_view, 4> kOrigins = {"teacher", "import", "human", "reference"};
constexpr std::array<std::string_view, 3> kVerdicts = {"unknown", "correct", "incorrect"};
constexpr std::array<std::string_view, 3> kStatuses = {"candidate", "accepted", "rejected"};
constexpr std::array<std::string_view, 8> kRunKinds = {"generate", "sft", "grpo", "eval", "curate", "freeze", "pipeline", "judge"};
constexpr std::array<std::string_view, 3> kFields = {"thinking", "answer", "reject_reason"};

}  // namespace

std::string_view originName(Origin origin) { return kOrigins[std::size_t(origin)]; }
std::string_view verdictName(Verdict verdict) { return kVerdicts[std::size_t(verdict)]; }
std::string_view statusName(SampleStatus status) { return kStatuses[std::size_t(status)]; }
std::string_view runKindName(RunKind kind) { return kRunKinds[std::size_t(kind)]; }
std::string_view sampleFieldName(SampleField field) { return kFields[std::size_t(field)]; }

Origin parseOrigin(std::string_view text) { return parseName<Origin>(text, kOrigins, "origin"); }
Verdict parseVerdict(std::string_view text) { return parseName<Verdict>(text, kVerdicts, "verdict"); }
SampleStatus parseStatus(std::string_view text) { return parseName<SampleStatus>(text, kStatuses, "status"); }
RunKind parseRunKind(std::string_view text) { return parseName<RunKind>(text, kRunKinds, "run kind"); }
SampleField parseSampleField(std::string_view text) { return parseName<SampleField>(text, kFields, "sample field"); }

std::int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string generationUnitKey(const std::string& teacher, std::int64_t problemId, std::int64_t sampleIndex)
{
    return teacher + '\x1f' + std::to_string(problemId) + '\x1f' + std::to_string(sampleIndex);
}

}  // namespace distill::store
