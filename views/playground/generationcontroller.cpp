#include "playground/generationcontroller.h"

#include "playground/generationworker.h"

#include <QMetaObject>

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

bool GenerationController::open(const QString &runDir, RunInfo *info, QString *error)
{
    cancelAll();
    bool ok = false;
    GenerationWorker *worker = m_worker;
    // Blocking: the load waits behind the request that is running (it stops at its next token) and then the
    // cancelled ones, which return at once.
    QMetaObject::invokeMethod(
        worker, [worker, &ok, runDir, info, error] { ok = worker->load(runDir, info, error); },
        Qt::BlockingQueuedConnection);
    return ok;
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
