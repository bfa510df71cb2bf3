#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace llmf {

// cpp-httplib serves each connection on one pool thread for as long as the connection lives (keep-alive, a slow
// request head, a streamed answer). Its fixed ThreadPool therefore lets a few dozen idle or slow connections
// starve every other client until their read timeout. This pool grows a thread for each connection waiting, up
// to `maxThreads`, and lets the extra threads exit after `idleExit` without work, so a flood of 1,000 idle
// connections costs 1,000 mostly idle threads (a few MB of touched stack) instead of a minute of latency for the
// next client. Beyond `maxThreads` connections queue, as in httplib's own pool.
class ElasticThreadPool final : public httplib::TaskQueue
{
public:
    ElasticThreadPool(size_t minThreads, size_t maxThreads, std::chrono::milliseconds idleExit);
    ~ElasticThreadPool() override; // shutdown()
    ElasticThreadPool(const ElasticThreadPool &) = delete;
    ElasticThreadPool &operator=(const ElasticThreadPool &) = delete;

    void enqueue(std::function<void()> job) override;
    // Runs the jobs already queued, then waits for every thread to end (each job is bounded by the socket
    // timeouts httplib sets).
    void shutdown() override;

private:
    void spawn(); // with m_mutex held
    void work();

    const size_t m_minThreads;
    const size_t m_maxThreads;
    const std::chrono::milliseconds m_idleExit;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_threadExited;
    std::deque<std::function<void()>> m_jobs;
    size_t m_threads = 0;
    size_t m_idle = 0;
    bool m_stopping = false;
};

} // namespace llmf
