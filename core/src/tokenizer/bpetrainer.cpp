#include "llmf/tokenizer/bpetrainer.h"

#include "llmf/common/error.h"
#include "llmf/tokenizer/pretokenizer.h"

#include <algorithm>
#include <unordered_set>

namespace llmf {

namespace {

using PairKey = uint64_t; // (left << 32) | right: one integer hashes faster than a std::pair

PairKey pairKey(int32_t left, int32_t right)
{
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}
int32_t leftOf(PairKey key)
{
    return static_cast<int32_t>(key >> 32);
}
int32_t rightOf(PairKey key)
{
    return static_cast<int32_t>(key & 0xFFFFFFFFu);
}

struct HeapEntry
{
    int64_t count;
    PairKey key;
};

// std::push_heap keeps the "largest" on top: the highest count, then the smallest (left, right).
bool heapLess(const HeapEntry &a, const HeapEntry &b)
{
    return a.count != b.count ? a.count < b.count : a.key > b.key;
}

void throwIfInvalidUtf8(std::string_view text)
{
    if (const auto bad = firstInvalidUtf8(text))
        throw Error("The text is not valid UTF-8 (first bad byte at offset " + std::to_string(*bad) + ").",
                    "Save the file as UTF-8 (most editors offer it under \"Save as\"), or check that it is text.");
}

// The mutable state of one training run.
struct PairCounts
{
    std::unordered_map<PairKey, int64_t> count;              // weighted by word counts
    std::unordered_map<PairKey, std::vector<int32_t>> where; // word indices; may hold stale ones, never misses
    std::vector<PairKey> gained;                             // pairs that gained count during the current merge

    void add(PairKey key, int64_t delta, int32_t word)
    {
        auto &c = count[key];
        c += delta;
        if (delta > 0) {
            auto &list = where[key];
            if (list.empty() || list.back() != word)
                list.push_back(word);
            gained.push_back(key);
        } else if (c == 0) {
            count.erase(key);
        }
    }
};

// Merges every occurrence of (left, right) in `word` into `token`, left to right, and moves the counts of the
// neighbouring pairs. In "x a b y" the pairs (x a), (a b), (b y) become (x T), (T y):
//     (x a) -= n, (x T) += n, (b y) -= n, (T y) += n        where n is the word's count
// The neighbour on the left is read from the output, so back-to-back occurrences ("a b a b") come out right:
// the second one sees T, not b, on its left.
void mergeWord(BpeWord &word, int32_t wordIndex, int32_t left, int32_t right, int32_t token, PairCounts &pairs)
{
    auto &sym = word.tokens;
    const int64_t n = word.count;
    size_t j = 0; // write position; always <= i, so the input ahead of i is intact
    for (size_t i = 0; i < sym.size();) {
        if (i + 1 < sym.size() && sym[i] == left && sym[i + 1] == right) {
            if (j > 0) {
                pairs.add(pairKey(sym[j - 1], left), -n, wordIndex);
                pairs.add(pairKey(sym[j - 1], token), n, wordIndex);
            }
            if (i + 2 < sym.size()) {
                pairs.add(pairKey(right, sym[i + 2]), -n, wordIndex);
                pairs.add(pairKey(token, sym[i + 2]), n, wordIndex);
            }
            sym[j++] = token;
            i += 2;
        } else {
            sym[j++] = sym[i++];
        }
    }
    sym.resize(j);
}

} // namespace

BpeTrainer::BpeTrainer(std::vector<std::string> specials) : m_specials(std::move(specials)) {}

void BpeTrainer::addText(std::string_view text)
{
    throwIfInvalidUtf8(text);
    auto countWords = [this](std::string_view segment) {
        for (const std::string_view piece : pretokenize(segment)) {
            ++m_counts[std::string(piece)];
            ++m_totalWords;
        }
    };
    // Cut out special-token strings; nextAt[k] is where special k occurs next (npos: nowhere).
    std::vector<size_t> nextAt;
    for (const std::string &s : m_specials)
        nextAt.push_back(s.empty() ? std::string_view::npos : text.find(s));
    size_t pos = 0;
    while (pos < text.size()) {
        size_t best = std::string_view::npos, bestLength = 0;
        for (size_t k = 0; k < m_specials.size(); ++k) {
            if (nextAt[k] != std::string_view::npos && nextAt[k] < pos)
                nextAt[k] = text.find(m_specials[k], pos);
            if (nextAt[k] < best || (nextAt[k] == best && m_specials[k].size() > bestLength)) {
                best = nextAt[k];
                bestLength = m_specials[k].size();
            }
        }
        if (best == std::string_view::npos) {
            countWords(text.substr(pos));
            break;
        }
        countWords(text.substr(pos, best - pos));
        pos = best + bestLength;
    }
}

BpeTrainResult BpeTrainer::train(int vocabSize, const Progress &progress, const std::atomic_bool *cancel)
{
    const int minimum = 256 + static_cast<int>(m_specials.size());
    if (vocabSize < minimum)
        throw Error("A vocabulary of " + std::to_string(vocabSize) + " tokens is too small: it needs at least " +
                        std::to_string(minimum) + " (256 bytes + " + std::to_string(m_specials.size()) +
                        " special tokens).",
                    "Choose a vocabulary size of at least " + std::to_string(minimum) +
                        "; a few thousand is typical for a small model.");
    BpeTrainResult result;
    result.requestedVocabSize = vocabSize;
    result.mergesRequested = vocabSize - minimum;

    // Sorted words make the word indices, and with them the whole run, independent of hash-map order.
    m_words.clear();
    m_words.reserve(m_counts.size());
    for (const auto &[bytes, count] : m_counts)
        m_words.push_back({bytes, count, {}});
    std::sort(m_words.begin(), m_words.end(), [](const BpeWord &a, const BpeWord &b) { return a.bytes < b.bytes; });

    PairCounts pairs;
    for (size_t w = 0; w < m_words.size(); ++w) {
        BpeWord &word = m_words[w];
        word.tokens.assign(word.bytes.begin(), word.bytes.end());
        for (auto &t : word.tokens)
            t = static_cast<unsigned char>(t); // ids 0..255 are the bytes
        for (size_t i = 0; i + 1 < word.tokens.size(); ++i)
            pairs.add(pairKey(word.tokens[i], word.tokens[i + 1]), word.count, static_cast<int32_t>(w));
    }
    pairs.gained.clear();
    std::vector<HeapEntry> heap;
    heap.reserve(pairs.count.size());
    for (const auto &[key, count] : pairs.count)
        heap.push_back({count, key});
    std::make_heap(heap.begin(), heap.end(), heapLess);

    std::vector<std::string> tokenBytes; // id -> bytes, to refuse a second token with the same bytes
    std::unordered_set<std::string> known;
    for (int b = 0; b < 256; ++b) {
        tokenBytes.emplace_back(1, static_cast<char>(b));
        known.insert(tokenBytes.back());
    }
    std::unordered_set<PairKey> refused;
    std::vector<Merge> merges;
    const int reportEvery = std::max(1, result.mergesRequested / 100);

    while (static_cast<int>(merges.size()) < result.mergesRequested) {
        if (cancel && cancel->load()) {
            result.cancelled = true;
            break;
        }
        // Pop until the top entry is up to date; a stale one goes back with its real (lower) count.
        HeapEntry best{0, 0};
        while (!heap.empty()) {
            std::pop_heap(heap.begin(), heap.end(), heapLess);
            const HeapEntry top = heap.back();
            heap.pop_back();
            const auto it = pairs.count.find(top.key);
            const int64_t actual = it == pairs.count.end() ? 0 : it->second;
            if (actual <= 0 || refused.count(top.key))
                continue;
            if (actual != top.count) {
                heap.push_back({actual, top.key});
                std::push_heap(heap.begin(), heap.end(), heapLess);
                continue;
            }
            best = top;
            break;
        }
        if (best.count < 2) { // every remaining pair occurs once: merging would only memorise the text
            result.ranOutOfPairs = true;
            break;
        }
        const int32_t left = leftOf(best.key), right = rightOf(best.key);
        std::string bytes = tokenBytes[left] + tokenBytes[right];
        // "ab"+"c" and "a"+"bc" both spell "abc". A second token with the same bytes could not be written to
        // tokenizer.json (the vocab maps bytes to one id), so such a pair is never merged.
        if (known.count(bytes)) {
            refused.insert(best.key);
            ++result.skippedPairs;
            continue;
        }
        const auto token = static_cast<int32_t>(tokenBytes.size());
        merges.push_back({left, right, token, best.count});
        known.insert(bytes);
        tokenBytes.push_back(std::move(bytes));

        auto node = pairs.where.extract(best.key);
        std::vector<int32_t> &affected = node.mapped();
        std::sort(affected.begin(), affected.end());
        affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
        for (const int32_t w : affected)
            mergeWord(m_words[w], w, left, right, token, pairs);
        pairs.count.erase(best.key);

        // Pairs with the new token are new, so their counts are final for now: push each once.
        std::sort(pairs.gained.begin(), pairs.gained.end());
        pairs.gained.erase(std::unique(pairs.gained.begin(), pairs.gained.end()), pairs.gained.end());
        for (const PairKey key : pairs.gained) {
            const auto it = pairs.count.find(key);
            if (it != pairs.count.end() && it->second > 0) {
                heap.push_back({it->second, key});
                std::push_heap(heap.begin(), heap.end(), heapLess);
            }
        }
        pairs.gained.clear();

        if (progress && static_cast<int>(merges.size()) % reportEvery == 0)
            progress(static_cast<int>(merges.size()), result.mergesRequested);
    }

    result.mergesDone = static_cast<int>(merges.size());
    if (progress)
        progress(result.mergesDone, result.mergesRequested);
    result.tokenizer = Tokenizer::fromMerges(std::move(merges), m_specials);
    return result;
}

std::vector<std::vector<std::string>> replaySegmentation(const Tokenizer &tokenizer, std::string_view text,
                                                         int mergesApplied)
{
    throwIfInvalidUtf8(text);
    std::vector<std::vector<std::string>> words;
    for (const std::string_view piece : pretokenize(text)) {
        std::vector<std::string> parts;
        for (const int32_t id : tokenizer.encodeWord(piece, mergesApplied))
            parts.push_back(tokenizer.tokenBytes(id));
        words.push_back(std::move(parts));
    }
    return words;
}

} // namespace llmf
