#include "widgets/views/train_page.h"

#include "widgets/models/job_tracker.h"
#include "widgets/models/workspace_queries.h"
#include "widgets/views/job_form.h"

#include <QDir>

namespace distill::widgets {

TrainPage::TrainPage(QWidget* parent)
    : RunPage(QStringLiteral("sft"),
              {{tr("Loss"), {QStringLiteral("train/loss"), QStringLiteral("eval/loss")}},
               {tr("Learning rate"), {QStringLiteral("train/lr")}},
               {tr("Gradient norm"), {QStringLiteral("train/grad_norm")}},
               {tr("Tokens/s"), {QStringLiteral("train/tokens_per_s")}}},
              parent)
{
    JobForm* f = form();
    // A toy student from scratch until another model is chosen: it trains on any CPU in minutes.
    const QString toy = toyResourcesDir();
    if (!toy.isEmpty()) {
        const QString config = QDir(toy).filePath(QStringLiteral("student_config.json"));
        f->setValue(QStringLiteral("model.path"), config.toStdString());
        f->setValue(QStringLiteral("model.tokenizer"), toy.toStdString());
        f->setSuggestions(QStringLiteral("model.path"), {config});
    }
    f->setBrowse(QStringLiteral("teacher.path"), KeyField::Browse::Folder);
    f->setBrowse(QStringLiteral("data.jsonl"), KeyField::Browse::File);
    buildLayout(monitor(), nullptr, 2, 5);
}

QString TrainPage::title() const
{
    return tr("Train");
}

void TrainPage::reload()
{
    monitor()->refresh();
    if (!hasWorkspace())
        return;
    jobs()->start(
        QStringLiteral("datasets"), [](JobContext& job) { return QVariant(readDatasetNames(job.reader())); },
        [this](const QVariant& result, const QString& error) {
            if (!error.isEmpty())
                emit statusMessage(error);
            else
                form()->setSuggestions(QStringLiteral("data.datasets[].name"), result.toStringList());
        });
}

void TrainPage::setSourceCounts(const QVariantList& sources)
{
    form()->setSuggestions(QStringLiteral("benchmark_eval.benchmarks"), benchmarkNames(sources));
}

QString TrainPage::toyResourcesDir()
{
    const QString resources = bundledResourcesDir();
    return resources.isEmpty() ? QString() : QDir(resources).filePath(QStringLiteral("toy"));
}

}  // namespace distill::widgets
