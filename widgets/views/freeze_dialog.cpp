// FreezeDialog implementation.
#include "widgets/views/freeze_dialog.h"

#include "core/formats/exporter.h"
#include "core/store/workspace.h"
#include "widgets/models/error_text.h"

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
#include <QThread>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

namespace distill::widgets {

FreezeDialog::FreezeDialog(store::Workspace* workspace, const store::SampleQuery& recipe, QWidget* parent)
    : QDialog(parent), m_workspace(workspace), m_recipe(recipe), m_name(new QLineEdit(this)),
      m_recipeView(new QPlainTextEdit(this)), m_count(new QLabel(this)), m_format(new QComboBox(this)),
      m_file(new QLineEdit(this)), m_progress(new QProgressBar(this)), m_status(new QLabel(this))
{
    setWindowTitle(tr("Freeze dataset"));
    resize(560, 460);
    m_name->setPlaceholderText(tr("for example: math-r1-v1"));
    m_recipeView->setReadOnly(true);
    m_recipeView->setPlainText(QString::fromStdString(recipe.toJson().dump(2)));
    try {
        m_count->setText(tr("%n sample(s) match the current filter.", nullptr,
                            int(workspace ? workspace->countSamples(recipe) : 0)));
    } catch (const std::exception& e) {
        m_count->setText(errorMessage(e));
    }

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
}

FreezeDialog::~FreezeDialog()
{
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
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
    if (!m_workspace || name.isEmpty() || m_thread) {
        m_status->setText(tr("Enter a name for the dataset."));
        return false;
    }
    store::Dataset dataset;
    try {
        dataset = m_workspace->freezeDataset(name.toStdString(), m_recipe);
    } catch (const std::exception& e) {
        m_status->setText(tr("Freezing failed: %1").arg(errorMessage(e)));
        return false;
    }
    m_status->setText(tr("Froze %1 samples as “%2” (content hash %3).")
                          .arg(dataset.sampleIds.size())
                          .arg(name, QString::fromStdString(dataset.contentHash)));
    m_freeze->setEnabled(false);
    emit frozen(name);

    m_exportPath = m_file->text().trimmed();
    if (m_exportPath.isEmpty())
        return true;
    // The export reads through its own connection on a worker thread (house rule 6).
    const quint64 jobId = ++m_jobId;
    const auto format = formats::parseExportFormat(m_format->currentData().toString().toStdString());
    m_thread = QThread::create([this, jobId, format, ws = m_workspace->path(), datasetName = name.toStdString(),
                                out = m_exportPath.toStdString()] {
        quint64 records = 0;
        QString error;
        try {
            const auto reader = store::Workspace::open(ws, store::OpenMode::ReadOnly);
            int shown = -1;  // post progress only when the permille changes
            records = formats::exportDataset(reader, datasetName, format, out, [&](std::uint64_t done, std::uint64_t total) {
                const int permille = total > 0 ? int(1000 * done / total) : 0;
                if (permille != shown) {
                    shown = permille;
                    QMetaObject::invokeMethod(this, [this, jobId, done, total] { onExportProgress(jobId, done, total); },
                                              Qt::QueuedConnection);
                }
                return true;
            });
        } catch (const std::exception& e) {
            error = errorMessage(e);
        }
        QMetaObject::invokeMethod(this, [this, jobId, records, error] { onExportDone(jobId, records, error); },
                                  Qt::QueuedConnection);
    });
    m_status->setText(m_status->text() + QLatin1Char(' ') + tr("Exporting…"));
    m_thread->start();
    return true;
}

void FreezeDialog::onExportProgress(quint64 jobId, quint64 done, quint64 total)
{
    if (jobId == m_jobId && total > 0)
        m_progress->setValue(int(1000.0 * double(done) / double(total)));
}

void FreezeDialog::onExportDone(quint64 jobId, quint64 records, const QString& error)
{
    if (jobId != m_jobId)
        return;
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
    if (error.isEmpty()) {
        m_progress->setValue(m_progress->maximum());
        m_status->setText(tr("Exported %1 records to %2.").arg(records).arg(m_exportPath));
    } else {
        m_status->setText(tr("Export failed: %1").arg(error));
    }
    emit exportFinished(m_exportPath, records, error);
}

}  // namespace distill::widgets
