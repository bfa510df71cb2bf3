#pragma once

#include "llmf/serve/batchengine.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace llmf {

// What `GET /metrics` reports, in Prometheus' text format: requests by endpoint and status, prompt and generated
// tokens, queue depth, running batch size, and histograms of time to first token and inter-token latency.
// Fed by the engine (as its Observer) and by the HTTP handlers; thread-safe.
class ServeMetrics final : public BatchEngine::Observer
{
public:
    void onFirstToken(double seconds) override;
    void onNextToken(double seconds) override;
    void onStep(int running, int queued) override;

    void countRequest(const std::string &endpoint, int status);
    void countTokens(int promptTokens, int completionTokens);

    std::string prometheusText() const;

    struct Snapshot
    {
        int64_t requests = 0; // all endpoints, all statuses
        int64_t completionTokens = 0;
        int running = 0;
        int queued = 0;
    };
    Snapshot snapshot() const;
    // The largest running batch since the previous call (what a chart sampled every 200 ms should draw: a burst
    // of short requests fits between two samples).
    int takePeakRunning();

private:
    struct Histogram
    {
        std::vector<double> bounds;
        std::vector<int64_t> counts; // per bound (not cumulative), plus +Inf at the end
        double sum = 0.0;
        int64_t total = 0;
        void observe(double value);
    };

    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, int>, int64_t> m_requests;
    int64_t m_promptTokens = 0;
    int64_t m_completionTokens = 0;
    int m_running = 0;
    int m_queued = 0;
    int m_peakRunning = 0;
    Histogram m_firstToken{{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}, {}, 0.0, 0};
    Histogram m_interToken{{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1}, {}, 0.0, 0};
};

} // namespace llmf
