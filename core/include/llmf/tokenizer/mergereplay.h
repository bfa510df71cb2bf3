#pragma once

// BPE merges replayed: a text as the tokenizer would cut it after only its first k merges (k = 0: one token per
// byte; k = all: what encode() gives). Because BPE learns its merges one after another, the first V − 256 − specials
// merges of an 8192-token tokenizer *are* the tokenizer of vocabulary V, so one trained tokenizer shows every size.
// What the Tokenizer Lab draws.

#include "llmf/tokenizer/tokenizer.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace llmf {

struct ReplayToken
{
    int32_t id = 0;
    std::string bytes;
    int mergeRank = -1; // the merge that made it (-1: a single byte)
};

// `text` pre-tokenised and each piece encoded with the first `merges` merges (clamped to 0 … merges().size()).
// Special-token strings are ordinary text here. llmf::Error when `text` is not valid UTF-8.
std::vector<ReplayToken> segmentAt(const Tokenizer &tokenizer, std::string_view text, int merges);

struct SegmentationStats
{
    int vocabularySize = 0; // 256 + merges (+ the specials)
    int64_t tokens = 0;
    int64_t bytes = 0;
    int64_t characters = 0; // UTF-8 code points
    double bytesPerToken() const { return tokens ? double(bytes) / double(tokens) : 0.0; }
    double charactersPerToken() const { return tokens ? double(characters) / double(tokens) : 0.0; }
};
SegmentationStats segmentationStats(const Tokenizer &tokenizer, std::string_view text, int merges);

// How many merges a vocabulary of `vocabularySize` tokens has with this tokenizer's specials (clamped to what it has).
int mergesForVocabulary(const Tokenizer &tokenizer, int vocabularySize);

} // namespace llmf
