#pragma once

// Learns byte-level BPE merges from text (the minbpe lesson, scaled up to megabytes).
//
// Worked example (Wikipedia's), the single word "aaabdaaabac":
//     start      a a a b d a a a b a c      pair counts: (a a) 4, (a b) 2, (b d) 1, ...   ("aaa" holds (a a) twice)
//     merge 0    (a a) -> 256 "aa"   count 4:   256 a b d 256 a b a c    now (256 a) 2 and (a b) 2 tie:
//     merge 1    (a b) -> 257 "ab"   count 2:   256 257 d 256 257 a c    the smaller pair of ids wins
//     merge 2    (256 257) -> 258 "aaab" 2:     258 d 258 a c            every pair now occurs once: stop
//
// At scale, recounting all pairs after each merge (what minbpe does) is too slow, so this is the incremental
// algorithm of Hugging Face's trainer:
//   1. pre-tokenise once and count unique words ("the" x 41'000 is one word with count 41'000);
//   2. count every adjacent pair, weighted by word count, and remember which words contain it;
//   3. pop the most frequent pair from a max-heap; merge it only in the words that contain it, adjusting the
//      counts of the pairs around each occurrence; repeat until the vocabulary is full.
// Heap entries are never updated in place: a popped entry whose count is out of date is pushed back with the
// current count ("lazy deletion"). That works because merging only ever lowers the counts of existing pairs;
// pairs that gain count all contain the brand-new token and are pushed fresh.

#include "llmf/tokenizer/tokenizer.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace llmf {

// One unique pre-token of the training text and, after train(), how the trainer split it.
struct BpeWord
{
    std::string bytes;
    int64_t count = 0;
    std::vector<int32_t> tokens;
};

struct BpeTrainResult
{
    Tokenizer tokenizer;
    int requestedVocabSize = 0;
    int mergesRequested = 0;    // requestedVocabSize - 256 - number of special tokens
    int mergesDone = 0;         // tokenizer.merges().size()
    bool ranOutOfPairs = false; // stopped early: no pair of tokens occurs at least twice any more
    bool cancelled = false;
    int skippedPairs = 0; // pairs not merged because their bytes already were a token ("a"+"bc" after "ab"+"c")
};

class BpeTrainer
{
public:
    // (merges done, merges requested); called about every 1% and once at the end.
    using Progress = std::function<void(int merged, int total)>;

    // `specials` are appended after the merges and count towards the vocabulary size. Their strings are cut out
    // of the training text, so documents joined by "<|endoftext|>" train as separate documents.
    explicit BpeTrainer(std::vector<std::string> specials = {Tokenizer::kEndOfText, Tokenizer::kPad});

    // Pre-tokenises `text` and adds its words to the counts; call once per file. Throws llmf::Error when the text
    // is not valid UTF-8.
    void addText(std::string_view text);
    int64_t totalWords() const { return m_totalWords; }
    size_t uniqueWords() const { return m_counts.size(); }

    // Learns merges until the vocabulary has `vocabSize` tokens (256 bytes + merges + specials) or no pair occurs
    // twice. Deterministic: ties go to the smallest (left, right) ids. Throws llmf::Error when `vocabSize` cannot
    // even hold the bytes and the specials. May be called again (e.g. with another size): it starts over.
    BpeTrainResult train(int vocabSize, const Progress &progress = {}, const std::atomic_bool *cancel = nullptr);

    // After train(): every unique word (sorted by bytes) with the trainer's final segmentation. encode() of the
    // training text reproduces exactly these segmentations.
    const std::vector<BpeWord> &words() const { return m_words; }

private:
    std::vector<std::string> m_specials;
    std::unordered_map<std::string, int64_t> m_counts;
    int64_t m_totalWords = 0;
    std::vector<BpeWord> m_words;
};

// Replays training for a lesson: the segmentation of each pre-token of `text` after the first `mergesApplied`
// merges of `tokenizer` (0 = bytes), as byte strings. With the tokenizer trained on "aaabdaaabac" above:
//     mergesApplied 1 -> {{"aa", "a", "b", "d", "aa", "a", "b", "a", "c"}}
//     mergesApplied 3 -> {{"aaab", "d", "aaab", "a", "c"}}
// Special-token strings are not treated specially. Throws llmf::Error on invalid UTF-8.
std::vector<std::vector<std::string>> replaySegmentation(const Tokenizer &tokenizer, std::string_view text,
                                                         int mergesApplied);

} // namespace llmf
