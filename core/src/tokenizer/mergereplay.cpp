#include "llmf/tokenizer/mergereplay.h"

#include "llmf/common/error.h"
#include "llmf/tokenizer/pretokenizer.h"

#include <algorithm>

namespace llmf {

std::vector<ReplayToken> segmentAt(const Tokenizer &tokenizer, std::string_view text, int merges)
{
    if (const auto bad = firstInvalidUtf8(text))
        throw Error("The text is not valid UTF-8 (byte " + std::to_string(*bad) + ").");
    const int limit = std::clamp(merges, 0, static_cast<int>(tokenizer.merges().size()));
    const int firstMerged = tokenizer.merges().empty() ? tokenizer.vocabSize() : tokenizer.merges().front().token;
    std::vector<ReplayToken> out;
    for (const std::string_view word : pretokenize(text))
        for (const int32_t id : tokenizer.encodeWord(word, limit)) {
            ReplayToken token;
            token.id = id;
            token.bytes = tokenizer.tokenBytes(id);
            token.mergeRank = id >= firstMerged && !tokenizer.isSpecial(id) ? id - firstMerged : -1;
            out.push_back(std::move(token));
        }
    return out;
}

SegmentationStats segmentationStats(const Tokenizer &tokenizer, std::string_view text, int merges)
{
    SegmentationStats stats;
    stats.vocabularySize = 256 + std::clamp(merges, 0, static_cast<int>(tokenizer.merges().size())) +
                           static_cast<int>(tokenizer.specialTokens().size());
    stats.tokens = static_cast<int64_t>(segmentAt(tokenizer, text, merges).size());
    stats.bytes = static_cast<int64_t>(text.size());
    for (const char c : text)
        stats.characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return stats;
}

int mergesForVocabulary(const Tokenizer &tokenizer, int vocabularySize)
{
    const int wanted = vocabularySize - 256 - static_cast<int>(tokenizer.specialTokens().size());
    return std::clamp(wanted, 0, static_cast<int>(tokenizer.merges().size()));
}

} // namespace llmf
