#pragma once

#include "playground/generationtypes.h"

#include <QObject>
#include <QThread>

namespace llmf::views {

class GenerationWorker;

// Owns the generation thread and its worker. The destructor cancels whatever is running or queued and joins the
// thread, so closing the page never leaves a forward pass running against a destroyed model.
class GenerationController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GenerationController)

public:
    explicit GenerationController(QObject *parent = nullptr);
    ~GenerationController() override;

    GenerationWorker *worker() const { return m_worker; }

    // Cancels everything queued, then loads on the worker thread and returns at once: opened() or openFailed()
    // follows on this thread (the window never waits for the weights). A later open() supersedes an earlier one,
    // whose answer is then dropped. The worker keeps its previous run on failure.
    void open(const QString &runDir);
    // Queues a request; returns its id. Requests run one after another in submission order.
    int submit(GenerationRequest request);
    // Stops the running request at its next token and skips every queued one.
    void cancelAll();

Q_SIGNALS:
    void opened(const llmf::views::RunInfo &info);
    void openFailed(const QString &runDir, const QString &error);

private:
    QThread m_thread;
    GenerationWorker *m_worker = nullptr; // lives on m_thread; deleted when the thread finishes
    int m_nextId = 1;
    int m_openId = 0; // the latest open(): answers to earlier ones are dropped
};

} // namespace llmf::views
