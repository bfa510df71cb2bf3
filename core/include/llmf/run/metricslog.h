#pragma once

// Reading a run's metrics.jsonl (docs/architecture-training.md §5), the log the Trainer appends to: one JSON object a
// line, "type" step, eval or checkpoint. Torch-free. The Training dashboard replays it into its charts, and the
// worker supervisor follows it while other processes train (workersupervisor.h).

#include "llmf/run/trainingmetrics.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace llmf {

struct MetricsLine
{
    enum class Kind { None, Step, Eval, Checkpoint };
    Kind kind = Kind::None; // None: not a line of ours (malformed, another type): skipped by readers
    StepMetrics step;
    EvalMetrics eval;
    int64_t stepNumber = 0; // the line's "step", whatever its kind
};

// Never throws: a line that is not a JSON object of a known type is Kind::None; a field of the wrong type reads as
// its default. A step line's numeric fields that are not the loop's own are the objective's metrics.
MetricsLine parseMetricsLine(std::string_view line);

// Follows a metrics.jsonl another process appends to: each poll() returns the complete lines added since the last
// one; a line still being written waits for the next poll. A file that shrank (a resume rewinds it to its
// checkpoint) is read again from the start.
class MetricsTail
{
public:
    explicit MetricsTail(std::string path) : m_path(std::move(path)) {}
    std::vector<MetricsLine> poll();

private:
    std::string m_path;
    int64_t m_offset = 0;
    std::string m_partial;
};

} // namespace llmf
