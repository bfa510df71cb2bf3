#pragma once

#include "llmf/config/config.h"
#include "llmf/tokenizer/tokenizer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace llmf {

class MiniLLM;
class MiniLLMImpl;

// A run directory (docs/architecture.md §5): what the app opens, resumes, inspects, samples from and exports.
//   config.yaml         every resolved value
//   tokenizer.json      Hugging Face format
//   model.safetensors   weights under HF Llama names; metadata "step"
//   optimizer.safetensors  AdamW state + RNG state; "step" (earlier versions wrote optimizer.pt: not read)
//   trainer_state.json  step, best val loss, sampler RNG, elapsed time; written last, so it marks a complete save
//   metrics.jsonl       one JSON object per step/eval/checkpoint event
class RunDirectory
{
public:
    explicit RunDirectory(std::string path);

    const std::string &path() const { return m_path; }
    std::string file(const char *name) const;
    std::string configPath() const { return file("config.yaml"); }
    std::string tokenizerPath() const { return file("tokenizer.json"); }
    std::string weightsPath() const { return file("model.safetensors"); }
    std::string optimizerPath() const { return file("optimizer.safetensors"); }
    // An objective's own trainable tensors (Objective::extraParameters), when it has any.
    std::string objectiveStatePath() const { return file("objective.safetensors"); }
    // What earlier versions saved instead: a LibTorch (TorchScript) archive, which this version refuses to load.
    std::string legacyOptimizerPath() const { return file("optimizer.pt"); }
    std::string statePath() const { return file("trainer_state.json"); }
    std::string metricsPath() const { return file("metrics.jsonl"); }
    // Weight snapshots over the run's life: checkpoints/step-0000100.safetensors (HF names, like model.safetensors).
    std::string historyPath(int64_t step) const;
    // (step, path) of every snapshot, by step.
    std::vector<std::pair<int64_t, std::string>> weightHistory() const;
    // Keeps the first snapshot (the untrained model) and the newest keep-1; keep 0 removes them all.
    void pruneHistory(int64_t keep) const;

    // Throws llmf::Error unless the folder holds at least config.yaml, tokenizer.json and model.safetensors,
    // naming what is missing.
    void requireTrainedModel() const;
    bool hasCheckpoint() const;

    void create() const; // mkdir -p
    Config loadConfig() const;
    Tokenizer loadTokenizer() const;

    // One line of metrics.jsonl (appended with a single write; a torn last line is skipped by readers).
    void appendMetric(const std::string &jsonLine) const;
    // Drops events after `step` (a resumed run replaces what the stopped run did after its checkpoint).
    // Deletes the temporaries (`*.tmp-XXXXXX`, atomicfile.h) a save left when its process was killed mid-write, in
    // the run and its checkpoints/ folder. Only for the process holding the run's RunLock. Returns how many.
    int removeStaleTemporaries() const;
    // Finishes a checkpoint save that was killed between renaming its files (atomicfile.h commitTogether), then
    // removes what other saves left (removeStaleTemporaries). For the process holding the RunLock.
    void recoverInterruptedSave() const;
    std::string commitJournalPath() const { return file("checkpoint.commit"); }
    void truncateMetricsAfter(int64_t step) const;

private:
    std::string m_path;
};

// Config, tokenizer and weights of a run, ready for inference on `device` (eval mode). Checks that the tokenizer
// fits the model and that the weights match config.yaml (llmf::Error naming the tensor and the key).
// Torch-free on purpose: the views and the CLI hold a LoadedRun as a value and hand it back to core (probes,
// Generator, evaluation, export) without compiling LibTorch's headers. Code that computes with the model calls
// model() (it needs llmf/model/minillm.h).
struct LoadedRun
{
    Config config;
    Tokenizer tokenizer;
    std::shared_ptr<MiniLLMImpl> net; // shared with every MiniLLM handle model() returns
    int64_t step = 0;

    MiniLLM model() const;
    int64_t parameterCount() const;
    std::string deviceName() const; // "cpu", "cuda:0"
};
// `weightsPath` other than model.safetensors (a snapshot from weightHistory()) loads those weights instead.
LoadedRun loadRun(const std::string &runDir, const std::string &device = "cpu", const std::string &weightsPath = {});

} // namespace llmf
