#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace llmf {

// One generated token as a client sees it.
struct CompletionToken
{
    int32_t id = 0;
    std::string text;     // text released with this token (held back while it may start a stop string)
    double logprob = 0.0; // log-probability of the token under the model (temperature 1, before top-k/p)
    std::vector<std::pair<std::string, double>> top; // the most likely tokens at this position (logprobs > 0)
};

struct CompletionEnd
{
    std::string finishReason; // "stop" (end-of-text or a stop string), "length" (max_tokens), "cancelled"
    int promptTokens = 0;
    int completionTokens = 0;
    std::string error; // set when the engine failed this request
};

// Between the engine's thread, which pushes a request's tokens and its end, and the thread that answers the
// client, which pops them. cancel() (the client went away) makes the engine drop the sequence at its next step.
class RequestChannel
{
public:
    struct Event
    {
        bool end = false;
        CompletionToken token;
        CompletionEnd finish;
    };

    // Waits up to `timeout` for the next event; false when none came.
    bool next(Event &event, std::chrono::milliseconds timeout)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (!m_ready.wait_for(lock, timeout, [this] { return !m_events.empty(); }))
            return false;
        event = std::move(m_events.front());
        m_events.pop_front();
        return true;
    }
    void push(Event event)
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_events.push_back(std::move(event));
        }
        m_ready.notify_all();
    }
    void cancel() { m_cancelled.store(true); }
    bool cancelled() const { return m_cancelled.load(); }

private:
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<Event> m_events;
    std::atomic_bool m_cancelled{false};
};

} // namespace llmf
