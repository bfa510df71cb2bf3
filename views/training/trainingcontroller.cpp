#include "training/trainingcontroller.h"

#include "training/trainingworker.h"

#include <QEventLoop>
#include <QMetaObject>

namespace llmf::views {

TrainingController::TrainingController(QObject *parent) : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("llmf-training"));
    m_worker = new TrainingWorker; // no parent: it moves to the thread and is deleted on finished()
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &TrainingWorker::finished, this, [this] { setRunning(false); });
    connect(m_worker, &TrainingWorker::failed, this, [this] { setRunning(false); });
    m_thread.start();
}

TrainingController::~TrainingController()
{
    if (m_running) {
        m_worker->setPaused(false);
        m_worker->requestStop();
    }
    m_thread.quit();
    m_thread.wait();
}

void TrainingController::start(const llmf::Config &config, const QString &runDir)
{
    if (m_running)
        return;
    m_worker->setPaused(false);
    setRunning(true);
    QMetaObject::invokeMethod(m_worker, "start", Qt::QueuedConnection, Q_ARG(llmf::Config, config),
                              Q_ARG(QString, runDir));
}

void TrainingController::resume(const QString &runDir)
{
    if (m_running)
        return;
    m_worker->setPaused(false);
    setRunning(true);
    QMetaObject::invokeMethod(m_worker, "resume", Qt::QueuedConnection, Q_ARG(QString, runDir));
}

void TrainingController::setPaused(bool paused)
{
    m_worker->setPaused(paused);
}

void TrainingController::stop()
{
    m_worker->setPaused(false);
    m_worker->requestStop();
}

void TrainingController::stopAndWait()
{
    if (!m_running)
        return;
    QEventLoop loop;
    connect(this, &TrainingController::runningChanged, &loop, [&loop](bool running) {
        if (!running)
            loop.quit();
    });
    stop();
    if (m_running)
        loop.exec();
}

void TrainingController::setRunning(bool running)
{
    if (m_running == running)
        return;
    m_running = running;
    Q_EMIT runningChanged(running);
}

} // namespace llmf::views
