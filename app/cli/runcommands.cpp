// llmf eval | tokenize | export: commands that open a trained run directory.
#include "clisupport.h"
#include "commands.h"

#include "llmf/common/error.h"
#include "llmf/data/corpus.h"
#include "llmf/quant/ggufexport.h"
#include "llmf/train/evaluation.h"
#include "llmf/run/hfexport.h"
#include "llmf/run/rundirectory.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

namespace llmf::cli {

namespace {

struct RunOptions
{
    std::string run;
    std::string data;
    std::string text;
    std::string format = "hf";
    std::string type;
    std::string out;
    std::string device = "cpu";
    std::string split;
    std::string reference;
    int64_t maxTokens = 0;
    bool json = false;
};

void evalCommand(const RunOptions &o)
{
    if (o.data.empty() == o.split.empty())
        throw Error("Give either --data FILE or --split val.");
    LoadedRun loaded = loadRun(o.run, o.device);
    const std::vector<int32_t> tokens =
        o.data.empty() ? validationTokens(o.run, o.maxTokens) : loaded.tokenizer.encode(readUserText(o.data));
    const std::string source = o.data.empty() ? "its validation split" : o.data;
    const TextEvaluation result = evaluateTokens(loaded, tokens);
    std::optional<LoadedRun> reference;
    std::optional<TextEvaluation> referenceResult;
    double agreement = 0.0;
    if (!o.reference.empty()) {
        reference = loadRun(o.reference, o.device);
        if (reference->tokenizer.vocabSize() != loaded.tokenizer.vocabSize())
            throw Error("--reference " + o.reference + " has another tokenizer than " + o.run + ".",
                        "Compare a quantised run with the run it was quantised from.");
        referenceResult = evaluateTokens(*reference, tokens);
        agreement = topOneAgreement(loaded, *reference, tokens);
    }
    if (o.json) {
        nlohmann::json out{{"run", o.run},
                           {"data", o.data.empty() ? "val" : o.data},
                           {"quantization", loaded.config.model.quantization},
                           {"tokens", result.predictedTokens},
                           {"mean_loss", result.meanLoss},
                           {"perplexity", result.perplexity}};
        if (referenceResult) {
            out["reference"] = o.reference;
            out["reference_perplexity"] = referenceResult->perplexity;
            out["perplexity_change"] = result.perplexity / referenceResult->perplexity - 1.0;
            out["top1_agreement"] = agreement;
        }
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::printf("%s on %s: mean loss %.4f, perplexity %.2f over %lld predicted tokens\n", o.run.c_str(), source.c_str(),
                result.meanLoss, result.perplexity, static_cast<long long>(result.predictedTokens));
    if (referenceResult)
        std::printf("%s: perplexity %.2f; %s is %+.2f %% from it and picks the same next token %.1f %% of the time\n",
                    o.reference.c_str(), referenceResult->perplexity, o.run.c_str(),
                    100.0 * (result.perplexity / referenceResult->perplexity - 1.0), 100.0 * agreement);
}

void tokenizeCommand(const RunOptions &o)
{
    const Tokenizer tokenizer = RunDirectory(o.run).loadTokenizer();
    printEncoding(tokenizer, tokenizer.encode(o.text), o.json);
}

void exportCommand(const RunOptions &o)
{
    if (o.format != "hf" && o.format != "gguf")
        throw Error("Unknown export format '" + o.format + "'.",
                    "Supported: hf (Hugging Face LlamaForCausalLM folder), gguf (one file for llama.cpp and Ollama).");
    LoadedRun loaded = loadRun(o.run, "cpu");
    if (o.format == "gguf") {
        const GgufExportSummary s = exportGguf(loaded, o.out, o.type);
        std::printf("Exported %s to %s (GGUF v3, llama, %s, %lld tensors, %.2f MiB)\n", o.run.c_str(), o.out.c_str(),
                    ggmlTypeName(s.type), static_cast<long long>(s.tensors), static_cast<double>(s.bytes) / 1048576.0);
        for (const std::string &fallback : s.fallbacks)
            std::printf("  %s\n", fallback.c_str());
        std::printf("Run it: llama-cli -m %s -p \"Once upon a time\"\n", o.out.c_str());
        return;
    }
    if (!o.type.empty())
        throw Error("--type applies to --format gguf only.", "A Hugging Face export holds the run's fp32 weights.");
    exportHuggingFace(loaded, o.out);
    std::printf("Exported %s to %s (Hugging Face LlamaForCausalLM: config.json, model.safetensors, tokenizer.json)\n",
                o.run.c_str(), o.out.c_str());
}

} // namespace

void addRunCommands(CLI::App &app)
{
    auto o = std::make_shared<RunOptions>();
    auto *eval = app.add_subcommand("eval", "Mean next-token loss and perplexity of a run on a text file");
    eval->add_option("-r,--run", o->run, "Run directory")->required();
    eval->add_option("-d,--data", o->data, "A UTF-8 .txt file or folder");
    eval->add_option("--split", o->split, "val = the run's own validation split (instead of --data)")
        ->check(CLI::IsMember({"val"}));
    eval->add_option("--max-tokens", o->maxTokens, "With --split val: score at most this many tokens (0 = all)");
    eval->add_option("--reference", o->reference,
                     "Another run with the same tokenizer (e.g. the fp32 run a quantised one came from): its "
                     "perplexity and how often both pick the same next token");
    eval->add_option("--device", o->device, "cpu, cuda or cuda:N")->capture_default_str();
    eval->add_flag("--json", o->json, "Print JSON");
    eval->callback([o] { evalCommand(*o); });

    auto *tokenize = app.add_subcommand("tokenize", "Token ids of a text with a run's tokenizer");
    tokenize->add_option("-r,--run", o->run, "Run directory")->required();
    tokenize->add_option("-t,--text", o->text, "Text to tokenize")->required();
    tokenize->add_flag("--json", o->json, "Print JSON (ids and token strings)");
    tokenize->callback([o] { tokenizeCommand(*o); });

    auto *exportCmd = app.add_subcommand("export", "Export a run for other tools");
    exportCmd->add_option("-r,--run", o->run, "Run directory")->required();
    exportCmd
        ->add_option("-f,--format", o->format,
                     "hf = Hugging Face LlamaForCausalLM folder, gguf = llama.cpp / Ollama file")
        ->capture_default_str();
    exportCmd->add_option("-t,--type", o->type, "gguf: f32, f16, q8_0 or q4_0 (default: the run's own precision)")
        ->check(CLI::IsMember({"f32", "f16", "q8_0", "q4_0"}));
    exportCmd->add_option("-o,--out", o->out, "Output folder (hf) or file (gguf)")->required();
    exportCmd->callback([o] { exportCommand(*o); });
}

} // namespace llmf::cli
