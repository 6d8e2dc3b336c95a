// Plain record types of the workspace store (problems, samples, edits, datasets, runs, metrics,
// evaluation results) and the enums stored in their columns, with their text names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::store {

// Where a sample came from. Stored as text: "teacher", "import", "human", "reference".
enum class Origin { Teacher, Import, Human, Reference };
// Whether the sample's final answer matches the reference. Text: "unknown", "correct", "incorrect".
enum class Verdict { Unknown, Correct, Incorrect };
// Curation state. Text: "candidate", "accepted", "rejected".
enum class SampleStatus { Candidate, Accepted, Rejected };
// Kind of a job run. Text: "generate", "sft", "grpo", "eval".
enum class RunKind { Generate, Sft, Grpo, Eval, Curate, Freeze, Pipeline, Judge };

std::string_view originName(Origin origin);
std::string_view verdictName(Verdict verdict);
std::string_view statusName(SampleStatus status);
std::string_view runKindName(RunKind kind);
// Parse the text names above; unknown text is an InvalidArgument error.
Origin parseOrigin(std::string_view text);
Verdict parseVerdict(std::string_view text);
SampleStatus parseStatus(std::string_view text);
RunKind parseRunKind(std::string_view text);

// Milliseconds since the Unix epoch (all timestamps in the store use this).
std::int64_t nowMs();

struct Problem {
    std::int64_t id = 0;
    std::string source;             // benchmark or import name: "aime24", "gsm8k", "star1-r1-safety", ...
    std::string externalId;         // id in the source ("2024-I-1"), may be empty
    std::string domain;             // "math", "code", "safety", ... (may be empty)
    std::string question;
    std::string referenceAnswer;
    std::string referenceSolution;
    std::optional<double> difficulty;  // e.g. MATH level 1..5
    std::vector<std::string> tags;
};

struct Sample {
    std::int64_t id = 0;
    std::int64_t problemId = 0;
    Origin origin = Origin::Import;
    std::string originDetail;       // model name, file name, editor...
    std::string messagesJson = "[]";  // prompt: the OpenAI-style messages before the final assistant turn
    std::string thinking;           // reasoning of the final assistant turn (no tags)
    std::string answer;             // visible answer of the final assistant turn (no tags)
    std::string rawText;            // the unsplit response text when tags were split out of it, else empty
    std::string extrasJson = "{}";  // record fields without a column (tools, final tool_calls, scores...)
    std::int64_t thinkingTokens = 0;
    std::int64_t answerTokens = 0;
    Verdict verdict = Verdict::Unknown;
    std::string rejectReason;
    std::string flagsJson = "{}";   // filter flags and scores, e.g. {"dup": true, "readability": 0.8}
    SampleStatus status = SampleStatus::Candidate;
    std::int64_t createdAt = 0;     // ms since epoch; set by the store when 0
    std::int64_t updatedAt = 0;
    // Generated samples: the unit of work that wrote it (teacher, problem, sample index), unique in the
    // workspace; empty for others. Written by insertSample, not read back.
    std::string unitKey;
};

// The key of a generation unit.
std::string generationUnitKey(const std::string& teacher, std::int64_t problemId, std::int64_t sampleIndex);

// One row of the sample browser: everything but the long texts.
struct SampleRow {
    std::int64_t id = 0;
    std::int64_t problemId = 0;
    std::string source;
    std::string questionPreview;    // first ~160 characters (UTF-8 safe) of the problem's question
    Verdict verdict = Verdict::Unknown;
    SampleStatus status = SampleStatus::Candidate;
    std::int64_t thinkingTokens = 0;
    std::int64_t answerTokens = 0;
    Origin origin = Origin::Import;
    std::string originDetail;
    std::string rejectReason;
    std::string flagsJson = "{}";
};

// Text fields of a sample that can be edited (each edit is recorded and can be undone).
enum class SampleField { Thinking, Answer, RejectReason };
std::string_view sampleFieldName(SampleField field);  // "thinking", "answer", "reject_reason"
SampleField parseSampleField(std::string_view text);

struct EditRecord {
    std::int64_t id = 0;
    std::int64_t sampleId = 0;
    SampleField field = SampleField::Answer;
    std::string before;
    std::string after;
    std::int64_t time = 0;          // ms since epoch
};

struct Dataset {
    std::int64_t id = 0;
    std::string name;
    std::string contentHash;        // 16 hex digits: XXH3-64 over the samples' contents, in id order
    std::string recipeJson;         // the SampleQuery that selected the samples, as JSON
    std::vector<std::int64_t> sampleIds;
    std::int64_t createdAt = 0;
};

struct Run {
    std::int64_t id = 0;
    RunKind kind = RunKind::Sft;
    std::string name;
    std::string config;             // the resolved job config (YAML text)
    std::string status;             // "pending", "running", "finished", "failed", "stopped"; "crashed"
                                    // when read: a running row whose process (on this host) is gone
    std::string folder;             // run folder on disk
    std::string owner;              // the process running it: {"host", "pid", "start"} as JSON; '' when none
    std::int64_t parentId = 0;      // the pipeline run this run is a stage of; 0: none
    std::string stage;              // its stage's name in that pipeline
    std::string summary;            // the summary it ended with (JSON); '' until it ends
    std::int64_t createdAt = 0;
};

struct Metric {
    std::int64_t runId = 0;
    std::int64_t step = 0;
    std::string name;
    double value = 0.0;
    std::int64_t time = 0;          // ms since epoch; set by the store when 0
};

struct EvalResult {
    std::int64_t id = 0;
    std::int64_t runId = 0;
    std::string checkpoint;
    std::string benchmark;          // a problem source, e.g. "aime24"
    std::int64_t problemId = 0;
    std::int64_t sampleIndex = 0;   // k-th response for pass@k
    std::string extractedAnswer;
    bool correct = false;
    std::int64_t responseTokens = 0;
};

// Problem and sample counts of one source.
struct SourceCount {
    std::string source;
    std::int64_t problems = 0;
    std::int64_t samples = 0;
};

struct Summary {
    std::int64_t problems = 0;
    std::int64_t samples = 0;
    std::int64_t datasets = 0;
    std::int64_t runs = 0;
    std::vector<SourceCount> sources;  // sorted by source name
    std::vector<std::pair<std::string, std::int64_t>> byStatus;   // status name -> samples
    std::vector<std::pair<std::string, std::int64_t>> byVerdict;  // verdict name -> samples
    std::vector<std::pair<std::string, std::int64_t>> byOrigin;   // origin name -> samples
};

}  // namespace distill::store
