#include "llmf/inspect/headmetrics.h"

#include "llmf/common/error.h"
#include "llmf/inspect/attentionprobe.h"
#include "llmf/run/rundirectory.h"

#include <cmath>

namespace llmf {

HeadMetrics measureHead(const float *p, int tokens)
{
    HeadMetrics m;
    if (tokens < 2)
        return m;
    double entropy = 0.0, distance = 0.0, previous = 0.0, first = 0.0;
    for (int q = 1; q < tokens; ++q) {
        const float *row = p + static_cast<size_t>(q) * static_cast<size_t>(tokens);
        for (int k = 0; k <= q; ++k) {
            const double w = row[k];
            if (w > 0.0)
                entropy -= w * std::log(w);
            distance += w * (q - k);
        }
        previous += row[q - 1];
        first += row[0];
    }
    const double n = tokens - 1;
    m.entropy = static_cast<float>(entropy / n);
    m.meanDistance = static_cast<float>(distance / n);
    m.previousToken = static_cast<float>(previous / n);
    m.firstToken = static_cast<float>(first / n);
    return m;
}

const std::string &defaultHeadProbeText()
{
    static const std::string text =
        "It was a bright cold day, and the clocks were striking. She opened the door and looked at the garden. "
        "The garden was quiet, and the door was open; she looked at the clocks again and went out.";
    return text;
}

std::vector<HeadMetrics> measureHeads(const LoadedRun &run, const std::string &text)
{
    const AttentionMaps maps = probeAttention(run, text);
    std::vector<HeadMetrics> out;
    const size_t block = static_cast<size_t>(maps.tokens) * static_cast<size_t>(maps.tokens);
    for (int l = 0; l < maps.layers; ++l)
        for (int h = 0; h < maps.heads; ++h)
            out.push_back(measureHead(maps.probabilities.data() +
                                          (static_cast<size_t>(l) * static_cast<size_t>(maps.heads) + h) * block,
                                      maps.tokens));
    return out;
}

HeadSpecialisation probeHeadSpecialisation(const std::string &runDir, const std::string &text,
                                           const std::function<void(int, int)> &progress,
                                           const std::atomic_bool *cancel)
{
    const RunDirectory run(runDir);
    std::vector<std::pair<int64_t, std::string>> snapshots = run.weightHistory();
    HeadSpecialisation result;
    result.probeText = text;
    const LoadedRun latest = loadRun(runDir, "cpu");
    if (snapshots.empty() || snapshots.back().first < latest.step)
        snapshots.emplace_back(latest.step, std::string()); // model.safetensors, newer than any snapshot
    result.layers = static_cast<int>(latest.config.model.n_layers);
    result.heads = static_cast<int>(latest.config.model.n_heads);
    const int total = static_cast<int>(snapshots.size());
    for (int i = 0; i < total; ++i) {
        if (cancel && cancel->load())
            break;
        const auto &[step, path] = snapshots[static_cast<size_t>(i)];
        const std::vector<HeadMetrics> metrics =
            path.empty() ? measureHeads(latest, text) : measureHeads(loadRun(runDir, "cpu", path), text);
        result.steps.push_back(step);
        result.snapshots.push_back(path);
        result.metrics.insert(result.metrics.end(), metrics.begin(), metrics.end());
        if (progress)
            progress(i + 1, total);
    }
    return result;
}

} // namespace llmf
