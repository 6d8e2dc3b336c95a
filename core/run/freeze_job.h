// The freeze job (`kind: freeze`): the samples matching a query frozen as a named dataset (the input
// of SFT). In a pipeline it joins a generation or curation stage to the training stage after it.
#pragma once

#include "core/run/job_registry.h"
#include "core/store/sample_query.h"

#include <string>

namespace distill::run {

struct FreezeSpec {
    std::string name = "freeze";
    std::string dataset;        // the dataset's name; "{count}" is replaced by the number of samples
    store::SampleQuery query;
};

// A `query:` section selecting samples (source, status, verdict, origin, origin detail, search),
// with the status and verdict it selects by default ("any" for none); and its values read back.
KeyDoc sampleQuerySection(const std::string& group, const std::string& status, const std::string& verdict);
store::SampleQuery readSampleQuery(const nlohmann::ordered_json& section);

const SpecSchema& freezeSchema();
FreezeSpec readFreezeSpec(const ResolvedSpec& spec, const std::string& name);
void registerFreezeJob(JobRegistry& registry);

class FreezeJob : public Job {
public:
    explicit FreezeJob(FreezeSpec spec) : m_spec(std::move(spec)) {}

    std::string kind() const override { return "freeze"; }
    std::string name() const override { return m_spec.name; }
    // Summary: {"dataset": name, "samples": n, "reused": whether it existed}. A dataset of that name
    // already frozen is reused as it is (frozen datasets never change).
    JobOutcome run(JobContext& context) override;

private:
    FreezeSpec m_spec;
};

}  // namespace distill::run
