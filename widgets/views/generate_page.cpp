#include "widgets/views/generate_page.h"

#include "widgets/models/job_spec.h"
#include "widgets/models/run_controller.h"
#include "widgets/models/run_spec.h"
#include "widgets/models/workspace_queries.h"
#include "widgets/views/job_form.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
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
    : Page(parent), m_controller(new RunController(this)), m_refreshTimer(new QTimer(this)),
      m_form(new JobForm(QStringLiteral("generate"), this))
{
    // Toy problems and the toy teacher until others are chosen: a generation that runs offline.
    m_form->setValues({{"toy", {{"count", 200}}},
                       {"samples_per_problem", 4},
                       {"teacher", {{"type", "toy"}, {"error_rate", 0.1}, {"self_check_rate", 0.1}}}});
    m_form->setSuggestions(QStringLiteral("teacher.device"), computeDevices());
    m_form->setBrowse(QStringLiteral("teacher.model"), KeyField::Browse::Folder);

    // What the spec never holds: the API key, and the numbers of the estimate.
    auto* extraBox = new QGroupBox(tr("Key and estimate"), this);
    auto* extraForm = new QFormLayout(extraBox);
    m_apiKey = new QLineEdit(extraBox);
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setObjectName(QStringLiteral("apiKey"));
    m_apiKey->setToolTip(tr("Handed to the job in its environment; never written to the spec or the workspace."));
    m_rememberKey = new QCheckBox(tr("Remember in the system keychain"), extraBox);
#ifndef DISTILLERY_HAVE_KEYCHAIN
    m_rememberKey->setEnabled(false);
    m_rememberKey->setToolTip(tr("No keychain support in this build: the key is kept for this session only."));
#endif
    m_expectedTokens = new QSpinBox(extraBox);
    m_expectedTokens->setRange(1, 1'000'000);
    m_expectedTokens->setValue(4000);
    m_expectedTokens->setObjectName(QStringLiteral("expectedTokens"));
    m_expectedTokens->setToolTip(tr("Expected completion tokens per sample, for the estimate."));
    m_expectedRate = new QSpinBox(extraBox);
    m_expectedRate->setRange(1, 10'000'000);
    m_expectedRate->setValue(1000);
    m_expectedRate->setToolTip(tr("Expected completion tokens per second over all requests, for the time estimate."));
    extraForm->addRow(tr("API key"), m_apiKey);
    extraForm->addRow(QString(), m_rememberKey);
    extraForm->addRow(tr("Expected tokens per sample"), m_expectedTokens);
    extraForm->addRow(tr("Expected tokens/s"), m_expectedRate);

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
    m_rateLabel->setWordWrap(true);
    m_countsLabel = new QLabel(liveBox);
    m_countsLabel->setObjectName(QStringLiteral("counts"));
    m_errors = new QListWidget(liveBox);
    live->addWidget(m_progress);
    live->addWidget(m_rateLabel);
    live->addWidget(m_countsLabel);
    live->addWidget(new QLabel(tr("Errors"), liveBox));
    live->addWidget(m_errors, 1);

    auto* left = new QVBoxLayout;
    left->addWidget(m_form, 1);
    left->addWidget(extraBox);
    left->addWidget(m_estimate);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addStretch();
    left->addLayout(buttons);
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(left, 3);
    layout->addWidget(liveBox, 2);

    for (QSpinBox* box : {m_expectedTokens, m_expectedRate})
        connect(box, &QSpinBox::valueChanged, this, &GeneratePage::updateEstimate);
    connect(m_form, &JobForm::changed, this, &GeneratePage::updateTeacherFields);
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
    m_form->setWorkspacePath(path);
    m_start->setEnabled(!path.isEmpty() && !m_controller->isRunning());
}

void GeneratePage::setSourceCounts(const QVariantList& sources)
{
    m_sources = sources;
    m_form->setSuggestions(QStringLiteral("problems.source"), problemSourceNames(sources));
    updateEstimate();
}

qint64 GeneratePage::problemCount() const
{
    const nlohmann::ordered_json v = m_form->fullValues();
    if (v.contains("toy"))
        return v["toy"]["count"].get<qint64>();
    if (!v.contains("problems"))
        return 0;
    const QString source = QString::fromStdString(v["problems"]["source"].get<std::string>());
    qint64 count = 0;
    for (const QVariant& entry : m_sources) {
        const QVariantList fields = entry.toList();
        if (fields.size() >= 2 && (source.isEmpty() || fields[0].toString() == source))
            count += fields[1].toLongLong();
    }
    const qint64 limit = v["problems"]["limit"].get<qint64>();
    return limit > 0 ? std::min<qint64>(count, limit) : count;
}

bool GeneratePage::openaiTeacher() const
{
    return m_form->value(QStringLiteral("teacher.type")) == "openai";
}

QJsonObject GeneratePage::estimate() const
{
    const double units = double(problemCount()) * m_form->value(QStringLiteral("samples_per_problem")).get<double>();
    const double tokens = units * m_expectedTokens->value();
    // The prompt is roughly the question: count it as a tenth of a completion.
    const auto price = [this](const char* key) {
        const nlohmann::ordered_json v = m_form->value(QLatin1String("teacher.prices.") + QLatin1String(key));
        return v.is_number() ? v.get<double>() : 0.0;
    };
    const double cost = (tokens * price("completion") + 0.1 * tokens * price("prompt")) / 1e6;
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
    const bool openai = openaiTeacher();
    m_apiKey->setEnabled(openai);
#ifdef DISTILLERY_HAVE_KEYCHAIN
    m_rememberKey->setEnabled(openai);
#endif
    // The teacher type or the preset changed: estimate defaults of that teacher, its stored key.
    const QString teacher = openai ? QString::fromStdString(m_form->value(QStringLiteral("teacher.preset")).dump())
                                   : QString::fromStdString(m_form->value(QStringLiteral("teacher.type")).dump());
    if (teacher != m_teacherShown) {
        m_teacherShown = teacher;
        m_expectedTokens->setValue(openai ? 4000 : 100);
        m_expectedRate->setValue(openai ? 1000 : 20000);
        if (openai)
            loadApiKey();
    }
    updateEstimate();
}

void GeneratePage::loadApiKey()
{
#ifdef DISTILLERY_HAVE_KEYCHAIN
    auto* job = new QKeychain::ReadPasswordJob(kKeychainService, this);
    const QString preset = presetName();
    job->setKey(preset);
    connect(job, &QKeychain::Job::finished, this, [this, job, preset] {
        if (job->error() == QKeychain::NoError && preset == presetName() && m_apiKey->text().isEmpty())
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
    job->setKey(presetName());
    job->setTextData(m_apiKey->text());
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        if (job->error() != QKeychain::NoError)
            emit statusMessage(tr("Could not store the API key in the keychain: %1").arg(job->errorString()));
    });
    job->start();
#endif
}

QString GeneratePage::presetName() const
{
    const nlohmann::ordered_json preset = m_form->value(QStringLiteral("teacher.preset"));
    return preset.is_string() ? QString::fromStdString(preset.get<std::string>()) : QString();
}

bool GeneratePage::startJob()
{
    if (m_workspacePath.isEmpty() || m_controller->isRunning())
        return false;
    const bool withKey = openaiTeacher() && !m_apiKey->text().isEmpty();
    // A key typed here reaches the job in this variable; the spec names the variable, never the key.
    if (withKey)
        m_form->setValue(QStringLiteral("teacher.api_key_env"), kApiKeyEnv);
    const SpecCheck check = m_form->check();
    if (!check.ok()) {
        m_rateLabel->setText(tr("Cannot start: %1").arg(check.error));
        emit statusMessage(m_rateLabel->text());
        return false;
    }
    const QString specPath = writeSpecFile(m_workspacePath + QStringLiteral(".runs/specs"), QStringLiteral("generate"), m_form->yaml());
    if (specPath.isEmpty()) {
        emit statusMessage(tr("Could not write the job spec next to the workspace."));
        return false;
    }
    QProcessEnvironment env;
    if (withKey) {
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
