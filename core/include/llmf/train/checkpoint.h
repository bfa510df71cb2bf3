#pragma once

#include "llmf/model/minillm.h"
#include "llmf/train/rundirectory.h"
#include "llmf/train/trainobserver.h"

#include <torch/torch.h>

#include <limits>
#include <string>
#include <vector>

namespace llmf {

// What trainer_state.json holds besides the tensors (format version 2; version 1 had one sampler_rng).
struct TrainerState
{
    int64_t step = 0;
    double bestValLoss = std::numeric_limits<double>::infinity();
    int64_t tokensSeen = 0;
    double elapsedSeconds = 0.0;
    // BatchSampler::rngState() of every data stream: one per process and micro-batch of a step, in the order
    // rank 0's micro-batches, rank 1's, … (trainer.cpp: "Data streams").
    std::vector<std::string> samplerRngs;
    double lossScale = 1.0;
    int worldSize = 1;
    // The dropout RNG of ranks 1, 2, … (cpuRngStateHex()); rank 0's is in optimizer.pt.
    std::vector<std::string> rankCpuRngs;
};

// LibTorch's global CPU generator (dropout masks) as hex text and back, for the ranks' states.
std::string cpuRngStateHex();
void setCpuRngStateHex(const std::string &hex);

// Saves weights, optimizer + RNG state and trainer state, each file atomically; trainer_state.json goes last,
// so a save interrupted by a crash or a full disk leaves the previous complete checkpoint in force
// (loadCheckpoint() checks that the three files agree on the step).
void saveCheckpoint(const RunDirectory &run, const MiniLLM &model, torch::optim::Optimizer &optimizer,
                    const TrainerState &state);
// Restores all of it (including LibTorch's global CPU RNG, which drives dropout). llmf::Error when a file is
// missing, corrupt, or from another step than trainer_state.json.
TrainerState loadCheckpoint(const RunDirectory &run, MiniLLM &model, torch::optim::Optimizer &optimizer);

std::string stepMetricJson(const StepMetrics &m);
std::string evalMetricJson(const EvalMetrics &m);

} // namespace llmf
