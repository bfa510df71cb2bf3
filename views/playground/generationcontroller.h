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

    // Cancels everything queued, then loads on the worker thread and waits for it (a small model loads in well
    // under a second; the page needs the answer to show it). The worker keeps its previous run on failure.
    bool open(const QString &runDir, RunInfo *info, QString *error);
    // Queues a request; returns its id. Requests run one after another in submission order.
    int submit(GenerationRequest request);
    // Stops the running request at its next token and skips every queued one.
    void cancelAll();

private:
    QThread m_thread;
    GenerationWorker *m_worker = nullptr; // lives on m_thread; deleted when the thread finishes
    int m_nextId = 1;
};

} // namespace llmf::views
