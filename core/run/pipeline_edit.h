// Editing one stage of a pipeline's spec text with the stage kind's form (the window's Pipeline page):
// the stages as a form shows them, and the text with an edited stage written back. The rest of the
// text stays as it was (comments too), and a value the edit did not change keeps what was written,
// so its ${vars.NAME} reference survives.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace distill::run {

class JobRegistry;

struct EditableStage {
    std::string name, kind;
    nlohmann::json written;  // the stage's spec as the text has it (${vars.*}, ${resources} kept)
    nlohmann::json shown;    // as the stage runs it: ${vars.*} and ${resources} filled in, the name set
};

// The stages of a pipeline spec text, checked as the pipeline's parser checks them (InvalidArgument
// with the line when the text does not read).
std::vector<EditableStage> editableStages(const std::string& pipelineYaml, const JobRegistry& stages);

// The value of a stage spec after an edit. `full` is every key the stage's form holds (defaults
// filled in, in schema order) and `changed` those that differ from their defaults. A key whose value
// equals what the form was shown keeps what was written; a key the form no longer holds (an optional
// section switched off) is dropped; a key not written before is added when it is not its default.
nlohmann::ordered_json mergeStageEdit(const EditableStage& stage, const nlohmann::ordered_json& full,
                                      const nlohmann::ordered_json& changed);

// The pipeline text with stage `index`'s `spec:` block replaced by `spec` (block YAML), every other
// line kept.
std::string withStageSpec(const std::string& pipelineYaml, std::size_t index, const nlohmann::ordered_json& spec);

}  // namespace distill::run
