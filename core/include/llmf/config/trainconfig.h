#pragma once

#include <cstdint>
#include <string>

namespace llmf {

// How to train. Defaults are the guide's TrainConfig plus the techniques it lists (warmup + cosine, clipping,
// AdamW weight decay, mixed precision) with the values nanoGPT/LLaMA use at this scale.
struct TrainConfig
{
    int64_t batch_size = 16;           // sequences per optimiser step (per micro-batch)
    double learning_rate = 3e-4;       // peak learning rate after warmup
    int64_t max_iters = 5000;          // optimiser steps
    int64_t eval_interval = 100;       // evaluate train/val loss every N steps
    int64_t eval_iters = 20;           // batches averaged per evaluation
    std::string device = "auto";       // auto | cpu | cuda | cuda:N
    int64_t warmup_iters = 100;        // linear warmup steps
    double min_lr = 3e-5;              // floor of the cosine decay
    double weight_decay = 0.1;         // AdamW decay, applied to >= 2-D weights only
    double beta1 = 0.9;                // AdamW first-moment decay
    double beta2 = 0.95;               // AdamW second-moment decay
    double grad_clip = 1.0;            // max global gradient norm; 0 = off
    int64_t grad_accum_steps = 1;      // micro-batches per optimiser step
    std::string dtype = "float32";     // float32 | bfloat16 | float16 (autocast; CUDA)
    int64_t seed = 1337;               // RNG seed for init, batches and dropout
    int64_t log_interval = 10;         // report a step every N steps
    int64_t checkpoint_interval = 500; // save a checkpoint every N steps (0 = only at the end / on stop)
    int64_t seq_len = 0;               // training window length; 0 = model.max_seq_len
    int64_t keep_checkpoints = 8;      // weight snapshots kept in checkpoints/ (step 0 and each checkpoint) for the
                                       // Inspector's "how attention formed" slider; 0 = none
};

} // namespace llmf
