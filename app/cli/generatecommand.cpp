// llmf generate: the guide's generate.py, streaming tokens as they are sampled.
#include "commands.h"

#include "llmf/common/error.h"
#include "llmf/config/validation.h"
#include "llmf/infer/generator.h"
#include "llmf/run/rundirectory.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

namespace llmf::cli {

namespace {

struct GenerateOptions
{
    std::string run;
    std::string prompt;
    std::string device = "cpu";
    std::optional<double> temperature;
    std::optional<int64_t> topK;
    std::optional<double> topP;
    std::optional<int64_t> maxNewTokens;
    std::optional<double> repetitionPenalty;
    std::optional<int64_t> seed;
    bool noKvCache = false;
    bool json = false;
};

void run(const GenerateOptions &o)
{
    LoadedRun loaded = loadRun(o.run, o.device);
    GenerationConfig g = loaded.config.generation;
    if (o.temperature)
        g.temperature = *o.temperature;
    if (o.topK)
        g.top_k = *o.topK > 0 ? std::optional<int64_t>(*o.topK) : std::nullopt; // 0 turns top-k off
    if (o.topP)
        g.top_p = *o.topP;
    if (o.maxNewTokens)
        g.max_new_tokens = *o.maxNewTokens;
    if (o.repetitionPenalty)
        g.repetition_penalty = *o.repetitionPenalty;
    if (o.seed)
        g.seed = *o.seed;
    if (o.noKvCache)
        g.use_kv_cache = false;
    Config check = loaded.config;
    check.generation = g;
    validateOrThrow(check, "the generation settings");

    Generator generator(loaded);
    generator.setCollectStages(false); // the per-stage candidates and logits are for the Playground, not the terminal
    generator.setCollectLogits(false);
    TokenCallback stream;
    std::string streamed;
    if (!o.json) {
        std::cout << o.prompt << std::flush;
        stream = [&streamed](const TokenEvent &event) {
            std::cout << event.piece << std::flush;
            streamed += event.piece;
            return true;
        };
    }
    const GenerationResult result = generator.generate(o.prompt, g, stream);
    if (o.json) {
        std::cout << nlohmann::json{{"prompt", o.prompt},
                                    {"prompt_ids", result.promptIds},
                                    {"generated_ids", result.generatedIds},
                                    {"text", result.text},
                                    {"tokens_per_s", result.tokensPerSecond},
                                    {"prefill_s", result.prefillSeconds},
                                    {"stopped_by_eos", result.stoppedByEos},
                                    {"kv_cache", g.use_kv_cache}}
                         .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                  << "\n";
        return;
    }
    // A generation that stops inside a multi-byte character ends with U+FFFD the stream never sent.
    if (result.text.size() > streamed.size())
        std::cout << result.text.substr(streamed.size());
    std::cout << "\n";
    std::fprintf(stderr, "[%zu tokens, %.1f tok/s, KV cache %s]\n", result.generatedIds.size(), result.tokensPerSecond,
                 g.use_kv_cache ? "on" : "off");
}

} // namespace

void addGenerateCommand(CLI::App &app)
{
    auto o = std::make_shared<GenerateOptions>();
    auto *cmd =
        app.add_subcommand("generate", "Sample text from a trained run (defaults: the run's generation section)");
    cmd->add_option("-r,--run", o->run, "Run directory")->required();
    cmd->add_option("-p,--prompt", o->prompt, "Text to continue (empty: start a new document)");
    cmd->add_option("-t,--temperature", o->temperature, "0 = greedy; higher = more random");
    cmd->add_option("-k,--top-k", o->topK, "Keep the k most likely tokens; 0 = off");
    cmd->add_option("--top-p", o->topP, "Keep the smallest set with probability mass >= p, in (0, 1]");
    cmd->add_option("-n,--max-new-tokens", o->maxNewTokens, "Tokens to generate");
    cmd->add_option("--repetition-penalty", o->repetitionPenalty, "> 1 discourages repeats; 1 = off");
    cmd->add_option("-s,--seed", o->seed, "Sampling seed");
    cmd->add_flag("--no-kv-cache", o->noKvCache, "Recompute the whole context for every token (slower)");
    cmd->add_option("--device", o->device, "cpu, cuda or cuda:N")->capture_default_str();
    cmd->add_flag("--json", o->json, "Print JSON (prompt ids, generated ids, text, tok/s)");
    cmd->callback([o] { run(*o); });
}

} // namespace llmf::cli
