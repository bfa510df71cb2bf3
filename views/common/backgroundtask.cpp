#include "common/backgroundtask.h"

namespace llmf::views {

BackgroundTask::~BackgroundTask()
{
    cancelAndWait();
}

void BackgroundTask::start(Work work)
{
    cancelAndWait();
    m_run = std::make_shared<detail::BackgroundRun>();
    // The work catches its own exceptions, as SerialWorker's jobs do: it knows what to tell the user.
    m_thread = std::thread([token = CancelToken(m_run), work = std::move(work)] { work(token); });
}

void BackgroundTask::requestStop()
{
    if (m_run)
        m_run->stop.store(true);
}

void BackgroundTask::cancelAndWait()
{
    if (m_run) {
        m_run->abandoned.store(true);
        m_run->stop.store(true);
    }
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace llmf::views
