#pragma once

#include "common/metatypes.h"

#include <QObject>
#include <QThread>

namespace llmf::views {

class TrainingWorker;

// Owns the training thread and its worker. The destructor stops a running training (which saves a checkpoint)
// and joins the thread, so closing the app never leaves a half-written run or a dangling thread.
class TrainingController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrainingController)

public:
    explicit TrainingController(QObject *parent = nullptr);
    ~TrainingController() override;

    TrainingWorker *worker() const { return m_worker; }
    bool isRunning() const { return m_running; }

    void start(const llmf::Config &config, const QString &runDir);
    void resume(const QString &runDir);
    void setPaused(bool paused);
    void stop();
    // Stops and waits (processing events) until the worker has saved and finished; for closing the window.
    void stopAndWait();

Q_SIGNALS:
    void runningChanged(bool running);

private:
    void setRunning(bool running);

    QThread m_thread;
    TrainingWorker *m_worker = nullptr; // lives on m_thread; deleted when the thread finishes
    bool m_running = false;
};

} // namespace llmf::views
