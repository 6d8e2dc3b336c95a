// FreezeDialog implementation.
#include "widgets/views/freeze_dialog.h"

#include "core/formats/exporter.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/workspace_queries.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

namespace distill::widgets {

namespace {
const QString kExport = QStringLiteral("export");

// What the dialog reads before a freeze: the recipe's sample count and the datasets' names.
struct FreezeBefore {
    qint64 samples = 0;
    QStringList datasets;
};
}  // namespace

FreezeDialog::FreezeDialog(const QString& workspacePath, const store::SampleQuery& recipe, QWidget* parent)
    : QDialog(parent), m_recipe(recipe), m_jobs(new JobTracker(this)), m_name(new QLineEdit(this)),
      m_recipeView(new QPlainTextEdit(this)), m_count(new QLabel(this)), m_format(new QComboBox(this)),
      m_file(new QLineEdit(this)), m_progress(new QProgressBar(this)), m_status(new QLabel(this))
{
    setWindowTitle(tr("Freeze dataset"));
    resize(560, 460);
    m_name->setPlaceholderText(tr("for example: math-r1-v1"));
    m_recipeView->setReadOnly(true);
    m_recipeView->setPlainText(QString::fromStdString(recipe.toJson().dump(2)));
    m_count->setText(tr("Counting the samples that match the current filter…"));

    m_format->addItem(tr("OpenAI messages (TRL, LLaMA-Factory)"), QStringLiteral("openai"));
    m_format->addItem(tr("ShareGPT conversations"), QStringLiteral("sharegpt"));
    m_format->addItem(tr("Prompt/completion in the R1 template"), QStringLiteral("r1"));
    m_file->setPlaceholderText(tr("leave empty to freeze without exporting"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &FreezeDialog::browse);
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);

    auto* form = new QFormLayout;
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Recipe:"), m_recipeView);
    form->addRow(QString(), m_count);
    form->addRow(tr("Export format:"), m_format);
    form->addRow(tr("Export file:"), fileRow);

    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_status->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_freeze = buttons->addButton(tr("Freeze"), QDialogButtonBox::ActionRole);
    m_freeze->setDefault(true);
    connect(m_freeze, &QPushButton::clicked, this, &FreezeDialog::freeze);
    connect(buttons, &QDialogButtonBox::rejected, this, &FreezeDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    m_freeze->setEnabled(false);  // until the count is read
    connect(m_jobs, &JobTracker::progress, this, [this](quint64, qint64 done, qint64 total) {
        if (total > 0)  // only the export reports progress
            m_progress->setValue(int(1000.0 * double(done) / double(total)));
    });
    m_jobs->setWorkspacePath(workspacePath);
    if (workspacePath.isEmpty())
        return;
    m_jobs->start(
        QStringLiteral("count"),
        [recipe](JobContext& job) {
            return QVariant::fromValue(FreezeBefore{countSamples(job.reader(), recipe), readDatasetNames(job.reader())});
        },
        [this](const QVariant& result, const QString& error) {
            if (!error.isEmpty()) {
                m_count->setText(error);
                return;
            }
            const auto before = result.value<FreezeBefore>();
            m_taken = before.datasets;
            m_count->setText(tr("%n sample(s) match the current filter.", nullptr, int(before.samples)));
            m_ready = true;
            m_freeze->setEnabled(!m_busy);
            emit ready();
        });
}

bool FreezeDialog::isExporting() const
{
    return m_jobs->isRunning(kExport);
}

void FreezeDialog::setName(const QString& name)
{
    m_name->setText(name);
}

void FreezeDialog::setExportFile(const QString& path)
{
    m_file->setText(path);
}

void FreezeDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export dataset"), m_file->text(),
                                                      tr("JSON Lines (*.jsonl)"));
    if (!path.isEmpty())
        m_file->setText(path);
}

bool FreezeDialog::freeze()
{
    const QString name = m_name->text().trimmed();
    if (!m_ready || m_busy) {
        m_status->setText(tr("Wait until the samples are counted."));
        return false;
    }
    if (name.isEmpty()) {
        m_status->setText(tr("Enter a name for the dataset."));
        return false;
    }
    if (m_taken.contains(name)) {
        m_status->setText(tr("A dataset named “%1” exists already; choose another name.").arg(name));
        return false;
    }
    m_busy = true;
    m_freeze->setEnabled(false);
    m_status->setText(tr("Freezing…"));
    m_jobs->enqueue(
        [name, recipe = m_recipe](JobContext& job) { return QVariant::fromValue(freezeDataset(job.writer(), name, recipe)); },
        [this](const QVariant& result, const QString& error) {
            if (!error.isEmpty()) {
                m_busy = false;
                m_freeze->setEnabled(true);
                m_status->setText(tr("Freezing failed: %1").arg(error));
                return;
            }
            const auto dataset = result.value<FrozenDataset>();
            m_taken << dataset.name;
            m_status->setText(tr("Froze %1 samples as “%2” (content hash %3).")
                                  .arg(dataset.samples)
                                  .arg(dataset.name, dataset.contentHash));
            emit frozen(dataset.name);
            m_exportPath = m_file->text().trimmed();
            if (m_exportPath.isEmpty())
                m_busy = false;
            else
                startExport(dataset.name);
        });
    return true;
}

void FreezeDialog::startExport(const QString& name)
{
    // The export reads through its own connection on a worker thread (house rule 6).
    const auto format = formats::parseExportFormat(m_format->currentData().toString().toStdString());
    m_status->setText(m_status->text() + QLatin1Char(' ') + tr("Exporting…"));
    m_jobs->start(
        kExport,
        [format, datasetName = name.toStdString(), out = m_exportPath.toStdString()](JobContext& job) {
            return QVariant(qulonglong(formats::exportDataset(job.reader(), datasetName, format, out, job.progressFn())));
        },
        [this](const QVariant& result, const QString& error) {
            m_busy = false;
            const quint64 records = error.isEmpty() ? result.toULongLong() : 0;
            if (error.isEmpty()) {
                m_progress->setValue(m_progress->maximum());
                m_status->setText(tr("Exported %1 records to %2.").arg(records).arg(m_exportPath));
            } else {
                m_status->setText(tr("Export failed: %1").arg(error));
            }
            emit exportFinished(m_exportPath, records, error);
        });
}

}  // namespace distill::widgets
