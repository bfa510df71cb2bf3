#pragma once

#include "llmf/config/config.h"
#include "llmf/data/trainingdata.h"
#include "llmf/tokenizer/tokenizer.h"
#include "llmf/train/trainobserver.h"

#include <atomic>
#include <memory>
#include <string>

namespace llmf {

class MiniLLM;
class Objective;
struct LoadedRun;
class ProcessGroup;

// The training loop: trains a MiniLLM on an Objective (objective.h), which owns the data, the loss and its
// metrics. The loop owns the rest: AdamW (decay on >= 2-D weights only, betas from the config), warmup + cosine
// learning rate, global-norm gradient clipping, gradient accumulation, the data-parallel gradient average,
// evaluation and checkpoint scheduling, the run lock, resume and the observer.
// Deterministic on CPU for a seed at a fixed thread count. A resumed run continues bit for bit (same batches, same
// dropout masks) when the thread count is fixed (LLMF_NUM_THREADS, or LLMF_ADAPTIVE_THREADS=0); with the adaptive
// thread count (the default) the sums' order may differ, and a resume equals the uninterrupted run to float rounding
// (docs/architecture-training.md, "Resume").
// Not thread-safe: one thread drives it (the CLI's main thread or the GUI's TrainingWorker).
class Trainer
{
public:
    // A fresh run of `objective` in `runDir` (created; config.yaml and tokenizer.json are written at once).
    // With a process group, this process is one rank of data-parallel training (docs/architecture-training.md
    // "Data-parallel training"): rank 0's weights are broadcast, gradients averaged over the ranks after each
    // step's backward passes, evaluations shared out and averaged; rank 0 alone writes the run directory. Every
    // rank must call the same methods in the same order (run() and advance() do).
    Trainer(const Config &config, std::unique_ptr<Objective> objective, const std::string &runDir,
            std::shared_ptr<ProcessGroup> group = nullptr);
    // Pre-training on `data` (PretrainingObjective).
    Trainer(const Config &config, TrainingData data, const std::string &runDir,
            std::shared_ptr<ProcessGroup> group = nullptr);
    ~Trainer();
    Trainer(const Trainer &) = delete;
    Trainer &operator=(const Trainer &) = delete;

    // The config to resume `runDir` with: the run's own, or `requested` when given, whose model section must
    // equal the run's (llmf::Error naming the first differing key otherwise); data.tokenizer_path is set to the
    // run's tokenizer so prepareTrainingData() encodes the text exactly as before.
    static Config resumeConfig(const std::string &runDir, const Config *requested = nullptr);
    // Continues `runDir` from its last complete checkpoint with the objective that saved it (llmf::Error naming both
    // otherwise). With a group: processes x grad_accum_steps must equal the run's (llmf::Error saying how otherwise).
    static std::unique_ptr<Trainer> resume(const std::string &runDir, const Config &config,
                                           std::unique_ptr<Objective> objective,
                                           std::shared_ptr<ProcessGroup> group = nullptr);
    // Pre-training on `data`.
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
    // The model being trained (it shares the weights).
    MiniLLM model() const;
    // The same as a torch-free LoadedRun (config, tokenizer, the shared model): what the GUI builds a Generator on
    // to sample between steps.
    LoadedRun liveModel() const;
    std::string deviceName() const; // "cpu", "cuda:0"
    const std::string &runDirectory() const;

private:
    struct Impl;
    explicit Trainer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> d;
};

} // namespace llmf
