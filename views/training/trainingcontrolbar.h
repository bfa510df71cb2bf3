#pragma once

#include "llmf/run/trainingmetrics.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace llmf::views {

// The row above the Training page's charts: the Processes setting, Start, Pause, Stop and Resume run…, the progress
// with the latest step's figures and ETA, and the two exports. It only shows and asks; the dashboard decides.
class TrainingControlBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrainingControlBar)

public:
    explicit TrainingControlBar(QWidget *parent = nullptr);

    // While a training runs only Pause and Stop apply; `canStart` says whether the configuration is valid. A run
    // that ended also ends its pause.
    void setRunning(bool running, bool canStart);
    void showPaused(bool paused); // the Pause button becomes Resume
    // The Processes setting (1 … the cores; clamped): worker processes for the next start.
    void setProcesses(int processes);
    int processes() const;
    // A run started (or resumed) at `step` of `maxSteps`.
    void startProgress(qint64 step, qint64 maxSteps);
    // The latest step: progress, loss, speed, ETA, and the threads or processes it ran on.
    void showStep(const llmf::StepMetrics &step);

Q_SIGNALS:
    void startRequested();
    void pauseToggled(bool paused);
    void stopRequested();
    void resumeRequested();
    void exportChartRequested();
    void exportCsvRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    QPushButton *m_start = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_exportChart = nullptr;
    QPushButton *m_exportCsv = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_eta = nullptr;
    QLabel *m_processesLabel = nullptr;
    QSpinBox *m_processes = nullptr;
};

} // namespace llmf::views
