#pragma once

// Will this training fit? The memory estimate (accounting.h) checked against what the machine can give, before a
// single tensor is allocated, so that an oversized configuration is refused with numbers instead of an allocator
// failure halfway through building the model.

#include "llmf/config/config.h"

#include <cstdint>
#include <string>

namespace llmf {

struct MemoryFit
{
    int64_t needed = 0;               // estimated bytes for training: weights, gradients, AdamW state, activations
    int64_t parameterBytes = 0;       // the part that depends on the parameter count only (weights + grads + AdamW)
    int64_t activationBytes = 0;      // the part that grows with batch_size × max_seq_len
    int64_t available = 0;            // bytes the device can give now; 0 = unknown (no check)
    std::string where;                // "RAM", "GPU memory (cuda:0)"
    int64_t largestBatchThatFits = 0; // 0 when even batch_size 1 does not fit

    bool fits() const { return available <= 0 || needed <= available; }
    // "Training needs about 812.4 TiB of RAM but 21.3 GiB is available." (empty when it fits)
    std::string message() const;
    // Which keys shrink it, with a batch size that fits when the parameters alone do.
    std::string hint() const;
};

// Pure: the estimate for `config` against `availableBytes` (tests pass their own numbers).
MemoryFit checkTrainingMemory(const Config &config, int64_t availableBytes, const std::string &where = "RAM");

// MemAvailable from /proc/meminfo, lowered to a cgroup's memory limit when the process runs under one; 0 if unknown.
int64_t availableSystemMemory();

// checkTrainingMemory() against this machine: RAM for the CPU, the GPU's free memory for CUDA devices.
MemoryFit checkTrainingMemory(const Config &config);

// Throws llmf::Error with message() and hint() when the training cannot fit.
void requireTrainingMemory(const Config &config);

} // namespace llmf
