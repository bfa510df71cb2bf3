#pragma once

#include "common/metatypes.h"
#include "llmf/train/trainobserver.h"

#include <QObject>
#include <QString>
#include <QVector>

#include <atomic>

namespace llmf::views {

// Runs the engine's Trainer on its own QThread (docs/architecture.md §7). start()/resume() are slots invoked through a
// queued connection and run the whole training loop on the worker thread; pause and stop are atomics the GUI thread
// sets directly, checked between steps. Metrics leave as value structs, batched to at most one signal every
// ~50 ms so a fast model cannot flood the GUI's event queue.
class TrainingWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrainingWorker)

public:
    explicit TrainingWorker(QObject *parent = nullptr);
    ~TrainingWorker() override;

    // Thread-safe, callable from any thread.
    void setPaused(bool paused) { m_paused.store(paused); }
    void requestStop() { m_stop.store(true); }
    // Asks for the current weights as a run directory (<run>/live), written between two steps (or at once when
    // paused); answered by snapshotReady.
    void requestSnapshot() { m_snapshot.store(true); }
    bool isPaused() const { return m_paused.load(); }

    // Generation of a short sample every N steps (0 = never), shown in the dashboard so the learner sees text
    // improve. Set before start.
    void setSampling(int everySteps, const QString &prompt);
    // Worker processes for data-parallel training (1 = this thread trains). With N > 1, start() runs
    // `llmf train --nproc-per-node N` through core's launcher and follows rank 0's metrics.jsonl; pause stops
    // the processes (SIGSTOP), Stop makes them agree on a step and save. Set before start.
    void setProcesses(int processes) { m_processes = processes; }
    int processes() const { return m_processes; }

public Q_SLOTS:
    void start(const llmf::Config &config, const QString &runDir);
    void resume(const QString &runDir);

Q_SIGNALS:
    void started(const QString &runDir, qint64 step, qint64 maxSteps, int vocabSize);
    void stepsReady(const QVector<llmf::StepMetrics> &steps);
    void evaluated(const llmf::EvalMetrics &metrics);
    void sampleReady(qint64 step, const QString &text);
    void checkpointSaved(const QString &runDir, qint64 step);
    void snapshotReady(const QString &snapshotDir, qint64 step);
    void message(const QString &text);
    void pausedChanged(bool paused);
    void finished(const QString &runDir, bool completed);
    void failed(const QString &message);

private:
    class Observer;
    void runLoop(const llmf::Config &config, const QString &runDir, bool resuming);
    void runProcesses(const llmf::Config &config, const QString &runDir, bool resuming);

    std::atomic_bool m_paused{false};
    std::atomic_bool m_stop{false};
    std::atomic_bool m_snapshot{false};
    int m_sampleEvery = 100;
    int m_processes = 1;
    QString m_samplePrompt;
};

} // namespace llmf::views
