// The job kinds behind the window's job forms: every kind's key description (core/run/spec_schema.h),
// the YAML text of a form's values, the check a spec passes before it starts (the parser the CLI runs),
// the compute devices a form offers and the command line that runs the same spec headless.
#pragma once

#include "core/run/pipeline_edit.h"
#include "core/run/spec_schema.h"

#include <nlohmann/json.hpp>

#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

namespace distill::widgets {

// The job kinds (generate, curate, eval, sft, grpo) and the description of each, registered once
// per process. NotFound error for an unknown kind.
QStringList jobKindNames();
const run::SpecSchema& jobSchema(const QString& kind);

// The spec text of `values` (an object of the kind's keys, as a form holds them) under `name`.
QString jobSpecYaml(const QString& kind, const QString& name, const nlohmann::ordered_json& values);

// A spec text read the way `distillery-cli run` reads it.
struct SpecCheck {
    QString resolvedYaml;  // every default filled in
    QString error;         // the parser's message (line and key); empty when the spec is valid
    bool ok() const { return error.isEmpty(); }
};
SpecCheck checkJobSpec(const QString& yamlText);

// A spec text of `kind` read into a form's values: every key of the schema (defaults filled in,
// optional sections only when given) and the name; `error` says why when it does not read.
struct SpecValues {
    nlohmann::ordered_json values;
    QString name;
    QString error;
};
SpecValues readJobSpec(const QString& kind, const QString& yamlText);

// The stages of a pipeline spec text, for editing each with its kind's form (core/run/pipeline_edit.h);
// empty with `error` set when the text does not read.
std::vector<run::EditableStage> pipelineStages(const QString& yamlText, QString* error);

// "cpu" and the CUDA devices this process sees ("cuda:0", ...).
QStringList computeDevices();

// Shell lines that write the spec to `fileName` and run it as the window would:
// `distillery-cli run FILE --workspace W [--gpus 0,1]`.
QString cliCommand(const QString& yamlText, const QString& fileName, const QString& workspacePath,
                   const QList<int>& gpus = {});

}  // namespace distill::widgets
