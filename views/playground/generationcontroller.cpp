#include "playground/generationcontroller.h"

#include "playground/generationworker.h"

#include <QMetaObject>
#include <QPointer>

namespace llmf::views {

GenerationController::GenerationController(QObject *parent) : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("llmf-generation"));
    m_worker = new GenerationWorker; // no parent: it moves to the thread and is deleted on finished()
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

GenerationController::~GenerationController()
{
    m_worker->cancelAll();
    m_thread.quit();
    m_thread.wait();
}

void GenerationController::open(const QString &runDir)
{
    cancelAll();
    const int id = ++m_openId;
    GenerationWorker *worker = m_worker;
    QPointer<GenerationController> self(this);
    // Queued behind the request that is running (it stops at its next token) and the cancelled ones, which return
    // at once. The answer comes back to this thread; a controller destroyed meanwhile gets none (its destructor
    // joins the thread, so the lambda below never outlives `worker`).
    QMetaObject::invokeMethod(
        worker,
        [worker, self, id, runDir] {
            RunInfo info;
            QString error;
            const bool ok = worker->load(runDir, &info, &error);
            if (!self)
                return;
            QMetaObject::invokeMethod(
                self.data(),
                [self, id, ok, runDir, info = std::move(info), error] {
                    if (!self || id != self->m_openId)
                        return; // superseded by a later open()
                    if (ok)
                        Q_EMIT self->opened(info);
                    else
                        Q_EMIT self->openFailed(runDir, error);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

int GenerationController::submit(GenerationRequest request)
{
    request.id = m_nextId++;
    request.epoch = m_worker->cancelEpoch();
    GenerationWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, request] { worker->generate(request); }, Qt::QueuedConnection);
    return request.id;
}

void GenerationController::cancelAll()
{
    m_worker->cancelAll();
}

} // namespace llmf::views
