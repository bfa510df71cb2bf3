#pragma once

#include "llmf/model/minillm.h"
#include "llmf/run/rundirectory.h"
#include "llmf/run/safetensors.h"
#include "llmf/run/trainerstate.h"
#include "llmf/run/trainingmetrics.h"

#include <torch/torch.h>

#include <limits>
#include <string>
#include <vector>

namespace llmf {

// LibTorch's global CPU generator (dropout masks) as hex text and back, for the ranks' states.
std::string cpuRngStateHex();
void setCpuRngStateHex(const std::string &hex);

// Saves weights, optimizer + RNG state and trainer state, each file atomically; trainer_state.json goes last,
// so a save interrupted by a crash or a full disk leaves the previous complete checkpoint in force
// (loadCheckpoint() checks that the three files agree on the step).
// `extra`: tensors beyond the model's (an objective's own parameters), written to objective.safetensors in the
// same commit when not empty.
void saveCheckpoint(const RunDirectory &run, const MiniLLM &model, torch::optim::Optimizer &optimizer,
                    const TrainerState &state, const NamedTensors &extra = {});
// Restores all of it (including LibTorch's global CPU RNG, which drives dropout). llmf::Error when a file is
// missing, corrupt, or from another step than trainer_state.json.
// `extra` is filled in place from objective.safetensors (llmf::Error when a tensor is missing or of another shape).
TrainerState loadCheckpoint(const RunDirectory &run, MiniLLM &model, torch::optim::Optimizer &optimizer,
                            const NamedTensors &extra = {});
// trainer_state.json's text alone (no tensors): llmf::Error naming `statePath` when it is not one, is corrupt or

std::string stepMetricJson(const StepMetrics &m);
std::string evalMetricJson(const EvalMetrics &m);

} // namespace llmf
