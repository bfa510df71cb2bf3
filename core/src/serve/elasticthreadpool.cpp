#include "elasticthreadpool.h"

#include <algorithm>
#include <condition_variable>
#include <thread>

namespace llmf {

ElasticThreadPool::ElasticThreadPool(size_t minThreads, size_t maxThreads, std::chrono::milliseconds idleExit)
    : m_minThreads(minThreads), m_maxThreads(std::max<size_t>({maxThreads, minThreads, 1})), m_idleExit(idleExit)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    for (size_t i = 0; i < m_minThreads; ++i)
        spawn();
}

ElasticThreadPool::~ElasticThreadPool()
{
    shutdown();
}

void ElasticThreadPool::spawn()
{
    // Detached: a thread that leaves on idle cannot be joined by anyone. shutdown() instead waits until the count
    // drops to zero; a worker's last touch of this object is that decrement, with the mutex held to thread exit.
    std::thread([this] { work(); }).detach();
    ++m_threads;
    ++m_idle; // counted idle until it takes a job, so a burst of enqueues does not spawn twice per job
}

void ElasticThreadPool::enqueue(std::function<void()> job)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_stopping)
        return; // httplib only enqueues from its accept loop, which has ended before shutdown()
    m_jobs.push_back(std::move(job));
    if (m_idle < m_jobs.size() && m_threads < m_maxThreads)
        spawn();
    m_wake.notify_one();
}

void ElasticThreadPool::work()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    while (true) {
        const bool woke = m_wake.wait_for(lock, m_idleExit, [this] { return !m_jobs.empty() || m_stopping; });
        if (!m_jobs.empty()) {
            std::function<void()> job = std::move(m_jobs.front());
            m_jobs.pop_front();
            --m_idle;
            lock.unlock();
            job();
            job = nullptr; // its captures (the socket's handler) go before this thread counts itself idle
            lock.lock();
            ++m_idle;
            continue;
        }
        if (m_stopping || (!woke && m_threads > m_minThreads))
            break;
    }
    --m_idle;
    --m_threads;
    // Unlocks and notifies only once this thread's locals are gone: the standard's way to let a waiter destroy
    // what a detached thread still touches.
    std::notify_all_at_thread_exit(m_threadExited, std::move(lock));
}

void ElasticThreadPool::shutdown()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_stopping = true;
    m_wake.notify_all();
    m_threadExited.wait(lock, [this] { return m_threads == 0; });
}

} // namespace llmf
