#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace llmf::views {

// One background thread that runs posted jobs one after another, in the order they were posted. A view that owns a
// model (the Inspector) posts every computation on it here: the model is then only ever touched by this thread, so
// it needs no lock, and a probe posted after a load runs on the loaded weights. Jobs report back to the GUI thread
// themselves (QMetaObject::invokeMethod with a queued connection). The destructor drops the jobs not yet started
// and waits for the running one: a job must not outlive what it captured.
class SerialWorker final
{
public:
    SerialWorker();
    ~SerialWorker();
    SerialWorker(const SerialWorker &) = delete;
    SerialWorker &operator=(const SerialWorker &) = delete;

    void post(std::function<void()> job);

private:
    void loop();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void()>> m_jobs;
    bool m_stopping = false;
    std::thread m_thread; // last: started once the members above exist
};

} // namespace llmf::views
