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
};

} // namespace llmf
