// llmf tokenizer train|encode|decode: our byte-level BPE from the command line.
#include "clisupport.h"
#include "commands.h"

#include "llmf/common/error.h"
#include "llmf/data/corpus.h"
#include "llmf/tokenizer/bpetrainer.h"
#include "llmf/tokenizer/tokenizer.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

namespace llmf::cli {

namespace {

struct TrainOptions
{
    std::string input;
    std::string corpus;
    int vocabSize = 8192;
    std::string out = "tokenizer.json";
};

struct CodecOptions
{
    std::string tokenizer = "tokenizer.json";
    std::string text;
    std::string ids;
    bool json = false;
};

void train(const TrainOptions &o)
{
    if (o.input.empty() == o.corpus.empty())
        throw Error("Give exactly one of --input PATH or --corpus ID.", "See `llmf corpus list` for the corpus ids.");
    const auto start = std::chrono::steady_clock::now();
    const std::string text = o.input.empty() ? loadCorpus(o.corpus) : readUserText(o.input);

    BpeTrainer trainer;
    trainer.addText(text);
    std::fprintf(stderr, "%zu bytes, %lld words (%zu unique)\n", text.size(),
                 static_cast<long long>(trainer.totalWords()), trainer.uniqueWords());
    ProgressBar bar("merging", 1);
    const auto mergeStart = std::chrono::steady_clock::now();
    auto rate = [&](int merged) {
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - mergeStart).count();
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%d merges, %.0f merges/s", merged, s > 0 ? merged / s : 0.0);
        return std::string(buffer);
    };
    const BpeTrainResult result = trainer.train(o.vocabSize, [&](int merged, int total) {
        bar.setTotal(total);
        bar.update(merged, rate(merged));
    });
    bar.finish(rate(result.mergesDone));
    result.tokenizer.save(o.out);

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("Saved %s: vocabulary %d (256 bytes + %d merges + %zu special tokens) in %.2f s\n", o.out.c_str(),
                result.tokenizer.vocabSize(), result.mergesDone, result.tokenizer.specialTokens().size(), seconds);
    if (result.ranOutOfPairs)
        std::printf("Stopped early: no pair of tokens occurs twice any more (the text is too small for %d).\n",
                    o.vocabSize);
}

void encode(const CodecOptions &o)
{
    const Tokenizer tokenizer = Tokenizer::load(o.tokenizer);
    printEncoding(tokenizer, tokenizer.encode(o.text), o.json);
}

void decode(const CodecOptions &o)
{
    const Tokenizer tokenizer = Tokenizer::load(o.tokenizer);
    const std::string text = tokenizer.decode(parseIdList(o.ids));
    if (o.json)
        std::cout << nlohmann::json{{"text", text}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                  << "\n";
    else
        std::cout << text << "\n";
}

} // namespace

void addTokenizerCommand(CLI::App &app)
{
    auto *tokenizer = app.add_subcommand("tokenizer", "Train and use byte-level BPE tokenizers");
    tokenizer->require_subcommand(1);

    auto trainOptions = std::make_shared<TrainOptions>();
    auto *trainCmd = tokenizer->add_subcommand("train", "Learn a BPE vocabulary from text");
    trainCmd->add_option("-i,--input", trainOptions->input, "A UTF-8 .txt file or a folder of them");
    trainCmd->add_option("--corpus", trainOptions->corpus, "A built-in corpus id instead (see `llmf corpus list`)");
    trainCmd
        ->add_option("-v,--vocab-size", trainOptions->vocabSize, "Vocabulary size, including 256 bytes and specials")
        ->capture_default_str()
        ->check(CLI::Range(258, 1 << 22));
    trainCmd->add_option("-o,--out", trainOptions->out, "Where to write tokenizer.json")->capture_default_str();
    trainCmd->callback([trainOptions] { train(*trainOptions); });

    auto codec = std::make_shared<CodecOptions>();
    auto *encodeCmd = tokenizer->add_subcommand("encode", "Text to token ids");
    encodeCmd->add_option("-t,--tokenizer", codec->tokenizer, "tokenizer.json")->capture_default_str();
    encodeCmd->add_option("--text", codec->text, "Text to encode")->required();
    encodeCmd->add_flag("--json", codec->json, "Print JSON");
    encodeCmd->callback([codec] { encode(*codec); });

    auto *decodeCmd = tokenizer->add_subcommand("decode", "Token ids to text");
    decodeCmd->add_option("-t,--tokenizer", codec->tokenizer, "tokenizer.json")->capture_default_str();
    decodeCmd->add_option("--ids", codec->ids, "Comma-separated ids, e.g. 72,105")->required();
    decodeCmd->add_flag("--json", codec->json, "Print JSON");
    decodeCmd->callback([codec] { decode(*codec); });
}

} // namespace llmf::cli
