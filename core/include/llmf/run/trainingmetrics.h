#pragma once

// What a training step and an evaluation report: the lines of metrics.jsonl (checkpoint.h writes them) and what the
// TrainObserver hands the GUI. Torch-free value types.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace llmf {

struct StepMetrics
{
    int64_t step = 0; // optimiser steps completed (1 after the first)
    int64_t maxSteps = 0;
    double loss = 0.0; // mean training loss of this step's micro-batches
    double learningRate = 0.0;
    double gradNorm = 0.0; // global gradient norm before clipping
    double tokensPerSecond = 0.0;
    double elapsedSeconds = 0.0; // training time of this run, including earlier sessions of a resumed run
    double etaSeconds = 0.0;
    int64_t tokensSeen = 0;
    int threads = 0; // intra-op threads this step ran with (0 = not managed: a GPU, or LLMF_NUM_THREADS)
    // Data-parallel training (world size > 1): each rank's own tokens/s (its compute before the all-reduce) and
    // the seconds this rank spent averaging gradients; tokensPerSecond above counts all ranks' tokens.
    int worldSize = 1;
    std::vector<double> rankTokensPerSecond;
    double allReduceSeconds = 0.0;
    double stepSeconds = 0.0; // this step's wall time on this rank
    // The objective's own metrics (Objective::metricNames()), averaged over the step's micro-batches and ranks.
    std::map<std::string, double> objectiveMetrics;
};

struct EvalMetrics
{
    int64_t step = 0;
    double trainLoss = 0.0; // mean over eval_iters batches of each split, in eval mode
    double valLoss = 0.0;
};

} // namespace llmf
