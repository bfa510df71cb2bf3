#include "llmf/data/trainingdata.h"

#include "llmf/common/error.h"
#include "llmf/data/corpus.h"
#include "llmf/data/tokencache.h"
#include "llmf/tokenizer/bpetrainer.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace llmf {

std::string defaultCacheDirectory()
{
    if (const char *dir = std::getenv("LLMF_CACHE_DIR"); dir && *dir)
        return dir;
    if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "llm-foundry").string();
    if (const char *home = std::getenv("HOME"); home && *home)
        return (fs::path(home) / ".cache" / "llm-foundry").string();
    return (fs::temp_directory_path() / "llm-foundry-cache").string();
}

std::string loadTrainingText(const DataConfig &data, std::string *source)
{
    if (!data.file_path.empty()) {
        if (source)
            *source = data.file_path;
        return readUserText(data.file_path);
    }
    std::string id = data.corpus;
    std::string text = id == "default" ? defaultCorpusText(&id) : loadCorpus(id);
    if (source)
        *source = "corpus " + id;
    return text;
}

uint64_t tokenizerFingerprint(const Tokenizer &tokenizer)
{
    return contentHash(tokenizer.toJson());
}

TrainingData prepareTrainingData(const Config &config, const std::string &cacheDir,
                                 const std::function<void(const std::string &)> &log)
{
    const auto say = [&](const std::string &message) {
        if (log)
            log(message);
    };
    TrainingData data;
    const std::string text = loadTrainingText(config.data, &data.source);
    data.textBytes = text.size();
    say("Text: " + data.source + " (" + std::to_string(text.size()) + " bytes)");

    if (!config.data.tokenizer_path.empty()) {
        data.tokenizer = Tokenizer::load(config.data.tokenizer_path);
        say("Tokenizer: " + config.data.tokenizer_path);
    } else {
        char key[64];
        std::snprintf(key, sizeof key, "%016llx-v%lld", static_cast<unsigned long long>(contentHash(text)),
                      static_cast<long long>(config.model.vocab_size));
        const fs::path cached = fs::path(cacheDir) / "tokenizers" / (std::string(key) + ".json");
        if (fs::exists(cached)) {
            data.tokenizer = Tokenizer::load(cached.string());
            say("Tokenizer: cached " + cached.string());
        } else {
            const auto start = std::chrono::steady_clock::now();
            BpeTrainer trainer;
            trainer.addText(text);
            const auto result = trainer.train(static_cast<int>(config.model.vocab_size));
            data.tokenizer = result.tokenizer;
            fs::create_directories(cached.parent_path());
            data.tokenizer.save(cached.string());
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            char line[160];
            std::snprintf(line, sizeof line, "Tokenizer: trained %d tokens in %.2f s (cached)",
                          data.tokenizer.vocabSize(), seconds);
            say(line);
        }
    }
    if (data.tokenizer.vocabSize() > config.model.vocab_size)
        throw Error("The tokenizer has " + std::to_string(data.tokenizer.vocabSize()) +
                        " tokens but model.vocab_size is " + std::to_string(config.model.vocab_size) + ".",
                    "Set model.vocab_size to at least " + std::to_string(data.tokenizer.vocabSize()) +
                        " or use a smaller tokenizer.");

    TokenCache cache((fs::path(cacheDir) / "tokens").string());
    data.tokens = cache.getOrEncode(text, tokenizerFingerprint(data.tokenizer),
                                    [&](std::string_view t) { return data.tokenizer.encode(t); });
    say("Tokens: " + std::to_string(data.tokens.size()));
    return data;
}

} // namespace llmf
