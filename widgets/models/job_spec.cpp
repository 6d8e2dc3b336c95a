// The job kinds of the window's forms.
// core/run's event sink has a member named `emit`, a Qt macro: its headers come before any Qt header.
#include "core/train/job_kinds.h"

#include "widgets/models/job_spec.h"

#include "core/model/precision.h"
#include "widgets/models/error_text.h"

#include <yaml-cpp/yaml.h>

#include <QCoreApplication>
#include <QStringList>

#include <exception>

namespace distill::widgets {

namespace {

// A word the shell passes on unchanged inside single quotes.
QString shellQuoted(const QString& text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

const run::JobRegistry& registry()
{
    static const run::JobRegistry kinds = train::allJobKinds();
    return kinds;
}

}  // namespace

QStringList jobKindNames()
{
    QStringList names;
    for (const std::string& kind : registry().kinds())
        names << QString::fromStdString(kind);
    return names;
}

const run::SpecSchema& jobSchema(const QString& kind)
{
    return registry().schema(kind.toStdString());
}

QString jobSpecYaml(const QString& kind, const QString& name, const nlohmann::ordered_json& values)
{
    return QString::fromStdString(jobSchema(kind).yaml(name.toStdString(), values));
}

SpecCheck checkJobSpec(const QString& yamlText)
{
    SpecCheck check;
    try {
        check.resolvedYaml = QString::fromStdString(registry().parse(yamlText.toStdString())->resolvedYaml());
    } catch (const std::exception& e) {
        check.error = errorMessage(e);
    }
    return check;
}

std::vector<run::EditableStage> pipelineStages(const QString& yamlText, QString* error)
{
    try {
        return run::editableStages(yamlText.toStdString(), registry());
    } catch (const std::exception& e) {
        if (error)
            *error = errorMessage(e);
        return {};
    }
}

SpecValues readJobSpec(const QString& kind, const QString& yamlText)
{
    SpecValues out;
    try {
        const YAML::Node root = YAML::Load(yamlText.toStdString());
        if (root.IsMap() && root["kind"] && root["kind"].Scalar() != kind.toStdString()) {
            out.error = QCoreApplication::translate("distill::widgets::JobSpec", "The spec is of kind '%1', not '%2'.")
                            .arg(QString::fromStdString(root["kind"].Scalar()), kind);
            return out;
        }
        out.values = jobSchema(kind).resolve(root).values;
        out.name = root.IsMap() && root["name"] ? QString::fromStdString(root["name"].Scalar()) : kind;
    } catch (const std::exception& e) {
        out.error = errorMessage(e);
    }
    return out;
}

QStringList computeDevices()
{
    QStringList devices{QStringLiteral("cpu")};
    for (const std::string& d : model::cudaDevices())
        devices << QString::fromStdString(d);
    return devices;
}

QString cliCommand(const QString& yamlText, const QString& fileName, const QString& workspacePath, const QList<int>& gpus)
{
    QString text = yamlText;
    if (!text.endsWith(QLatin1Char('\n')))
        text += QLatin1Char('\n');
    QString command = QStringLiteral("cat > %1 <<'EOF'\n%2EOF\ndistillery-cli run %1 --workspace %3")
                          .arg(shellQuoted(fileName), text, shellQuoted(workspacePath));
    if (!gpus.isEmpty()) {
        QStringList ids;
        for (const int gpu : gpus)
            ids << QString::number(gpu);
        command += QStringLiteral(" --gpus ") + ids.join(QLatin1Char(','));
    }
    return command + QLatin1Char('\n');
}

}  // namespace distill::widgets
