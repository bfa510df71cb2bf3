#pragma once

#include "llmf/config/config.h"
#include "llmf/model/minillm.h"
#include "llmf/tokenizer/tokenizer.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace llmf {

// Where this process sits in data-parallel training, and how many micro-batches make one of its steps. A step
// draws worldSize × microBatches micro-batches in all; stream rank × microBatches + micro is this rank's micro-th.
struct TrainingTopology
{
    int rank = 0;
    int worldSize = 1;
    int64_t microBatches = 1; // training.grad_accum_steps
};

// What one micro-batch contributes to a step.
struct MicroBatchLoss
{
    torch::Tensor loss;                 // () with its graph: the loop scales it, divides by the micro-batch count
                                        // and backpropagates
    std::vector<torch::Tensor> metrics; // () detached, in the order of Objective::metricNames(): averaged by the
                                        // loop over micro-batches and ranks, reported in StepMetrics::objectiveMetrics
    int64_t tokens = 0;                 // the tokens it trained on, for tokens/s and tokens_seen
};

// What a training run optimises: its data, its loss and its metrics. The training loop (Trainer, trainer.h) owns
// everything else (AdamW, the learning-rate schedule, clipping, accumulation, the c10d gradient average, evaluation and
// checkpoint scheduling, the run lock, resume, observers), so a new kind of training — fine-tuning, a reward model,
// DPO — is one Objective, not another copy of the loop. docs/architecture-components.md, "The training loop and its
// objectives", walks through the pre-training objective as the worked example.
//
// The loop calls, in order: createModel() once, prepare() once, then per step microBatchLoss() for each micro-batch,
// evaluationLossSums() when an evaluation is due, streamStates() at every checkpoint, restoreStreams() once on
// resume. All on the training thread, all inside the loop's autocast scope.
class Objective
{
public:
    virtual ~Objective() = default;

    // "pretraining", "sft", …: written into trainer_state.json, so a run resumes with the objective that saved it.
    virtual std::string name() const = 0;
    // The tokenizer the run is written with (tokenizer.json) and the model's vocabulary.
    virtual const Tokenizer &tokenizer() const = 0;
    // The model to train, on the CPU, before the loop moves it to the device: pre-training's fresh weights from
    // training.seed, or a base run's weights for fine-tuning. Called once; the loop broadcasts rank 0's to the others.
    virtual MiniLLM createModel(const Config &config) = 0;
    // Parameters beyond the model's that the optimiser updates (a LoRA adapter, a value head), by name; none by
    // default. The loop broadcasts rank 0's, and saves and restores them with every checkpoint
    // (objective.safetensors), so an objective keeps no state of its own across a resume besides its streams.
    virtual std::vector<std::pair<std::string, torch::Tensor>> extraParameters() { return {}; }
    // This rank's data streams. Throws llmf::Error when the data cannot feed the config (too short a split).
    virtual void prepare(const Config &config, const TrainingTopology &topology) = 0;

    // The loss of micro-batch `micro` (0 … microBatches-1) of the next step: a forward pass only.
    virtual MicroBatchLoss microBatchLoss(MiniLLM &model, int64_t micro, const torch::Device &device) = 0;
    // Names of MicroBatchLoss::metrics ("accuracy", "margin", …); none by default.
    virtual std::vector<std::string> metricNames() const { return {}; }

    // Sums of the evaluation loss over this rank's share of training.eval_iters fixed batches, for the training and
    // the validation split: a (2) float64 CPU tensor. The loop sums over the ranks and divides by eval_iters. Fixed
    // batches, so evaluations are comparable along the run.
    virtual torch::Tensor evaluationLossSums(MiniLLM &model, const torch::Device &device) = 0;

    // The state of this rank's data streams (one per micro-batch), for trainer_state.json.
    virtual std::vector<std::string> streamStates() const = 0;
    // Continues the streams of a checkpoint: `saved` holds every rank's streams in rank order, saved by
    // `savedWorldSize` processes. llmf::Error when they cannot continue exactly (another processes × accumulation).
    virtual void restoreStreams(const std::vector<std::string> &saved, int savedWorldSize) = 0;

    // A hash of the data the objective trains on: a resume on data that changed since the checkpoint is refused.
    virtual std::string dataFingerprint() const = 0;
    // What every rank must agree on beyond the config (tokenizer, data size): compared at rendezvous.
    virtual std::string setupFingerprint() const = 0;
};

} // namespace llmf
