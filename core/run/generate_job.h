// The generation job (`kind: generate`): asks a teacher for samples of selected problems, verifies and
// filters each one as it arrives and commits it to the workspace at once. Units are keyed by
// (problem, teacher, sample index), so a rerun or a resumed run only does what is missing.
#pragma once

#include "core/run/generate_spec.h"
#include "core/run/job_registry.h"
#include "core/run/teacher.h"
#include "core/store/records.h"

#include <memory>
#include <vector>

namespace distill::run {

// Adds `kind: generate` to the registry.
void registerGenerateJob(JobRegistry& registry);

inline constexpr const char* kToySource = "toy";  // problem source of the toy domain

// Creates the set's toy problems in the workspace where missing (source "toy", one transaction) and
// returns them in seed order, each question once.
std::vector<store::Problem> ensureToyProblems(store::Workspace& ws, const toy::ToyProblemSet& set);

// The teacher a spec asks for (toy in-process, openai over HTTP); the HTTP teacher follows the job's
// stop request and logs its retries to the job's events.
std::unique_ptr<Teacher> makeTeacher(const TeacherChoice& choice, JobContext& ctx);

class GenerateJob : public Job {
public:
    explicit GenerateJob(GenerateSpec spec) : m_spec(std::move(spec)) {}

    std::string kind() const override { return "generate"; }
    std::string name() const override { return m_spec.name; }
    JobOutcome run(JobContext& context) override;

    const GenerateSpec& spec() const { return m_spec; }

private:
    GenerateSpec m_spec;
};

}  // namespace distill::run
