#pragma once

// Head specialisation: four numbers per attention head that tell what it has learned to do, measured on a fixed
// probe text (Olsson et al.'s and Xiao et al.'s observations made countable):
//   entropy            how spread its attention is (nats; 0 = one token, log(q+1) = uniform over the past)
//   mean distance      how far back it looks on average (tokens)
//   previous token     how much it puts on the token just before (1 = a pure previous-token head)
//   first token        how much it puts on position 0 (an "attention sink")
// Each is averaged over the query positions 1 … T-1 (position 0 can only attend to itself). Over a run's weight
// snapshots they show heads specialising as training goes on. Plain data, no torch here.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace llmf {

struct LoadedRun;

struct HeadMetrics
{
    float entropy = 0.0f;
    float meanDistance = 0.0f;
    float previousToken = 0.0f;
    float firstToken = 0.0f;
};

// One head's metrics from its (T, T) causal attention matrix, row-major (row = query).
HeadMetrics measureHead(const float *probabilities, int tokens);

struct HeadSpecialisation
{
    int layers = 0;
    int heads = 0;
    std::vector<int64_t> steps;         // the snapshots measured, in training order
    std::vector<HeadMetrics> metrics;   // (steps, layers, heads)
    std::vector<std::string> snapshots; // the weights file of each step ("" = model.safetensors)
    std::string probeText;

    const HeadMetrics &at(size_t step, int layer, int head) const
    {
        return metrics[(step * static_cast<size_t>(layers) + static_cast<size_t>(layer)) * static_cast<size_t>(heads) +
                       static_cast<size_t>(head)];
    }
};

// The text the heads are measured on unless another is given: ordinary English prose, long enough (~60 tokens) for
// distances to mean something, with repeated words so that copying heads have something to copy.
const std::string &defaultHeadProbeText();

// Measures every head of `run`'s model (the weights it was loaded with).
std::vector<HeadMetrics> measureHeads(const LoadedRun &run, const std::string &text);

// Loads every weight snapshot of the run directory (checkpoints/step-N.safetensors, then model.safetensors when it
// is newer) and measures every head on `text`. `progress(done, total)` after each snapshot; `cancel` is checked
// between snapshots (the result then holds those finished). llmf::Error when the run cannot be loaded.
HeadSpecialisation probeHeadSpecialisation(const std::string &runDir, const std::string &text,
                                           const std::function<void(int done, int total)> &progress = {},
                                           const std::atomic_bool *cancel = nullptr);

} // namespace llmf
