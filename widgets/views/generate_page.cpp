#include "widgets/views/generate_page.h"

#include "widgets/models/run_controller.h"
#include "widgets/models/run_spec.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#ifdef DISTILLERY_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

#include <cmath>

namespace distill::widgets {

namespace {

const QString kKeychainService = QStringLiteral("distillery");

QString duration(double seconds)
{
    if (!std::isfinite(seconds))
        return QStringLiteral("–");
    const qint64 s = qint64(seconds + 0.5);
    if (s >= 3600)
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    if (s >= 60)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QStringLiteral("%1 s").arg(s);
}

}  // namespace

GeneratePage::GeneratePage(QWidget* parent)
    : Page(parent), m_controller(new RunController(this)), m_refreshTimer(new QTimer(this))
{
    // Problems
    auto* problemsBox = new QGroupBox(tr("Problems"), this);
    auto* problemsForm = new QFormLayout(problemsBox);
    m_fromWorkspace = new QRadioButton(tr("Workspace problems"), problemsBox);
    m_fromToy = new QRadioButton(tr("Toy arithmetic problems"), problemsBox);
    m_source = new QComboBox(problemsBox);
    m_limit = new QSpinBox(problemsBox);
    m_limit->setRange(0, 10'000'000);
    m_limit->setSpecialValueText(tr("all"));
    m_limit->setToolTip(tr("At most this many problems of the source (0: all)."));
    m_toyCount = new QSpinBox(problemsBox);
    m_toyCount->setRange(1, 10'000'000);
    m_toyCount->setValue(200);
    problemsForm->addRow(m_fromWorkspace);
    problemsForm->addRow(tr("Source"), m_source);
    problemsForm->addRow(tr("Limit"), m_limit);
    problemsForm->addRow(m_fromToy);
    problemsForm->addRow(tr("Toy problems"), m_toyCount);
    m_fromToy->setChecked(true);
    m_toyCount->setObjectName(QStringLiteral("toyCount"));

    // Teacher
    auto* teacherBox = new QGroupBox(tr("Teacher"), this);
    auto* teacherForm = new QFormLayout(teacherBox);
    m_teacherType = new QComboBox(teacherBox);
    m_teacherType->setObjectName(QStringLiteral("teacherType"));
    m_teacherType->addItem(tr("Toy teacher (offline)"), QStringLiteral("toy"));
    m_teacherType->addItem(tr("OpenAI-compatible endpoint"), QStringLiteral("openai"));
    m_preset = new QComboBox(teacherBox);
    for (const char* preset : {"deepseek", "vllm", "sglang", "ollama", "llamacpp", "distillery", "openai-compatible"})
        m_preset->addItem(QString::fromLatin1(preset));
    m_preset->setObjectName(QStringLiteral("preset"));
    m_endpoint = new QLineEdit(teacherBox);
    m_endpoint->setObjectName(QStringLiteral("endpoint"));
    m_endpoint->setPlaceholderText(tr("preset default"));
    m_model = new QLineEdit(teacherBox);
    m_model->setObjectName(QStringLiteral("teacherModel"));
    m_model->setPlaceholderText(tr("preset default"));
    m_apiKey = new QLineEdit(teacherBox);
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setObjectName(QStringLiteral("apiKey"));
    m_apiKey->setToolTip(tr("Handed to the job in its environment; never written to the spec or the workspace."));
    m_rememberKey = new QCheckBox(tr("Remember in the system keychain"), teacherBox);
#ifndef DISTILLERY_HAVE_KEYCHAIN
    m_rememberKey->setEnabled(false);
    m_rememberKey->setToolTip(tr("No keychain support in this build: the key is kept for this session only."));
#endif
    m_toyDelay = new QSpinBox(teacherBox);
    m_toyDelay->setRange(0, 60'000);
    m_toyDelay->setObjectName(QStringLiteral("toyDelay"));
    m_toyDelay->setSuffix(tr(" ms"));
    m_toyDelay->setToolTip(tr("The toy teacher waits this long per batch (to watch a run live)."));
    teacherForm->addRow(tr("Type"), m_teacherType);
    teacherForm->addRow(tr("Toy delay"), m_toyDelay);
    teacherForm->addRow(tr("Preset"), m_preset);
    teacherForm->addRow(tr("Endpoint"), m_endpoint);
    teacherForm->addRow(tr("Model"), m_model);
    teacherForm->addRow(tr("API key"), m_apiKey);
    teacherForm->addRow(QString(), m_rememberKey);

    // Sampling and estimate
    auto* samplingBox = new QGroupBox(tr("Sampling"), this);
    auto* samplingForm = new QFormLayout(samplingBox);
    m_temperature = new QDoubleSpinBox(samplingBox);
    m_temperature->setRange(0.0, 2.0);
    m_temperature->setSingleStep(0.05);
    m_temperature->setValue(0.6);
    m_topP = new QDoubleSpinBox(samplingBox);
    m_topP->setRange(0.0, 1.0);
    m_topP->setSingleStep(0.01);
    m_topP->setValue(0.95);
    m_maxTokens = new QSpinBox(samplingBox);
    m_maxTokens->setRange(16, 1'000'000);
    m_maxTokens->setValue(32768);
    m_maxTokens->setObjectName(QStringLiteral("maxTokens"));
    m_samples = new QSpinBox(samplingBox);
    m_samples->setRange(1, 1024);
    m_samples->setValue(4);
    m_samples->setObjectName(QStringLiteral("samplesPerProblem"));
    m_expectedTokens = new QSpinBox(samplingBox);
    m_expectedTokens->setRange(1, 1'000'000);
    m_expectedTokens->setValue(4000);
    m_expectedTokens->setObjectName(QStringLiteral("expectedTokens"));
    m_expectedTokens->setToolTip(tr("Expected completion tokens per sample, for the estimate."));
    m_pricePrompt = new QDoubleSpinBox(samplingBox);
    m_pricePrompt->setRange(0.0, 1000.0);
    m_pricePrompt->setDecimals(3);
    m_priceCompletion = new QDoubleSpinBox(samplingBox);
    m_priceCompletion->setRange(0.0, 1000.0);
    m_priceCompletion->setDecimals(3);
    m_priceCompletion->setObjectName(QStringLiteral("priceCompletion"));
    m_expectedRate = new QSpinBox(samplingBox);
    m_expectedRate->setRange(1, 10'000'000);
    m_expectedRate->setValue(1000);
    m_expectedRate->setToolTip(tr("Expected completion tokens per second over all requests, for the time estimate."));
    samplingForm->addRow(tr("Temperature"), m_temperature);
    samplingForm->addRow(tr("Top-p"), m_topP);
    samplingForm->addRow(tr("Max tokens"), m_maxTokens);
    samplingForm->addRow(tr("Samples per problem"), m_samples);
    samplingForm->addRow(tr("Expected tokens per sample"), m_expectedTokens);
    samplingForm->addRow(tr("Price per 1M prompt tokens"), m_pricePrompt);
    samplingForm->addRow(tr("Price per 1M completion tokens"), m_priceCompletion);
    samplingForm->addRow(tr("Expected tokens/s"), m_expectedRate);

    m_estimate = new QLabel(this);
    m_estimate->setWordWrap(true);
    m_start = new QPushButton(tr("Start generation"), this);
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setEnabled(false);

    // Live view
    auto* liveBox = new QGroupBox(tr("Progress"), this);
    auto* live = new QVBoxLayout(liveBox);
    m_progress = new QProgressBar(liveBox);
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setFormat(QStringLiteral("%v / %m"));
    m_rateLabel = new QLabel(tr("Not running."), liveBox);
    m_countsLabel = new QLabel(liveBox);
    m_countsLabel->setObjectName(QStringLiteral("counts"));
    m_errors = new QListWidget(liveBox);
    live->addWidget(m_progress);
    live->addWidget(m_rateLabel);
    live->addWidget(m_countsLabel);
    live->addWidget(new QLabel(tr("Errors"), liveBox));
    live->addWidget(m_errors, 1);

    auto* left = new QVBoxLayout;
    left->addWidget(problemsBox);
    left->addWidget(teacherBox);
    left->addWidget(samplingBox);
    left->addWidget(m_estimate);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addStretch();
    left->addLayout(buttons);
    left->addStretch();
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(left, 2);
    layout->addWidget(liveBox, 3);

    for (QSpinBox* box : {m_limit, m_toyCount, m_samples, m_expectedTokens, m_expectedRate})
        connect(box, &QSpinBox::valueChanged, this, &GeneratePage::updateEstimate);
    for (QDoubleSpinBox* box : {m_pricePrompt, m_priceCompletion})
        connect(box, &QDoubleSpinBox::valueChanged, this, &GeneratePage::updateEstimate);
    connect(m_source, &QComboBox::currentIndexChanged, this, &GeneratePage::updateEstimate);
    connect(m_fromToy, &QRadioButton::toggled, this, &GeneratePage::updateEstimate);
    connect(m_teacherType, &QComboBox::currentIndexChanged, this, &GeneratePage::updateTeacherFields);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &GeneratePage::loadApiKey);
    connect(m_start, &QPushButton::clicked, this, &GeneratePage::startJob);
    connect(m_stop, &QPushButton::clicked, this, &GeneratePage::stopJob);
    connect(m_controller, &RunController::progress, this, &GeneratePage::onProgress);
    connect(m_controller, &RunController::metric, this, &GeneratePage::onMetric);
    connect(m_controller, &RunController::error, this, &GeneratePage::onError);
    connect(m_controller, &RunController::finished, this, &GeneratePage::onFinished);
    m_refreshTimer->setInterval(2000);
    connect(m_refreshTimer, &QTimer::timeout, this, &GeneratePage::samplesChanged);
    updateTeacherFields();
}

GeneratePage::~GeneratePage() = default;

QString GeneratePage::title() const
{
    return tr("Generate");
}

void GeneratePage::setWorkspacePath(const QString& path)
{
    if (m_controller->isRunning() && path != m_workspacePath)
        m_controller->stop(5000);
    m_workspacePath = path;
    m_start->setEnabled(!path.isEmpty() && !m_controller->isRunning());
}

void GeneratePage::setSourceCounts(const QVariantList& sources)
{
    m_sources = sources;
    const QString current = m_source->currentData().toString();
    m_source->clear();
    for (const QVariant& entry : sources) {
        const QVariantList fields = entry.toList();
        if (fields.size() < 2 || fields[1].toLongLong() == 0)
            continue;
        const QString name = fields[0].toString();
        m_source->addItem(tr("%1 (%2 problems)").arg(name).arg(fields[1].toLongLong()), name);
    }
    const int index = m_source->findData(current);
    if (index >= 0)
        m_source->setCurrentIndex(index);
    updateEstimate();
}

qint64 GeneratePage::problemCount() const
{
    if (m_fromToy->isChecked())
        return m_toyCount->value();
    qint64 count = 0;
    for (const QVariant& entry : m_sources) {
        const QVariantList fields = entry.toList();
        if (fields.size() >= 2 && fields[0].toString() == m_source->currentData().toString())
            count = fields[1].toLongLong();
    }
    return m_limit->value() > 0 ? std::min<qint64>(count, m_limit->value()) : count;
}

QJsonObject GeneratePage::estimate() const
{
    const double units = double(problemCount()) * m_samples->value();
    const double tokens = units * m_expectedTokens->value();
    // The prompt is roughly the question: count it as a tenth of a completion.
    const double cost = (tokens * m_priceCompletion->value() + 0.1 * tokens * m_pricePrompt->value()) / 1e6;
    return {{QStringLiteral("units"), units}, {QStringLiteral("tokens"), tokens}, {QStringLiteral("cost"), cost},
            {QStringLiteral("seconds"), tokens / m_expectedRate->value()}};
}

void GeneratePage::updateEstimate()
{
    const QJsonObject e = estimate();
    m_estimate->setText(tr("Estimate: %1 samples, about %2 completion tokens, cost about %3, time about %4.")
                            .arg(qint64(e[QLatin1String("units")].toDouble()))
                            .arg(QLocale().toString(e[QLatin1String("tokens")].toDouble(), 'g', 4))
                            .arg(QString::number(e[QLatin1String("cost")].toDouble(), 'f', 2))
                            .arg(duration(e[QLatin1String("seconds")].toDouble())));
}

void GeneratePage::updateTeacherFields()
{
    const bool openai = m_teacherType->currentData().toString() == QLatin1String("openai");
    for (QWidget* w : std::initializer_list<QWidget*>{m_preset, m_endpoint, m_model, m_apiKey, m_temperature, m_topP, m_maxTokens})
        w->setEnabled(openai);
#ifdef DISTILLERY_HAVE_KEYCHAIN
    m_rememberKey->setEnabled(openai);
#endif
    m_toyDelay->setEnabled(!openai);
    m_expectedTokens->setValue(openai ? 4000 : 100);
    m_expectedRate->setValue(openai ? 1000 : 20000);
    if (openai)
        loadApiKey();
    updateEstimate();
}

void GeneratePage::loadApiKey()
{
#ifdef DISTILLERY_HAVE_KEYCHAIN
    auto* job = new QKeychain::ReadPasswordJob(kKeychainService, this);
    job->setKey(m_preset->currentText());
    connect(job, &QKeychain::Job::finished, this, [this, job, preset = m_preset->currentText()] {
        if (job->error() == QKeychain::NoError && preset == m_preset->currentText() && m_apiKey->text().isEmpty())
            m_apiKey->setText(job->textData());
    });
    job->start();
#endif
}

void GeneratePage::saveApiKey()
{
#ifdef DISTILLERY_HAVE_KEYCHAIN
    if (!m_rememberKey->isChecked() || m_apiKey->text().isEmpty())
        return;
    auto* job = new QKeychain::WritePasswordJob(kKeychainService, this);
    job->setKey(m_preset->currentText());
    job->setTextData(m_apiKey->text());
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        if (job->error() != QKeychain::NoError)
            emit statusMessage(tr("Could not store the API key in the keychain: %1").arg(job->errorString()));
    });
    job->start();
#endif
}

QJsonObject GeneratePage::spec() const
{
    QJsonObject spec{{QStringLiteral("kind"), QStringLiteral("generate")},
                     {QStringLiteral("name"), QStringLiteral("generate")},
                     {QStringLiteral("samples_per_problem"), m_samples->value()}};
    if (m_fromToy->isChecked())
        spec[QStringLiteral("toy")] = QJsonObject{{QStringLiteral("count"), m_toyCount->value()}};
    else
        spec[QStringLiteral("problems")] = QJsonObject{{QStringLiteral("source"), m_source->currentData().toString()},
                                                       {QStringLiteral("limit"), m_limit->value()}};
    if (m_teacherType->currentData().toString() == QLatin1String("toy")) {
        spec[QStringLiteral("teacher")] = QJsonObject{{QStringLiteral("type"), QStringLiteral("toy")},
                                                      {QStringLiteral("error_rate"), 0.1},
                                                      {QStringLiteral("self_check_rate"), 0.1},
                                                      {QStringLiteral("delay_ms"), m_toyDelay->value()}};
    } else {
        QJsonObject teacher{{QStringLiteral("type"), QStringLiteral("openai")},
                            {QStringLiteral("preset"), m_preset->currentText()},
                            {QStringLiteral("api_key_env"), QString::fromLatin1(kApiKeyEnv)},
                            {QStringLiteral("sampling"), QJsonObject{{QStringLiteral("temperature"), m_temperature->value()},
                                                                     {QStringLiteral("top_p"), m_topP->value()},
                                                                     {QStringLiteral("max_tokens"), m_maxTokens->value()}}},
                            {QStringLiteral("prices"), QJsonObject{{QStringLiteral("prompt"), m_pricePrompt->value()},
                                                                   {QStringLiteral("completion"), m_priceCompletion->value()}}}};
        if (!m_endpoint->text().trimmed().isEmpty())
            teacher[QStringLiteral("base_url")] = m_endpoint->text().trimmed();
        if (!m_model->text().trimmed().isEmpty())
            teacher[QStringLiteral("model")] = m_model->text().trimmed();
        spec[QStringLiteral("teacher")] = teacher;
    }
    return spec;
}

bool GeneratePage::startJob()
{
    if (m_workspacePath.isEmpty() || m_controller->isRunning())
        return false;
    const QString specPath = writeSpecFile(m_workspacePath + QStringLiteral(".runs/specs"), QStringLiteral("generate"), spec());
    if (specPath.isEmpty()) {
        emit statusMessage(tr("Could not write the job spec next to the workspace."));
        return false;
    }
    QProcessEnvironment env;
    if (m_teacherType->currentData().toString() == QLatin1String("openai") && !m_apiKey->text().isEmpty()) {
        env.insert(QString::fromLatin1(kApiKeyEnv), m_apiKey->text());
        saveApiKey();
    }
    m_errors->clear();
    m_latest.clear();
    m_progress->setRange(0, 0);
    m_countsLabel->clear();
    m_rateLabel->setText(tr("Starting…"));
    m_clock.start();
    m_jobId = m_controller->start(specPath, m_workspacePath, 0, env);
    setRunning(true);
    return true;
}

void GeneratePage::stopJob()
{
    m_controller->stop(30'000);
    m_rateLabel->setText(tr("Stopping after the requests in flight…"));
}

void GeneratePage::setRunning(bool running)
{
    m_start->setEnabled(!running && !m_workspacePath.isEmpty());
    m_stop->setEnabled(running);
    if (running)
        m_refreshTimer->start();
    else
        m_refreshTimer->stop();
}

void GeneratePage::onProgress(int jobId, qint64 done, qint64 total, double eta, double rate, const QJsonObject& event)
{
    if (jobId != m_jobId)
        return;
    m_progress->setRange(0, int(std::min<qint64>(total, INT_MAX)));
    m_progress->setValue(int(std::min<qint64>(done, INT_MAX)));
    const double seconds = std::max(1e-3, m_clock.elapsed() / 1000.0);
    QString text = tr("%1 of %2 samples, %3 left, %4 samples/s, %5 tokens/s")
                       .arg(done).arg(total).arg(duration(eta))
                       .arg(std::isfinite(rate) ? QString::number(rate, 'f', 1) : QStringLiteral("–"))
                       .arg(QString::number(m_latest.value(QStringLiteral("teacher/completion_tokens")) / seconds, 'f', 0));
    if (event.contains(QLatin1String("in_flight")))
        text += tr(", %1 requests in flight").arg(event.value(QLatin1String("in_flight")).toInt());
    m_rateLabel->setText(text);
}

void GeneratePage::onMetric(int jobId, const QString& name, qint64, double value)
{
    if (jobId != m_jobId)
        return;
    m_latest[name] = value;
    const double written = m_latest.value(QStringLiteral("generate/written"));
    const double accepted = m_latest.value(QStringLiteral("generate/accepted"));
    const double failed = m_latest.value(QStringLiteral("generate/failed"));
    const double cost = m_latest.value(QStringLiteral("teacher/cost"));
    m_countsLabel->setText(tr("Accepted %1, rejected %2, failed %3, cost %4")
                               .arg(qint64(accepted)).arg(qint64(written - accepted)).arg(qint64(failed))
                               .arg(QString::number(cost, 'f', 2)));
}

void GeneratePage::onError(int jobId, const QString& code, const QString& detail, const QString& hint, bool fatal)
{
    if (jobId != m_jobId)
        return;
    QString text = QStringLiteral("[%1] %2").arg(code, detail);
    if (!hint.isEmpty())
        text += QStringLiteral(" — ") + hint;
    auto* item = new QListWidgetItem(text, m_errors);
    if (fatal)
        item->setForeground(Qt::red);
}

void GeneratePage::onFinished(int jobId, const QString& status, const QJsonObject&, int)
{
    if (jobId != m_jobId)
        return;
    setRunning(false);
    if (m_progress->maximum() == 0)
        m_progress->setRange(0, 1);
    const QString text = status == QLatin1String("finished") ? tr("Finished in %1.").arg(duration(m_clock.elapsed() / 1000.0))
                       : status == QLatin1String("stopped") ? tr("Stopped; resume by starting the same settings again.")
                                                            : tr("Failed: see the errors.");
    m_rateLabel->setText(text);
    emit samplesChanged();
    emit statusMessage(text);
}

}  // namespace distill::widgets
