#include "common/serialworker.h"

#include "llmf/common/systeminfo.h"

namespace llmf::views {

SerialWorker::SerialWorker() : m_thread([this] { loop(); }) {}

SerialWorker::~SerialWorker()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
        m_jobs.clear();
    }
    m_wake.notify_one();
    m_thread.join();
}

void SerialWorker::post(std::function<void()> job)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void SerialWorker::loop()
{
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_stopping)
                return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        job(); // jobs catch their own exceptions: they know what to tell the user
        std::unique_lock<std::mutex> lock(m_mutex);
        if (m_jobs.empty()) {
            lock.unlock();
            // The burst is over: idle OpenMP workers kept here would slow a training thread (systeminfo.h).
            llmf::releaseThisThreadsOpenMPWorkers();
        }
    }
}

} // namespace llmf::views
