// GeneratePage: a teacher generation job from its job form (every key of `kind: generate`: workspace or
// toy problems, the prompt, a toy, OpenAI-compatible or local teacher with its sampling, verification,
// filters), the API key handed over in the environment, a cost/time estimate, and the job run through
// RunController and shown live: progress with ETA, rate, tokens/s, accepted/rejected counts, errors.
#pragma once

#include "widgets/views/page.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;

namespace distill::widgets {

class JobForm;
class RunController;

class GeneratePage : public Page {
    Q_OBJECT
public:
    explicit GeneratePage(QWidget* parent = nullptr);
    ~GeneratePage() override;

    QString title() const override;
    void setWorkspacePath(const QString& path) override;
    void setSourceCounts(const QVariantList& sources) override;

    JobForm* form() const { return m_form; }
    // Problems × samples × expected tokens: {"units", "tokens", "cost", "seconds"}.
    QJsonObject estimate() const;
    // Starts the job; false (with a status message) when it cannot.
    bool startJob();
    void stopJob();
    RunController* controller() const { return m_controller; }

    // Environment variable the API key is handed over in (never written to the spec).
    static constexpr const char* kApiKeyEnv = "DISTILLERY_TEACHER_API_KEY";

signals:
    // Samples were written to the workspace (every few seconds while a job runs, and at its end).
    void samplesChanged();

private:
    void updateEstimate();
    void updateTeacherFields();
    bool openaiTeacher() const;
    QString presetName() const;
    void onProgress(int jobId, qint64 done, qint64 total, double eta, double rate, const QJsonObject& event);
    void onMetric(int jobId, const QString& name, qint64 step, double value);
    void onError(int jobId, const QString& code, const QString& detail, const QString& hint, bool fatal);
    void onFinished(int jobId, const QString& status, const QJsonObject& summary, int exitCode);
    void setRunning(bool running);
    void loadApiKey();
    void saveApiKey();
    qint64 problemCount() const;

    QString m_workspacePath;
    RunController* m_controller;
    int m_jobId = 0;
    QElapsedTimer m_clock;
    QHash<QString, double> m_latest;  // the latest value of each metric of the running job
    QTimer* m_refreshTimer;
    QVariantList m_sources;
    QString m_teacherShown;  // the teacher the estimate's defaults were set for

    JobForm* m_form;
    QLineEdit* m_apiKey;
    QCheckBox* m_rememberKey;
    QSpinBox* m_expectedTokens;
    QSpinBox* m_expectedRate;
    QLabel* m_estimate;
    QPushButton* m_start;
    QPushButton* m_stop;
    QProgressBar* m_progress;
    QLabel* m_rateLabel;
    QLabel* m_countsLabel;
    QListWidget* m_errors;
};

}  // namespace distill::widgets
