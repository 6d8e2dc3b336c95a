// GeneratePage: configures a teacher generation job (problems, teacher, sampling, samples per
// problem), shows a cost/time estimate, runs it through RunController and shows it live: progress
// with ETA, rate, tokens/s, accepted/rejected counts, errors.
#pragma once

#include "widgets/views/page.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTimer;

namespace distill::widgets {

class RunController;

class GeneratePage : public Page {
    Q_OBJECT
public:
    explicit GeneratePage(QWidget* parent = nullptr);
    ~GeneratePage() override;

    QString title() const override;
    void setWorkspacePath(const QString& path) override;
    void setSourceCounts(const QVariantList& sources) override;

    // The job spec of the current settings (as written to the spec file).
    QJsonObject spec() const;
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

    QRadioButton* m_fromWorkspace;
    QRadioButton* m_fromToy;
    QComboBox* m_source;
    QSpinBox* m_limit;
    QSpinBox* m_toyCount;
    QComboBox* m_teacherType;
    QComboBox* m_preset;
    QLineEdit* m_endpoint;
    QLineEdit* m_model;
    QLineEdit* m_apiKey;
    QCheckBox* m_rememberKey;
    QSpinBox* m_toyDelay;
    QDoubleSpinBox* m_temperature;
    QDoubleSpinBox* m_topP;
    QSpinBox* m_maxTokens;
    QSpinBox* m_samples;
    QSpinBox* m_expectedTokens;
    QDoubleSpinBox* m_pricePrompt;
    QDoubleSpinBox* m_priceCompletion;
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
