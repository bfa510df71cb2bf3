#pragma once

#include "llmf/config/config.h"
#include "llmf/tokenizer/tokenizer.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace llmf {

// Everything a training run reads: the tokenizer and the token stream of the whole text.
struct TrainingData
{
    Tokenizer tokenizer;
    std::vector<int32_t> tokens;
    std::string source; // "corpus janeausten" or the user's path, for logs and the run's metadata
    uint64_t textBytes = 0;
};

// $LLMF_CACHE_DIR, else $XDG_CACHE_HOME/llm-foundry, else ~/.cache/llm-foundry.
std::string defaultCacheDirectory();

// Resolves config.data: reads the text (file_path, or the configured corpus), gets a tokenizer
// (data.tokenizer_path, or one trained to model.vocab_size and cached in <cacheDir>/tokenizers keyed by the text
// and the size), and the token ids (cached in <cacheDir>/tokens). Progress messages go to `log`.
// Throws llmf::Error for unreadable/empty/binary input or a tokenizer larger than model.vocab_size.
TrainingData prepareTrainingData(const Config &config, const std::string &cacheDir = defaultCacheDirectory(),
                                 const std::function<void(const std::string &)> &log = {});

// The text a config points at (no tokenisation).
std::string loadTrainingText(const DataConfig &data, std::string *source = nullptr);

// Stable identity of a tokenizer (hash of its tokenizer.json), for cache keys.
uint64_t tokenizerFingerprint(const Tokenizer &tokenizer);

} // namespace llmf
