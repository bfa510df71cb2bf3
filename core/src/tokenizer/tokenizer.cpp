#include "llmf/tokenizer/tokenizer.h"

#include "llmf/common/error.h"
#include "llmf/tokenizer/pretokenizer.h"

#include <algorithm>
#include <climits>
#include <mutex>
#include <queue>
#include <shared_mutex>

namespace llmf {

// Real text repeats its words (Zipf), so caching word -> ids makes encoding mostly hash lookups.
// encode() is const and may run on several threads at once (a data loader and the UI, say): readers share the
// lock, a miss takes it exclusively just to insert.
struct Tokenizer::WordCache
{
    static constexpr size_t kMaxEntries = 1 << 18; // ~20-50 MB at worst; cleared (not LRU) when full
    std::shared_mutex mutex;
    std::unordered_map<std::string, std::vector<int32_t>> ids;
};

namespace {

uint64_t pairKey(int32_t left, int32_t right)
{
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
}

Error invalidUtf8Error(size_t offset)
{
    return Error("The text is not valid UTF-8 (first bad byte at offset " + std::to_string(offset) + ").",
                 "Save the file as UTF-8 (most editors offer it under \"Save as\"), or check that it is text.");
}

} // namespace

Tokenizer::Tokenizer() : Tokenizer(fromMerges({}, {kEndOfText, kPad})) {}

Tokenizer::Tokenizer(Empty) : m_byteToId(256, -1), m_cache(std::make_unique<WordCache>()) {}

Tokenizer Tokenizer::fromMerges(std::vector<Merge> merges, const std::vector<std::string> &specials)
{
    Tokenizer t{Empty{}};
    for (int b = 0; b < 256; ++b)
        t.addToken(std::string(1, static_cast<char>(b)), false);
    for (size_t i = 0; i < merges.size(); ++i) {
        const Merge &m = merges[i];
        const int32_t expected = static_cast<int32_t>(256 + i);
        if (m.token != expected || m.left < 0 || m.right < 0 || m.left >= expected || m.right >= expected)
            throw Error("Merge " + std::to_string(i) + " is inconsistent: it must make token " +
                        std::to_string(expected) + " from two earlier tokens.");
        std::string bytes = t.m_tokens[m.left] + t.m_tokens[m.right];
        if (t.m_ordinaryIds.count(bytes))
            throw Error("Merge " + std::to_string(i) + " makes a byte string that token " +
                        std::to_string(t.m_ordinaryIds.at(bytes)) + " already spells.");
        t.addToken(std::move(bytes), false);
    }
    t.m_merges = std::move(merges);
    t.indexMerges();
    for (const std::string &s : specials)
        t.addSpecialToken(s);
    return t;
}

Tokenizer::Tokenizer(const Tokenizer &other)
    : m_tokens(other.m_tokens), m_special(other.m_special), m_specialIds(other.m_specialIds),
      m_byteToId(other.m_byteToId), m_ordinaryIds(other.m_ordinaryIds), m_merges(other.m_merges), m_rank(other.m_rank),
      m_cache(std::make_unique<WordCache>())
{}

Tokenizer &Tokenizer::operator=(const Tokenizer &other)
{
    if (this != &other)
        *this = Tokenizer(other);
    return *this;
}

Tokenizer::Tokenizer(Tokenizer &&) noexcept = default;
Tokenizer &Tokenizer::operator=(Tokenizer &&) noexcept = default;
Tokenizer::~Tokenizer() = default;

void Tokenizer::addToken(std::string bytes, bool special)
{
    const auto id = static_cast<int32_t>(m_tokens.size());
    if (special) {
        m_specialIds.push_back(id);
    } else {
        if (bytes.size() == 1)
            m_byteToId[static_cast<unsigned char>(bytes[0])] = id;
        m_ordinaryIds.emplace(bytes, id);
    }
    m_tokens.push_back(std::move(bytes));
    m_special.push_back(special);
}

void Tokenizer::indexMerges()
{
    m_rank.clear();
    m_rank.reserve(m_merges.size());
    for (size_t i = 0; i < m_merges.size(); ++i)
        m_rank.emplace(pairKey(m_merges[i].left, m_merges[i].right), static_cast<int32_t>(i)); // first rank wins
    m_cache = std::make_unique<WordCache>();
}

std::vector<int32_t> Tokenizer::encodeWord(std::string_view word, int mergeLimit) const
{
    const int32_t limit = mergeLimit < 0 ? INT32_MAX : mergeLimit;
    const auto n = static_cast<int32_t>(word.size());
    std::vector<int32_t> sym(word.size());
    for (int32_t i = 0; i < n; ++i) {
        const auto byte = static_cast<unsigned char>(word[i]);
        sym[i] = m_byteToId[byte];
        if (sym[i] < 0) {
            static const char *hex = "0123456789abcdef";
            throw Error(std::string("The text contains the byte 0x") + hex[byte >> 4] + hex[byte & 15] +
                            ", which this tokenizer has no token for.",
                        "Its vocabulary lacks some of the 256 single bytes; train a tokenizer on this data instead.");
        }
    }
    if (n < 2)
        return sym;

    // The symbols form a linked list (merged tokens keep the left slot) and candidate pairs wait in a min-heap
    // keyed (rank, position): the lowest rank goes first and, within a rank, the leftmost. That is GPT-2's
    // "merge every occurrence of the best pair, left to right" in O(n log n) instead of O(n^2), which matters
    // for long words such as a line of "=====" or a base64 blob. Entries are never removed; a popped entry
    // whose pair has changed since it was pushed is stale and skipped.
    //   "aaa" with merge (a a): heap [(r,0), (r,1)] -> pop (r,0): "aa|a", slot 1 dies -> pop (r,1): stale.
    std::vector<int32_t> next(n), prev(n);
    for (int32_t i = 0; i < n; ++i) {
        next[i] = i + 1 < n ? i + 1 : -1;
        prev[i] = i - 1;
    }
    auto rankOf = [&](int32_t left, int32_t right) {
        const auto it = m_rank.find(pairKey(left, right));
        return it != m_rank.end() && it->second < limit ? it->second : -1;
    };
    using Candidate = std::pair<int32_t, int32_t>; // (rank, position of the left symbol)
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
    for (int32_t i = 0; i + 1 < n; ++i)
        if (const int32_t r = rankOf(sym[i], sym[i + 1]); r >= 0)
            heap.emplace(r, i);

    while (!heap.empty()) {
        const auto [rank, pos] = heap.top();
        heap.pop();
        const int32_t right = sym[pos] < 0 ? -1 : next[pos];
        if (right < 0 || rankOf(sym[pos], sym[right]) != rank)
            continue;
        sym[pos] = m_merges[rank].token;
        sym[right] = -1;
        next[pos] = next[right];
        if (next[pos] >= 0)
            prev[next[pos]] = pos;
        if (prev[pos] >= 0)
            if (const int32_t r = rankOf(sym[prev[pos]], sym[pos]); r >= 0)
                heap.emplace(r, prev[pos]);
        if (next[pos] >= 0)
            if (const int32_t r = rankOf(sym[pos], sym[next[pos]]); r >= 0)
                heap.emplace(r, pos);
    }
    sym.erase(std::remove(sym.begin(), sym.end(), -1), sym.end());
    return sym;
}

void Tokenizer::appendOrdinary(std::string_view text, std::vector<int32_t> &out) const
{
    for (const std::string_view piece : pretokenize(text)) {
        if (piece.size() == 1 && m_byteToId[static_cast<unsigned char>(piece[0])] >= 0) {
            out.push_back(m_byteToId[static_cast<unsigned char>(piece[0])]);
            continue;
        }
        if (!m_cache) { // a moved-from tokenizer: still correct, just slower
            const auto ids = encodeWord(piece);
            out.insert(out.end(), ids.begin(), ids.end());
            continue;
        }
        std::string key(piece);
        {
            std::shared_lock lock(m_cache->mutex);
            const auto it = m_cache->ids.find(key);
            if (it != m_cache->ids.end()) {
                out.insert(out.end(), it->second.begin(), it->second.end());
                continue;
            }
        }
        auto ids = encodeWord(piece);
        out.insert(out.end(), ids.begin(), ids.end());
        std::unique_lock lock(m_cache->mutex);
        if (m_cache->ids.size() >= WordCache::kMaxEntries)
            m_cache->ids.clear();
        m_cache->ids.emplace(std::move(key), std::move(ids));
    }
}

std::vector<int32_t> Tokenizer::encodeOrdinary(std::string_view text) const
{
    if (const auto bad = firstInvalidUtf8(text))
        throw invalidUtf8Error(*bad);
    std::vector<int32_t> out;
    out.reserve(text.size() / 3);
    appendOrdinary(text, out);
    return out;
}

std::vector<int32_t> Tokenizer::encode(std::string_view text) const
{
    if (const auto bad = firstInvalidUtf8(text))
        throw invalidUtf8Error(*bad);
    std::vector<int32_t> out;
    out.reserve(text.size() / 3);
    // Cut the text at special-token strings (leftmost first; the longest when two start at the same place):
    //   "a<|endoftext|>b" -> ordinary "a", special <|endoftext|>, ordinary "b".
    // nextAt[k] caches where special k occurs next, so each special is searched for once per occurrence.
    std::vector<size_t> nextAt;
    for (const int32_t id : m_specialIds)
        nextAt.push_back(text.find(m_tokens[id]));
    size_t pos = 0;
    while (pos < text.size()) {
        size_t best = std::string_view::npos;
        int32_t bestId = -1;
        for (size_t k = 0; k < m_specialIds.size(); ++k) {
            const std::string &s = m_tokens[m_specialIds[k]];
            if (nextAt[k] != std::string_view::npos && nextAt[k] < pos)
                nextAt[k] = text.find(s, pos);
            if (nextAt[k] == std::string_view::npos)
                continue;
            if (nextAt[k] < best || (nextAt[k] == best && s.size() > m_tokens[bestId].size())) {
                best = nextAt[k];
                bestId = m_specialIds[k];
            }
        }
        if (best == std::string_view::npos) {
            appendOrdinary(text.substr(pos), out);
            break;
        }
        appendOrdinary(text.substr(pos, best - pos), out);
        out.push_back(bestId);
        pos = best + m_tokens[bestId].size();
    }
    return out;
}

std::string Tokenizer::decode(const std::vector<int32_t> &ids) const
{
    std::string out;
    out.reserve(ids.size() * 4);
    for (const int32_t id : ids)
        out += tokenBytes(id);
    return out;
}

const std::string &Tokenizer::tokenBytes(int32_t id) const
{
    if (id < 0 || id >= vocabSize())
        throw Error("Token id " + std::to_string(id) + " is not in the vocabulary (0.." +
                        std::to_string(vocabSize() - 1) + ").",
                    "The ids probably come from a model trained with a different tokenizer.");
    return m_tokens[id];
}

int32_t Tokenizer::eosId() const
{
    if (const auto id = specialId(kEndOfText))
        return *id;
    throw Error("This tokenizer has no \"<|endoftext|>\" token.",
                "Add it with addSpecialToken, or use a tokenizer trained by LLM Foundry.");
}

int32_t Tokenizer::padId() const
{
    if (const auto id = specialId(kPad))
        return *id;
    throw Error("This tokenizer has no \"<|pad|>\" token.",
                "Add it with addSpecialToken, or use a tokenizer trained by LLM Foundry.");
}

int32_t Tokenizer::addSpecialToken(const std::string &text)
{
    if (text.empty())
        throw Error("A special token cannot be empty.");
    if (firstInvalidUtf8(text))
        throw Error("The special token \"" + text + "\" is not valid UTF-8.");
    if (const auto id = specialId(text))
        return *id;
    addToken(text, true);
    return vocabSize() - 1;
}

std::optional<int32_t> Tokenizer::specialId(std::string_view text) const
{
    for (const int32_t id : m_specialIds)
        if (m_tokens[id] == text)
            return id;
    return std::nullopt;
}

bool Tokenizer::isSpecial(int32_t id) const
{
    return id >= 0 && id < vocabSize() && m_special[id];
}

std::vector<std::pair<std::string, int32_t>> Tokenizer::specialTokens() const
{
    std::vector<std::pair<std::string, int32_t>> out;
    for (const int32_t id : m_specialIds)
        out.emplace_back(m_tokens[id], id);
    return out;
}

} // namespace llmf
