// ImportDialog implementation.
#include "widgets/views/import_dialog.h"

#include "widgets/models/import_job.h"
#include "widgets/models/import_preview.h"
#include "widgets/models/job_tracker.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace distill::widgets {

namespace {
QString formatText(formats::RecordFormat format)
{
    switch (format) {
    case formats::RecordFormat::Auto: return ImportDialog::tr("Auto-detect");
    case formats::RecordFormat::OpenAi: return ImportDialog::tr("OpenAI messages");
    case formats::RecordFormat::ShareGpt: return ImportDialog::tr("ShareGPT conversations");
    case formats::RecordFormat::Alpaca: return ImportDialog::tr("Alpaca instructions");
    case formats::RecordFormat::Reasoning: return ImportDialog::tr("Reasoning traces");
    case formats::RecordFormat::Problems: return ImportDialog::tr("Problem set");
    }
    return {};
}

QString elided(const std::string& text, int length = 200)
{
    const QString s = QString::fromStdString(text).simplified();
    return s.size() > length ? s.left(length) + QStringLiteral("…") : s;
}

QString durationText(double seconds)
{
    const int s = int(seconds + 0.5);
    return s >= 3600 ? ImportDialog::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60)
           : s >= 60 ? ImportDialog::tr("%1 min %2 s").arg(s / 60).arg(s % 60)
                     : ImportDialog::tr("%1 s").arg(s);
}
}  // namespace

ImportDialog::ImportDialog(const QString& workspacePath, QWidget* parent)
    : QDialog(parent), m_workspacePath(workspacePath), m_job(new ImportJob(this)), m_previews(new JobTracker(this)),
      m_file(new QLineEdit(this)),
      m_format(new QComboBox(this)), m_target(new QComboBox(this)), m_source(new QLineEdit(this)),
      m_detected(new QLabel(this)), m_preview(new QTableWidget(this)), m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)), m_errors(new QTreeWidget(this))
{
    setWindowTitle(tr("Import records"));
    resize(900, 640);

    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &ImportDialog::browse);
    connect(m_file, &QLineEdit::editingFinished, this, &ImportDialog::refreshPreview);
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);

    m_format->addItem(formatText(formats::RecordFormat::Auto), int(formats::RecordFormat::Auto));
    for (auto f : formats::concreteRecordFormats())
        m_format->addItem(formatText(f), int(f));
    connect(m_format, &QComboBox::currentIndexChanged, this, &ImportDialog::refreshPreview);
    m_target->addItem(tr("Auto (samples when responses exist)"), int(formats::ImportTarget::Auto));
    m_target->addItem(tr("Problems only"), int(formats::ImportTarget::Problems));
    m_target->addItem(tr("Problems and samples"), int(formats::ImportTarget::Samples));
    connect(m_target, &QComboBox::currentIndexChanged, this, &ImportDialog::refreshPreview);
    m_source->setPlaceholderText(tr("default: the file name"));

    auto* form = new QFormLayout;
    form->addRow(tr("File:"), fileRow);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("Create:"), m_target);
    form->addRow(tr("Source name:"), m_source);

    m_preview->setColumnCount(4);
    m_preview->setHorizontalHeaderLabels({tr("Line"), tr("Question"), tr("Thinking"), tr("Answer")});
    m_preview->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_preview->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_preview->verticalHeader()->hide();
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->setWordWrap(true);
    // Three lines per record, whatever its length; the tooltip has the whole text.
    m_preview->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_preview->verticalHeader()->setDefaultSectionSize(3 * m_preview->fontMetrics().lineSpacing() + 8);
    auto* previewBox = new QGroupBox(tr("Preview of the first records"), this);
    auto* previewLayout = new QVBoxLayout(previewBox);
    previewLayout->addWidget(m_detected);
    previewLayout->addWidget(m_preview);

    m_errors->setColumnCount(2);
    m_errors->setHeaderLabels({tr("Line"), tr("Reason")});
    m_errors->setRootIsDecorated(false);
    m_errors->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    auto* errorBox = new QGroupBox(tr("Problems found"), this);
    (new QVBoxLayout(errorBox))->addWidget(m_errors);

    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_status->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(this);
    m_import = buttons->addButton(tr("Import"), QDialogButtonBox::AcceptRole);
    m_cancel = buttons->addButton(tr("Cancel import"), QDialogButtonBox::ActionRole);
    m_close = buttons->addButton(QDialogButtonBox::Close);
    m_import->setDefault(true);
    connect(m_import, &QPushButton::clicked, this, &ImportDialog::startImport);
    connect(m_cancel, &QPushButton::clicked, this, &ImportDialog::cancelImport);
    connect(m_close, &QPushButton::clicked, this, &ImportDialog::reject);

    connect(m_job, &ImportJob::progress, this, &ImportDialog::onProgress);
    connect(m_job, &ImportJob::finished, this, &ImportDialog::onFinished);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(previewBox, 3);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(errorBox, 1);
    layout->addWidget(buttons);
    setRunning(false);
}

ImportDialog::~ImportDialog() = default;

void ImportDialog::browse()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import records"), m_file->text(),
                                                      tr("JSON Lines or JSON (*.jsonl *.json);;All files (*)"));
    if (!path.isEmpty())
        setFile(path);
}

void ImportDialog::setFile(const QString& path)
{
    m_file->setText(path);
    refreshPreview();
}

void ImportDialog::setFormat(formats::RecordFormat format)
{
    m_format->setCurrentIndex(std::max(0, m_format->findData(int(format))));
}

formats::ImportOptions ImportDialog::options() const
{
    formats::ImportOptions o;
    o.format = formats::RecordFormat(m_format->currentData().toInt());
    o.target = formats::ImportTarget(m_target->currentData().toInt());
    o.source = m_source->text().trimmed().toStdString();
    return o;
}

void ImportDialog::refreshPreview()
{
    m_preview->setRowCount(0);
    m_errors->clear();
    const QString path = m_file->text().trimmed();
    if (path.isEmpty()) {
        m_detected->clear();
        return;
    }
    m_detected->setText(tr("Reading the first records…"));
    m_previews->start(
        QStringLiteral("preview"),
        [file = path.toStdString(), options = options()](JobContext&) {
            return QVariant::fromValue(previewImport(file, options));
        },
        [this](const QVariant& result, const QString& error) {
            if (!error.isEmpty()) {
                m_detected->setText(error);
                m_import->setEnabled(false);
            } else {
                showPreview(result.value<ImportPreview>());
            }
            emit previewShown();
        });
}

void ImportDialog::showPreview(const ImportPreview& preview)
{
    m_detected->setText(tr("Detected format: %1 · read as: %2").arg(formatText(preview.detected), formatText(preview.used)));
    m_preview->setRowCount(int(preview.rows.size()));
    for (int r = 0; r < int(preview.rows.size()); ++r) {
        const ImportPreviewRow& row = preview.rows[r];
        const QString cells[] = {row.line ? QString::number(row.line) : QString(), elided(row.question),
                                 elided(row.thinking), elided(row.answer)};
        for (int c = 0; c < 4; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setToolTip(cells[c]);
            item->setTextAlignment(Qt::AlignLeft | Qt::AlignTop);
            m_preview->setItem(r, c, item);
        }
    }
    if (isImporting())
        return;  // the list shows the import's bad lines
    showErrors(preview.errors);
    m_import->setEnabled(!m_workspacePath.isEmpty());
}

void ImportDialog::showErrors(const std::vector<formats::ImportError>& errors)
{
    m_errors->clear();
    for (const formats::ImportError& e : errors)
        new QTreeWidgetItem(m_errors, {QString::number(e.line), QString::fromStdString(e.reason)});
}

void ImportDialog::startImport()
{
    const QString path = m_file->text().trimmed();
    if (path.isEmpty() || m_workspacePath.isEmpty())
        return;
    m_report.reset();
    m_errors->clear();
    m_eta = EtaEstimator(10.0);
    m_eta.update(0);
    m_progress->setValue(0);
    m_status->setText(tr("Importing…"));
    setRunning(true);
    m_jobId = m_job->start(m_workspacePath, path, options());
}

void ImportDialog::cancelImport()
{
    if (!isImporting())
        return;
    m_job->cancel();
    m_status->setText(tr("Cancelling…"));
}

bool ImportDialog::isImporting() const
{
    return m_jobId != 0;
}

void ImportDialog::onProgress(quint64 jobId, quint64 done, quint64 total)
{
    if (jobId != m_jobId)
        return;  // a stale job
    m_eta.update(done);
    if (total > 0)
        m_progress->setValue(int(1000.0 * double(done) / double(total)));
    const auto left = total > 0 ? m_eta.secondsLeft(total) : std::nullopt;
    m_status->setText(left ? tr("Importing… %1 MB of %2 MB, about %3 left")
                                 .arg(double(done) / 1e6, 0, 'f', 1)
                                 .arg(double(total) / 1e6, 0, 'f', 1)
                                 .arg(durationText(*left))
                           : tr("Importing… %1 MB").arg(double(done) / 1e6, 0, 'f', 1));
}

void ImportDialog::onFinished(quint64 jobId, const formats::ImportReport& report, const QString& error)
{
    if (jobId != m_jobId)
        return;
    m_jobId = 0;
    setRunning(false);
    showErrors(report.errors);
    if (!error.isEmpty()) {
        m_status->setText(tr("Import failed: %1").arg(error));
        return;
    }
    m_report = report;
    if (report.cancelled) {
        m_progress->setValue(0);
        m_status->setText(tr("Import cancelled; nothing was written."));
        return;
    }
    m_progress->setValue(m_progress->maximum());
    m_status->setText(tr("Imported %1 records (%2 problems, %3 samples) as %4; %5 skipped.")
                          .arg(report.imported)
                          .arg(report.problems)
                          .arg(report.samples)
                          .arg(formatText(report.format))
                          .arg(report.skipped));
    emit imported(report);
}

void ImportDialog::setRunning(bool running)
{
    m_import->setEnabled(!running && !m_file->text().trimmed().isEmpty() && !m_workspacePath.isEmpty());
    m_cancel->setEnabled(running);
    m_file->setEnabled(!running);
    m_format->setEnabled(!running);
    m_target->setEnabled(!running);
    m_source->setEnabled(!running);
}

void ImportDialog::reject()
{
    if (isImporting()) {  // the importer rolls back; the job is waited for when the dialog goes
        m_job->cancel();
        m_jobId = 0;
    }
    QDialog::reject();
}

}  // namespace distill::widgets
