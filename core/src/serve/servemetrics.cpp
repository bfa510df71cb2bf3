#include "llmf/serve/servemetrics.h"

#include <algorithm>
#include <sstream>

namespace llmf {

void ServeMetrics::Histogram::observe(double value)
{
    if (counts.empty())
        counts.assign(bounds.size() + 1, 0);
    size_t i = 0;
    while (i < bounds.size() && value > bounds[i])
        ++i;
    ++counts[i];
    sum += value;
    ++total;
}

void ServeMetrics::onFirstToken(double seconds)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_firstToken.observe(seconds);
}

void ServeMetrics::onNextToken(double seconds)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_interToken.observe(seconds);
}

void ServeMetrics::onStep(int running, int queued)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_running = running;
    m_queued = queued;
    m_peakRunning = std::max(m_peakRunning, running);
}

int ServeMetrics::takePeakRunning()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const int peak = std::max(m_peakRunning, m_running);
    m_peakRunning = 0;
    return peak;
}

void ServeMetrics::countRequest(const std::string &endpoint, int status)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    ++m_requests[{endpoint, status}];
}

void ServeMetrics::countTokens(int promptTokens, int completionTokens)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_promptTokens += promptTokens;
    m_completionTokens += completionTokens;
}

ServeMetrics::Snapshot ServeMetrics::snapshot() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    Snapshot s;
    for (const auto &[key, count] : m_requests)
        s.requests += count;
    s.completionTokens = m_completionTokens;
    s.running = m_running;
    s.queued = m_queued;
    return s;
}

std::string ServeMetrics::prometheusText() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    std::ostringstream out;
    out << "# HELP llmf_requests_total HTTP requests by endpoint and status code.\n"
        << "# TYPE llmf_requests_total counter\n";
    for (const auto &[key, count] : m_requests)
        out << "llmf_requests_total{endpoint=\"" << key.first << "\",status=\"" << key.second << "\"} " << count
            << "\n";
    out << "# HELP llmf_prompt_tokens_total Prompt tokens of finished requests.\n"
        << "# TYPE llmf_prompt_tokens_total counter\nllmf_prompt_tokens_total " << m_promptTokens << "\n"
        << "# HELP llmf_generated_tokens_total Tokens generated.\n"
        << "# TYPE llmf_generated_tokens_total counter\nllmf_generated_tokens_total " << m_completionTokens << "\n"
        << "# HELP llmf_queue_depth Requests waiting for a batch slot.\n"
        << "# TYPE llmf_queue_depth gauge\nllmf_queue_depth " << m_queued << "\n"
        << "# HELP llmf_running_batch_size Sequences in the running batch.\n"
        << "# TYPE llmf_running_batch_size gauge\nllmf_running_batch_size " << m_running << "\n";
    const auto histogram = [&out](const char *name, const char *help, const Histogram &h) {
        out << "# HELP " << name << " " << help << "\n# TYPE " << name << " histogram\n";
        int64_t cumulative = 0;
        for (size_t i = 0; i < h.bounds.size(); ++i) {
            cumulative += h.counts.empty() ? 0 : h.counts[i];
            out << name << "_bucket{le=\"" << h.bounds[i] << "\"} " << cumulative << "\n";
        }
        out << name << "_bucket{le=\"+Inf\"} " << h.total << "\n"
            << name << "_sum " << h.sum << "\n"
            << name << "_count " << h.total << "\n";
    };
    histogram("llmf_time_to_first_token_seconds", "From request to its first token (queue and prefill included).",
              m_firstToken);
    histogram("llmf_inter_token_latency_seconds", "Between two tokens of one request.", m_interToken);
    return out.str();
}

} // namespace llmf
