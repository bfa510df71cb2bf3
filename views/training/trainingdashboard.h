#pragma once

#include "training/metricshistory.h"
#include "common/metatypes.h"

#include <QVector>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QSpinBox;
class QLineEdit;

namespace llmf::views {

class MessageBanner;
class TrainingCharts;
class TrainingControlBar;
class TrainingController;

// The Training page: starts the engine's Trainer on a worker thread with the Config Studio's config, shows live
// charts, progress with ETA, evaluation log and samples, and lets the learner pause, stop (saves a checkpoint) and
// resume any run directory.
class TrainingDashboard final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrainingDashboard)

public:
    explicit TrainingDashboard(QWidget *parent = nullptr);
    ~TrainingDashboard() override;

    void setConfig(const llmf::Config &config, bool valid, const QString &name);
    void setRunsRoot(const QString &folder); // where new run directories go
    QString runsRoot() const;
    void setSampling(int everySteps, const QString &prompt);
    // The Processes setting (1 … the cores; clamped): worker processes for the next start.
    void setProcesses(int processes);
    int processes() const;

    bool isTraining() const;
    QString runDirectory() const { return m_runDir; }
    TrainingController *controller() const { return m_controller; }
    TrainingCharts *charts() const { return m_charts; }
    QString bannerText() const;

    bool exportMetricsCsv(const QString &path) const;
    // The metrics of the run on screen (the current or last one).
    const QVector<llmf::StepMetrics> &steps() const { return m_history.steps(); }
    const QVector<llmf::EvalMetrics> &evals() const { return m_history.evals(); }
    // A line above the charts saying what is going on (an experiment's progress); empty hides it.
    void setNote(const QString &text);
    // A snapshot of the model being trained, as a run directory (answered by liveSnapshotReady). False when no
    // training runs.
    bool requestLiveSnapshot();
    QString note() const;

public Q_SLOTS:
    void startTraining();
    void resumeRun(const QString &runDir);
    void setPaused(bool paused);
    void stopTraining();
    // Stops a running training and waits for its checkpoint; used when the window closes.
    void stopAndWait();

Q_SIGNALS:
    void stateChanged(const QString &state); // a short sentence for the status bar
    void runStarted(const QString &runDir);
    void runFinished(const QString &runDir, bool completed);
    void runFailed(const QString &message);
    void liveSnapshotReady(const QString &snapshotDir, qint64 step);

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void retranslate();
    void connectWorker();
    void updateButtons();
    void log(const QString &line);
    void onSteps(const QVector<llmf::StepMetrics> &steps);
    void onEval(const llmf::EvalMetrics &metrics);
    void onStarted(const QString &runDir, qint64 step, qint64 maxSteps, int vocabSize);
    void onFinished(const QString &runDir, bool completed);
    void onFailed(const QString &message);
    void chooseRunToResume();
    void loadHistory(const QString &runDir);
    void exportChart();
    void exportCsv();

    TrainingController *m_controller = nullptr;
    TrainingCharts *m_charts = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_summary = nullptr;
    MessageBanner *m_banner = nullptr;
    QLabel *m_note = nullptr;
    TrainingControlBar *m_controls = nullptr;
    QLabel *m_sampleTitle = nullptr;
    QLabel *m_logTitle = nullptr;
    QLabel *m_sampleEveryLabel = nullptr;
    QSpinBox *m_sampleEvery = nullptr;
    QLineEdit *m_samplePrompt = nullptr;
    QPlainTextEdit *m_sample = nullptr;
    QPlainTextEdit *m_log = nullptr;

    llmf::Config m_config;
    bool m_configValid = true;
    QString m_configName = QStringLiteral("tiny");
    QString m_runsRoot;
    QString m_runDir;
    MetricsHistory m_history;
};

} // namespace llmf::views
