#pragma once

#include "llmf/config/config.h"
#include "llmf/data/trainingdata.h"
#include "llmf/train/trainobserver.h"

#include <atomic>
#include <memory>
#include <string>

namespace llmf {

class Generator;
class MiniLLM;
class ProcessGroup;

// Trains a MiniLLM: AdamW (decay on >= 2-D weights only, betas from the config), warmup + cosine learning rate,
// global-norm gradient clipping, gradient accumulation, periodic evaluation, checkpoints in a run directory.
// Deterministic on CPU for a seed, and a resumed run continues bit for bit (same batches, same dropout masks).
// Not thread-safe: one thread drives it (the CLI's main thread or the GUI's TrainingWorker).
class Trainer
{
public:
    // A fresh run in `runDir` (created; config.yaml and tokenizer.json are written at once).
    // With a process group, this process is one rank of data-parallel training (docs/architecture-training.md
    // "Data-parallel training"): rank 0's weights are broadcast, gradients averaged over the ranks after each
    // step's backward passes, evaluations shared out and averaged; rank 0 alone writes the run directory. Every
    // rank must call the same methods in the same order (run() and advance() do).
    Trainer(const Config &config, TrainingData data, const std::string &runDir,
            std::shared_ptr<ProcessGroup> group = nullptr);
    ~Trainer();
    Trainer(const Trainer &) = delete;
    Trainer &operator=(const Trainer &) = delete;

    // The config to resume `runDir` with: the run's own, or `requested` when given, whose model section must
    // equal the run's (llmf::Error naming the first differing key otherwise); data.tokenizer_path is set to the
    // run's tokenizer so prepareTrainingData() encodes the text exactly as before.
    static Config resumeConfig(const std::string &runDir, const Config *requested = nullptr);
    // Continues `runDir` from its last complete checkpoint.
    // With a group: processes x grad_accum_steps must equal the run's (llmf::Error saying how otherwise).
    static std::unique_ptr<Trainer> resume(const std::string &runDir, const Config &config, TrainingData data,
                                           std::shared_ptr<ProcessGroup> group = nullptr);

    void setObserver(TrainObserver *observer);

    // One optimiser step (grad_accum_steps micro-batches). Throws llmf::Error on a NaN/Inf loss, naming the step.
    StepMetrics trainStep();
    // Mean loss over eval_iters batches of each split (fixed batches, so evaluations are comparable).
    EvalMetrics evaluate();
    // One step plus whatever the schedule asks for after it: evaluation every eval_interval (and at the end),
    // a checkpoint every checkpoint_interval. The step-0 evaluation happens on the first call of a fresh run.
    // The GUI's worker drives training with this, checking pause/stop between calls.
    StepMetrics advance();
    // Steps until max_iters or until *stop becomes true, evaluating, logging and checkpointing on schedule;
    // always saves before returning (end of run or stop).
    void run(const std::atomic_bool *stop = nullptr);
    void saveCheckpoint();
    // Writes config.yaml, tokenizer.json and the current weights into `dir`: a run directory the Inspector and
    // the Playground can open while training goes on (the "live model"). Call between steps.
    void saveSnapshot(const std::string &dir) const;

    int64_t currentStep() const;
    bool finished() const;
    const Config &config() const;
    const Tokenizer &tokenizer() const;
    MiniLLM model() const;
    // A generator on the model being trained (it shares the weights): samples between steps.
    Generator generator() const;
    std::string deviceName() const; // "cpu", "cuda:0"
    const std::string &runDirectory() const;

private:
    struct Impl;
    explicit Trainer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace llmf
