#pragma once

#include "llmf/config/dataconfig.h"
#include "llmf/config/generationconfig.h"
#include "llmf/config/modelconfig.h"
#include "llmf/config/trainconfig.h"

namespace llmf {

// A complete configuration: the four sections of a YAML file (docs/architecture.md §6).
struct Config
{
    ModelConfig model;
    TrainConfig training;
    DataConfig data;
    GenerationConfig generation;

    // The length of the windows training reads: training.seq_len, or model.max_seq_len when that is 0.
    int64_t trainingSeqLen() const { return training.seq_len > 0 ? training.seq_len : model.max_seq_len; }
};

} // namespace llmf
