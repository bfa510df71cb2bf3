// Trainer::resumeConfig: which configuration a run resumes with (the run's own, or a requested one that keeps its
// model). Apart from trainer.cpp because it reads the run directory only and computes nothing.
#include "llmf/train/trainer.h"

#include "llmf/common/error.h"
#include "llmf/config/configschema.h"
#include "llmf/run/rundirectory.h"

#include <filesystem>

namespace llmf {

Config Trainer::resumeConfig(const std::string &runDir, const Config *requested)
{
    RunDirectory run(runDir);
    std::error_code ec;
    if (!run.hasCheckpoint() && std::filesystem::is_regular_file(run.legacyOptimizerPath(), ec))
        throw Error(
            "'" + runDir +
                "' was saved by an earlier LLM Foundry, whose optimizer state (optimizer.pt) is a "
                "LibTorch archive: loading one compiles and can run code stored in it, so this version does not "
                "read it.",
            "Its weights open everywhere (generate, the Inspector, export). To train on, start a new run; "
            "if you trust the file, resume it with the earlier version and save once more.");
    if (!run.hasCheckpoint())
        throw Error("'" + runDir + "' has no checkpoint to resume (trainer_state.json is missing).",
                    "Start a new run with --out, or pick a run directory that was saved.");
    Config config = run.loadConfig();
    if (requested) {
        Config wanted = *requested;
        wanted.model.ffn_hidden_dim = wanted.model.resolvedFfnHiddenDim();
        for (const auto &spec : configFields()) {
            if (spec.section != "model")
                continue;
            if (getField(wanted, spec) != getField(config, spec))
                throw Error("Cannot resume '" + runDir + "' with a different model: " + spec.path() + " is " +
                                formatFieldValue(getField(config, spec)) + " in the run but " +
                                formatFieldValue(getField(wanted, spec)) + " in the requested config.",
                            "The weights have the run's shape. Resume without --config, or start a new run.");
        }
        config.training = requested->training;
        config.generation = requested->generation;
        config.data.file_path = requested->data.file_path;
        config.data.corpus = requested->data.corpus;
    }
    config.data.tokenizer_path = run.tokenizerPath();
    return config;
}

} // namespace llmf
