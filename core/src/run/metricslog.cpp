#include "llmf/run/metricslog.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>

namespace llmf {

namespace {

double number(const nlohmann::json &o, const char *key, double fallback = 0.0)
{
    const auto it = o.find(key);
    return it != o.end() && it->is_number() ? it->get<double>() : fallback;
}

int64_t integer(const nlohmann::json &o, const char *key, int64_t fallback = 0)
{
    const auto it = o.find(key);
    if (it == o.end() || !it->is_number())
        return fallback;
    if (it->is_number_integer())
        return it->get<int64_t>();
    // A float where an integer belongs: clamp before converting (a cast of 1e300 is undefined behaviour).
    const double v = it->get<double>();
    return v != v ? fallback : static_cast<int64_t>(std::clamp(v, -9.0e18, 9.0e18));
}

// Every key a step line may carry that is the loop's own, not an objective's metric.
const std::set<std::string> &loopKeys()
{
    static const std::set<std::string> keys{"type",          "step",        "loss",       "lr",
                                            "grad_norm",     "tokens_per_s", "elapsed_s",  "threads",
                                            "world_size",    "rank_tokens_per_s", "allreduce_s", "step_s"};
    return keys;
}

} // namespace

MetricsLine parseMetricsLine(std::string_view line)
{
    MetricsLine event;
    const nlohmann::json o = nlohmann::json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
    if (!o.is_object())
        return event;
    const auto type = o.find("type");
    if (type == o.end() || !type->is_string())
        return event;
    event.stepNumber = integer(o, "step");
    const std::string kind = type->get<std::string>();
    if (kind == "step") {
        event.kind = MetricsLine::Kind::Step;
        StepMetrics &m = event.step;
        m.step = event.stepNumber;
        m.loss = number(o, "loss");
        m.learningRate = number(o, "lr");
        m.gradNorm = number(o, "grad_norm");
        m.tokensPerSecond = number(o, "tokens_per_s");
        m.elapsedSeconds = number(o, "elapsed_s");
        m.threads = static_cast<int>(std::clamp<int64_t>(integer(o, "threads"), 0, 1 << 20));
        m.worldSize = static_cast<int>(std::clamp<int64_t>(integer(o, "world_size", 1), 1, 1 << 20));
        if (const auto ranks = o.find("rank_tokens_per_s"); ranks != o.end() && ranks->is_array())
            for (const auto &v : *ranks)
                m.rankTokensPerSecond.push_back(v.is_number() ? v.get<double>() : 0.0);
        m.allReduceSeconds = number(o, "allreduce_s");
        m.stepSeconds = number(o, "step_s");
        for (const auto &[key, value] : o.items())
            if (value.is_number() && !loopKeys().count(key))
                m.objectiveMetrics[key] = value.get<double>();
    } else if (kind == "eval") {
        event.kind = MetricsLine::Kind::Eval;
        event.eval.step = event.stepNumber;
        event.eval.trainLoss = number(o, "train_loss");
        event.eval.valLoss = number(o, "val_loss");
    } else if (kind == "checkpoint") {
        event.kind = MetricsLine::Kind::Checkpoint;
    }
    return event;
}

std::vector<MetricsLine> MetricsTail::poll()
{
    std::vector<MetricsLine> events;
    std::ifstream file(m_path, std::ios::binary);
    if (!file)
        return events;
    file.seekg(0, std::ios::end);
    const auto size = static_cast<int64_t>(file.tellg());
    if (size < m_offset) { // truncated (a resume rewinds the file to its checkpoint): start over
        m_offset = 0;
        m_partial.clear();
    }
    file.seekg(m_offset);
    std::string bytes(static_cast<size_t>(size - m_offset), '\0');
    file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<size_t>(file.gcount()));
    m_offset += static_cast<int64_t>(bytes.size());
    m_partial += bytes;
    size_t start = 0;
    for (size_t end = m_partial.find('\n'); end != std::string::npos; end = m_partial.find('\n', start)) {
        MetricsLine event = parseMetricsLine(std::string_view(m_partial).substr(start, end - start));
        if (event.kind != MetricsLine::Kind::None)
            events.push_back(std::move(event));
        start = end + 1;
    }
    m_partial.erase(0, start);
    return events;
}

} // namespace llmf
