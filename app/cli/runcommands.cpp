// llmf eval | tokenize | export: commands that open a trained run directory.
#include "clisupport.h"
#include "commands.h"

#include "llmf/common/error.h"
#include "llmf/data/corpus.h"
#include "llmf/train/evaluation.h"
#include "llmf/train/hfexport.h"
#include "llmf/train/rundirectory.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace llmf::cli {

namespace {

struct RunOptions
{
    std::string run;
    std::string data;
    std::string text;
    std::string format = "hf";
    std::string out;
    std::string device = "cpu";
    bool json = false;
};

void evalCommand(const RunOptions &o)
{
    LoadedRun loaded = loadRun(o.run, o.device);
    const std::string text = readUserText(o.data);
    const auto tokens = loaded.tokenizer.encode(text);
    const TextEvaluation result = evaluateTokens(loaded, tokens);
    if (o.json) {
        std::cout << nlohmann::json{{"run", o.run},
                                    {"data", o.data},
                                    {"tokens", result.predictedTokens},
                                    {"mean_loss", result.meanLoss},
                                    {"perplexity", result.perplexity}}
                         .dump(2)
                  << "\n";
        return;
    }
    std::printf("%s on %s: mean loss %.4f, perplexity %.2f over %lld predicted tokens\n", o.run.c_str(), o.data.c_str(),
                result.meanLoss, result.perplexity, static_cast<long long>(result.predictedTokens));
}

void tokenizeCommand(const RunOptions &o)
{
    const Tokenizer tokenizer = RunDirectory(o.run).loadTokenizer();
    printEncoding(tokenizer, tokenizer.encode(o.text), o.json);
}

void exportCommand(const RunOptions &o)
{
    if (o.format != "hf")
        throw Error("Unknown export format '" + o.format + "'.", "Supported: hf (Hugging Face LlamaForCausalLM).");
    LoadedRun loaded = loadRun(o.run, "cpu");
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
    eval->add_option("-d,--data", o->data, "A UTF-8 .txt file or folder")->required();
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
    exportCmd->add_option("-f,--format", o->format, "hf = Hugging Face LlamaForCausalLM folder")->capture_default_str();
    exportCmd->add_option("-o,--out", o->out, "Output folder")->required();
    exportCmd->callback([o] { exportCommand(*o); });
}

} // namespace llmf::cli
