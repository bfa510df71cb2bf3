#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace llmf {

// What trainer_state.json holds besides the tensors (format version 2; version 1 had one sampler_rng).
struct TrainerState
{
    std::string objective = "pretraining"; // Objective::name() of the run (states before it existed: pre-training)
    int64_t step = 0;
    double bestValLoss = std::numeric_limits<double>::infinity();
    int64_t tokensSeen = 0;
    double elapsedSeconds = 0.0;
    // BatchSampler::rngState() of every data stream: one per process and micro-batch of a step, in the order
    // rank 0's micro-batches, rank 1's, … (llmf/train/datastreams.h).
    std::vector<std::string> samplerRngs;
    double lossScale = 1.0;
    int worldSize = 1;
    // The dropout RNG of ranks 1, 2, … (cpuRngStateHex()); rank 0's is in optimizer.safetensors.
    std::vector<std::string> rankCpuRngs;
    // A hash of the training tokens (dataFingerprint()): a resume on text that changed since is refused. Empty in
    // states written before it existed.
    std::string dataFingerprint;
};

// The fingerprint TrainerState keeps of the token ids a run trains on (FNV-1a over their bytes, as hex).
std::string dataFingerprint(const std::vector<int32_t> &tokens);

// trainer_state.json's text alone (no tensors, torch-free): llmf::Error naming `statePath` when it is not one, is
// corrupt, or comes from a newer format version (with both version numbers).
TrainerState parseTrainerState(const std::string &text, const std::string &statePath);

} // namespace llmf
