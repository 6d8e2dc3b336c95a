// ModelsPage implementation.
#include "core/model/gguf_export.h"

#include "widgets/views/models_page.h"

#include "widgets/models/job_tracker.h"
#include "widgets/models/model_list_model.h"
#include "widgets/models/run_checkpoints.h"

#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace distill::widgets {

namespace {

// Rows of unusable folders in red, rows still being read in grey.
class ModelRowDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const ModelListModel* model = qobject_cast<const ModelListModel*>(index.model());
        if (!model)
            return;
        const ModelFolderInfo& info = model->info(index.row());
        if (info.reading)
            option->palette.setColor(QPalette::Text, QColor(0x80, 0x80, 0x80));
        else if (!info.error.isEmpty())
            option->palette.setColor(QPalette::Text, QColor(0xb0, 0x20, 0x20));
    }
};

}  // namespace

ModelsPage::ModelsPage(QWidget* parent)
    : Page(parent), m_models(new ModelListModel(this)), m_table(new QTableView(this)),
      m_remove(new QPushButton(tr("Remove"), this)), m_export(new QPushButton(tr("Export GGUF…"), this)),
      m_state(new QLabel(this)), m_jobs(new JobTracker(this)), m_heading(new QLabel(this)), m_form(new QFormLayout)
{
    auto* add = new QPushButton(tr("Add model folder…"), this);
    add->setToolTip(tr("A Hugging Face model folder: config.json, safetensors weights, tokenizer files."));
    connect(add, &QPushButton::clicked, this, &ModelsPage::chooseFolder);
    m_remove->setToolTip(tr("Remove the selected model from the list (the folder stays on disk)."));
    connect(m_remove, &QPushButton::clicked, this, &ModelsPage::removeSelected);
    auto* refresh = new QPushButton(tr("Refresh"), this);
    refresh->setToolTip(tr("Read every folder again."));
    connect(refresh, &QPushButton::clicked, m_models, &ModelListModel::refresh);
    auto* checkpoint = new QPushButton(tr("Add run checkpoint…"), this);
    checkpoint->setToolTip(tr("A checkpoint of one of the workspace's training runs."));
    connect(checkpoint, &QPushButton::clicked, this, &ModelsPage::chooseRunCheckpoint);
    m_export->setToolTip(tr("Write the selected model as one GGUF file for llama.cpp, Ollama and LM Studio."));
    connect(m_export, &QPushButton::clicked, this, &ModelsPage::chooseExport);
    m_state->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(m_remove);
    buttons->addWidget(refresh);
    buttons->addWidget(checkpoint);
    buttons->addStretch(1);
    buttons->addWidget(m_export);

    m_table->setModel(m_models);
    m_table->setItemDelegate(new ModelRowDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ModelListModel::Status, QHeaderView::Stretch);
    // Details of the selected row show the rest.
    for (int c : {ModelListModel::HeadDim, ModelListModel::Vocabulary, ModelListModel::Shards, ModelListModel::Tokenizer,
                  ModelListModel::ChatTemplate, ModelListModel::Eos})
        m_table->setColumnHidden(c, true);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ModelsPage::showDetails);
    connect(m_models, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from, const QModelIndex& to) {
        const int row = currentRow();
        if (row >= from.row() && row <= to.row())
            showDetails();
    });
    connect(m_models, &QAbstractItemModel::rowsRemoved, this, &ModelsPage::showDetails);
    connect(m_models, &QAbstractItemModel::modelReset, this, &ModelsPage::showDetails);

    const QStringList labels = {tr("Folder"),        tr("Architecture"),    tr("Parameters"),   tr("Hidden size"),
                                tr("Intermediate size"), tr("Layers"),      tr("Attention heads"), tr("KV heads"),
                                tr("Head dim"),      tr("Vocabulary"),      tr("Context length"), tr("Tied embeddings"),
                                tr("Stored dtype"),  tr("Tensors"),         tr("Size on disk"),  tr("Shards"),
                                tr("tokenizer.json"), tr("Chat template"),  tr("EOS token"),     tr("Status")};
    for (const QString& label : labels) {
        auto* value = new QLabel(this);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setWordWrap(true);
        m_form->addRow(label + QLatin1Char(':'), value);
        m_fields.append({label, value});
    }
    auto* details = new QGroupBox(tr("Details"), this);
    auto* detailLayout = new QVBoxLayout(details);
    QFont headingFont = m_heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.3);
    headingFont.setBold(true);
    m_heading->setFont(headingFont);
    detailLayout->addWidget(m_heading);
    detailLayout->addLayout(m_form);
    detailLayout->addStretch(1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(details);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    auto* left = new QWidget(splitter);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_table, 1);
    leftLayout->addWidget(m_state);
    splitter->addWidget(left);
    splitter->addWidget(scroll);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({900, 400});
    scroll->setMinimumWidth(340);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    m_models->restore();
    if (m_models->rowCount() > 0)
        selectRow(0);
    showDetails();
}

QString ModelsPage::title() const
{
    return tr("Models");
}

void ModelsPage::setWorkspacePath(const QString& path)
{
    m_jobs->setWorkspacePath(path);  // for its runs' checkpoints; the model list belongs to the user
}

void ModelsPage::addFolder(const QString& path)
{
    selectRow(m_models->addFolder(path));
}

void ModelsPage::selectRow(int row)
{
    if (row >= 0 && row < m_models->rowCount())
        m_table->setCurrentIndex(m_models->index(row, 0));
}

int ModelsPage::currentRow() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.row() : -1;
}

QString ModelsPage::detail(const QString& label) const
{
    for (const auto& [name, value] : m_fields)
        if (name == label)
            return value->text();
    return {};
}

void ModelsPage::chooseFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a model folder"), QDir::homePath());
    if (!dir.isEmpty())
        addFolder(dir);
}

void ModelsPage::chooseRunCheckpoint()
{
    if (!m_jobs->hasWorkspace()) {
        m_state->setText(tr("Open a workspace to list its runs' checkpoints."));
        return;
    }
    startReadingRunCheckpoints(
        *m_jobs, {store::RunKind::Sft, store::RunKind::Grpo},
        [this](const QVector<RunCheckpoint>& checkpoints, const QString& error) {
            if (!error.isEmpty() || checkpoints.isEmpty()) {
                m_state->setText(error.isEmpty() ? tr("The workspace's training runs have no checkpoints yet.") : error);
                return;
            }
            QStringList items;
            for (const RunCheckpoint& c : checkpoints)
                items << tr("Run #%1 %2 · step %3").arg(c.runId).arg(c.runName).arg(c.step);
            bool ok = false;
            const QString item = QInputDialog::getItem(this, tr("Add run checkpoint"), tr("Checkpoint:"), items,
                                                       int(items.size()) - 1, false, &ok);
            if (ok)
                addFolder(checkpoints[int(items.indexOf(item))].folder);
        });
}

void ModelsPage::chooseExport()
{
    const int row = currentRow();
    if (row < 0)
        return;
    bool ok = false;
    const QString type = QInputDialog::getItem(this, tr("Export GGUF"),
                                               tr("Weights (q8_0: half the size of f16, close to its outputs):"),
                                               {QStringLiteral("f16"), QStringLiteral("bf16"), QStringLiteral("q8_0")}, 0,
                                               false, &ok);
    if (!ok)
        return;
    const ModelFolderInfo& info = m_models->info(row);
    const QString out = QFileDialog::getSaveFileName(this, tr("Export GGUF"),
                                                     QDir::home().filePath(info.name + QLatin1Char('-') + type + QStringLiteral(".gguf")),
                                                     tr("GGUF (*.gguf)"));
    if (!out.isEmpty())
        exportSelected(out, type);
}

bool ModelsPage::exportSelected(const QString& out, const QString& type)
{
    const int row = currentRow();
    if (row < 0)
        return false;
    const QString folder = m_models->info(row).path;
    m_export->setEnabled(false);
    m_state->setText(tr("Exporting %1 as %2…").arg(QDir::toNativeSeparators(out), type));
    m_jobs->start(
        QStringLiteral("gguf"),
        [folder, out, type](JobContext&) {
            const auto summary = model::exportGguf(folder.toStdString(), out.toStdString(), model::parseGgufType(type.toStdString()));
            return QVariant(QStringLiteral("%1 · %2 tensors · %3 MB")
                                .arg(QString::fromStdString(summary.architecture))
                                .arg(summary.tensors)
                                .arg(double(summary.bytes) / 1e6, 0, 'f', 1));
        },
        [this, out](const QVariant& result, const QString& error) {
            m_export->setEnabled(currentRow() >= 0);
            m_state->setText(error.isEmpty() ? tr("Exported %1 (%2).").arg(QDir::toNativeSeparators(out), result.toString())
                                             : tr("Export failed: %1").arg(error));
            emit exportFinished(out, error);
        });
    return true;
}

QString ModelsPage::stateText() const
{
    return m_state->text();
}

void ModelsPage::removeSelected()
{
    m_models->removeFolder(currentRow());
}

void ModelsPage::showDetails()
{
    const int row = currentRow();
    m_remove->setEnabled(row >= 0);
    m_export->setEnabled(row >= 0 && !m_jobs->isRunning(QStringLiteral("gguf")));
    if (row < 0) {
        m_heading->setText(m_models->rowCount() == 0 ? tr("Add a Hugging Face model folder to see its details.")
                                                     : QString());
        for (const auto& field : m_fields)
            field.second->clear();
        return;
    }
    const ModelFolderInfo& info = m_models->info(row);
    const QLocale locale;
    const auto cell = [&](int column) { return m_models->index(row, column).data().toString(); };
    const auto count = [&](qint64 n) { return n > 0 ? locale.toString(n) : QString(); };
    const auto yesNo = [](bool b) { return b ? tr("yes") : tr("no"); };
    m_heading->setText(info.name);
    const bool known = !info.reading && !info.modelType.isEmpty();
    const QStringList values = {
        info.path,
        cell(ModelListModel::Architecture),
        known ? QStringLiteral("%1 (%2)").arg(cell(ModelListModel::Parameters), count(info.parameters)) : QString(),
        count(info.hiddenSize),
        count(info.intermediateSize),
        count(info.layers),
        count(info.heads),
        count(info.kvHeads),
        count(info.headDim),
        count(info.vocabSize),
        count(info.maxPositions),
        known ? yesNo(info.tiedEmbeddings) : QString(),
        known && !info.storedDtype.isEmpty()
            ? tr("%1 (config.json: %2)").arg(info.storedDtype, info.configDtype)
            : QString(),
        count(info.tensors),
        cell(ModelListModel::Size),
        cell(ModelListModel::Shards),
        info.reading ? QString() : yesNo(info.hasTokenizerJson),
        cell(ModelListModel::ChatTemplate),
        cell(ModelListModel::Eos),
        cell(ModelListModel::Status),
    };
    for (int i = 0; i < m_fields.size(); ++i)
        m_fields[i].second->setText(values.value(i));
    const bool bad = !info.reading && !info.error.isEmpty();
    m_fields.last().second->setStyleSheet(bad ? QStringLiteral("color: #b02020;") : QString());
}

}  // namespace distill::widgets
