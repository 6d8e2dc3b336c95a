#include "widgets/views/train_page.h"

#include "widgets/models/job_tracker.h"
#include "widgets/models/workspace_queries.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QRadioButton>
#include <QSpinBox>
#include <QStandardPaths>

namespace distill::widgets {

namespace {

QSpinBox* spin(QWidget* parent, int lo, int hi, int value, const QString& tip)
{
    auto* box = new QSpinBox(parent);
    box->setRange(lo, hi);
    box->setValue(value);
    box->setToolTip(tip);
    return box;
}

}  // namespace

TrainPage::TrainPage(QWidget* parent)
    : RunPage(QStringLiteral("sft"),
              {{tr("Loss"), {QStringLiteral("train/loss"), QStringLiteral("eval/loss")}},
               {tr("Learning rate"), {QStringLiteral("train/lr")}},
               {tr("Gradient norm"), {QStringLiteral("train/grad_norm")}},
               {tr("Tokens/s"), {QStringLiteral("train/tokens_per_s")}}},
              parent)
{
    auto* config = new QWidget(this);
    auto* form = new QFormLayout(config);
    m_fromToy = new QRadioButton(tr("Toy student from scratch"), config);
    m_fromFolder = new QRadioButton(tr("Base model folder"), config);
    m_modelPath = new QLineEdit(config);
    m_modelPath->setPlaceholderText(tr("Hugging Face model folder"));
    m_fromToy->setChecked(true);
    m_loraRank = spin(config, 0, 1024, 0,
                      tr("Train low-rank adapters of this rank on every projection instead of all weights (0: full "
                         "fine-tuning). Checkpoints hold the merged weights and the adapter."));
    m_loraAlpha = new QDoubleSpinBox(config);
    m_loraAlpha->setRange(0.1, 10000.0);
    m_loraAlpha->setValue(32.0);
    m_loraAlpha->setToolTip(tr("The adapters' update is scaled by alpha / rank."));
    m_loraAlpha->setEnabled(false);
    connect(m_loraRank, &QSpinBox::valueChanged, m_loraAlpha, [this](int rank) { m_loraAlpha->setEnabled(rank > 0); });
    m_datasets = new QListWidget(config);
    m_datasets->setToolTip(tr("Frozen datasets of the workspace; checked ones are mixed with equal weight."));
    m_datasets->setMaximumHeight(90);
    m_lr = new QDoubleSpinBox(config);
    m_lr->setDecimals(6);
    m_lr->setRange(1e-6, 1.0);
    m_lr->setSingleStep(1e-4);
    m_lr->setValue(1e-3);
    m_lr->setToolTip(tr("Peak learning rate of AdamW (about 1e-3 for a toy model from scratch, 1e-5 to 2e-5 to fine-tune a pretrained one)."));
    m_epochs = spin(config, 1, 1000, 1, tr("Passes over the training examples."));
    m_maxSteps = spin(config, 0, 10'000'000, 0, tr("Stop after this many optimizer steps (0: the epochs decide)."));
    m_batch = spin(config, 1, 4096, 8, tr("Sequences per forward/backward pass."));
    m_gradAccum = spin(config, 1, 1024, 1, tr("Micro-batches summed into one optimizer step."));
    m_maxSeqLen = spin(config, 16, 1'000'000, 256, tr("Longer examples are cut to this many tokens."));
    m_packing = new QCheckBox(tr("Pack several examples into one sequence"), config);
    m_packing->setChecked(true);
    m_warmup = spin(config, 0, 1'000'000, 0, tr("Steps of linear warm-up from 0 to the peak learning rate."));
    m_schedule = new QComboBox(config);
    m_schedule->addItems({QStringLiteral("cosine"), QStringLiteral("linear"), QStringLiteral("constant")});
    m_schedule->setToolTip(tr("Decay of the learning rate after warm-up."));
    m_saveEvery = spin(config, 0, 1'000'000, 0, tr("Write a checkpoint every N steps (0: at the end only)."));
    m_keepLast = spin(config, 1, 1000, 2, tr("Keep the last K checkpoints (the final one always)."));
    m_evalEvery = spin(config, 0, 1'000'000, 0, tr("Eval loss on the held-out share every N steps (0: at the end only)."));
    for (auto [widget, name] : {std::pair<QWidget*, const char*>{m_datasets, "datasets"}, {m_lr, "lr"},
                                {m_maxSteps, "maxSteps"}, {m_batch, "batchSize"}, {m_warmup, "warmup"},
                                {m_evalEvery, "evalEvery"}, {m_saveEvery, "saveEvery"},
                                {m_loraRank, "loraRank"}, {m_loraAlpha, "loraAlpha"}})
        widget->setObjectName(QLatin1String(name));
    m_device = new QComboBox(config);
    m_device->addItem(QStringLiteral("cpu"));
    m_gpus = new QLabel(config);
    m_gpus->setWordWrap(true);
    form->addRow(m_fromToy);
    form->addRow(m_fromFolder, m_modelPath);
    form->addRow(tr("LoRA rank"), m_loraRank);
    form->addRow(tr("LoRA alpha"), m_loraAlpha);
    form->addRow(tr("Datasets"), m_datasets);
    form->addRow(tr("Learning rate"), m_lr);
    form->addRow(tr("Epochs"), m_epochs);
    form->addRow(tr("Max steps"), m_maxSteps);
    form->addRow(tr("Batch size"), m_batch);
    form->addRow(tr("Gradient accumulation"), m_gradAccum);
    form->addRow(tr("Max sequence length"), m_maxSeqLen);
    form->addRow(QString(), m_packing);
    form->addRow(tr("Warm-up steps"), m_warmup);
    form->addRow(tr("Schedule"), m_schedule);
    form->addRow(tr("Checkpoint every"), m_saveEvery);
    form->addRow(tr("Keep last"), m_keepLast);
    form->addRow(tr("Eval every"), m_evalEvery);
    form->addRow(tr("Device"), m_device);
    form->addRow(tr("GPUs"), m_gpus);

    buildLayout(config, monitor(), nullptr, 2, 5);
    detectGpus();
}

QString TrainPage::title() const
{
    return tr("Train");
}

void TrainPage::reload()
{
    monitor()->refresh();
    if (!hasWorkspace()) {
        m_datasets->clear();
        return;
    }
    jobs()->start(
        QStringLiteral("datasets"), [](JobContext& job) { return QVariant(readDatasetNames(job.reader())); },
        [this](const QVariant& result, const QString& error) {
            if (!error.isEmpty()) {
                emit statusMessage(error);
                return;
            }
            QStringList checked;
            for (int i = 0; i < m_datasets->count(); ++i)
                if (m_datasets->item(i)->checkState() == Qt::Checked)
                    checked << m_datasets->item(i)->text();
            m_datasets->clear();
            for (const QString& name : result.toStringList()) {
                auto* item = new QListWidgetItem(name, m_datasets);
                item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
                item->setCheckState(checked.contains(name) ? Qt::Checked : Qt::Unchecked);
            }
        });
}

QStringList TrainPage::parseGpuList(const QString& csv)
{
    QStringList gpus;
    for (const QString& line : csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QStringList f = line.split(QLatin1Char(','));
        if (f.size() < 5)
            continue;
        gpus << tr("%1: %2, %3 MiB, %4 MiB used, %5 % busy")
                    .arg(f[0].trimmed(), f[1].trimmed(), f[2].trimmed().remove(QStringLiteral(" MiB")),
                         f[3].trimmed().remove(QStringLiteral(" MiB")), f[4].trimmed().remove(QStringLiteral(" %")));
    }
    return gpus;
}

void TrainPage::detectGpus()
{
    const QString smi = QStandardPaths::findExecutable(QStringLiteral("nvidia-smi"));
    if (smi.isEmpty()) {
        m_gpus->setText(tr("CPU only"));
        return;
    }
    auto* process = new QProcess(this);
    connect(process, &QProcess::finished, this, [this, process] {
        const QStringList gpus = parseGpuList(QString::fromUtf8(process->readAllStandardOutput()));
        m_gpus->setText(gpus.isEmpty() ? tr("CPU only") : gpus.join(QLatin1Char('\n')));
        for (int i = 0; i < gpus.size(); ++i)
            m_device->addItem(QStringLiteral("cuda:%1").arg(i));
        process->deleteLater();
    });
    connect(process, &QProcess::errorOccurred, this, [this, process] {
        m_gpus->setText(tr("CPU only"));
        process->deleteLater();
    });
    process->start(smi, {QStringLiteral("--query-gpu=index,name,memory.total,memory.used,utilization.gpu"),
                         QStringLiteral("--format=csv,noheader")});
}

QString TrainPage::toyResourcesDir()
{
    const QString resources = bundledResourcesDir();
    return resources.isEmpty() ? QString() : QDir(resources).filePath(QStringLiteral("toy"));
}

QJsonObject TrainPage::spec() const
{
    QJsonArray datasets;
    for (int i = 0; i < m_datasets->count(); ++i)
        if (m_datasets->item(i)->checkState() == Qt::Checked)
            datasets.append(QJsonObject{{QStringLiteral("name"), m_datasets->item(i)->text()}, {QStringLiteral("weight"), 1.0}});
    QJsonObject model{{QStringLiteral("device"), m_device->currentText()}};
    if (m_fromToy->isChecked()) {
        const QString toy = toyResourcesDir();
        model[QStringLiteral("path")] = QDir(toy).filePath(QStringLiteral("student_config.json"));
        model[QStringLiteral("tokenizer")] = toy;
    } else {
        model[QStringLiteral("path")] = m_modelPath->text().trimmed();
    }
    QJsonObject spec{{QStringLiteral("kind"), QStringLiteral("sft")},
                 {QStringLiteral("name"), QStringLiteral("sft")},
                 {QStringLiteral("data"), QJsonObject{{QStringLiteral("datasets"), datasets},
                                                      {QStringLiteral("max_seq_len"), m_maxSeqLen->value()},
                                                      {QStringLiteral("packing"), m_packing->isChecked()}}},
                 {QStringLiteral("model"), model},
                 {QStringLiteral("train"), QJsonObject{{QStringLiteral("epochs"), m_epochs->value()},
                                                       {QStringLiteral("max_steps"), m_maxSteps->value()},
                                                       {QStringLiteral("micro_batch_size"), m_batch->value()},
                                                       {QStringLiteral("grad_accumulation"), m_gradAccum->value()},
                                                       {QStringLiteral("lr"), m_lr->value()},
                                                       {QStringLiteral("warmup_steps"), m_warmup->value()},
                                                       {QStringLiteral("schedule"), m_schedule->currentText()}}},
                 {QStringLiteral("checkpoints"), QJsonObject{{QStringLiteral("save_every"), m_saveEvery->value()},
                                                             {QStringLiteral("keep_last"), m_keepLast->value()},
                                                             {QStringLiteral("eval_every"), m_evalEvery->value()}}}};
    if (m_loraRank->value() > 0)
        spec[QStringLiteral("lora")] = QJsonObject{{QStringLiteral("rank"), m_loraRank->value()},
                                                   {QStringLiteral("alpha"), m_loraAlpha->value()}};
    return spec;
}

}  // namespace distill::widgets
