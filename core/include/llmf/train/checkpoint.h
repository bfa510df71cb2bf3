#pragma once

#include "llmf/model/minillm.h"
#include "llmf/train/rundirectory.h"
#include "llmf/train/trainobserver.h"

#include <torch/torch.h>

#include <limits>
#include <string>

namespace llmf {

// What trainer_state.json holds besides the tensors (format version 1).
struct TrainerState
{
    int64_t step = 0;
    double bestValLoss = std::numeric_limits<double>::infinity();
    int64_t tokensSeen = 0;
    double elapsedSeconds = 0.0;
    std::string samplerRng; // BatchSampler::rngState()
    double lossScale = 1.0;
};

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
