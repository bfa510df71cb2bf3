#pragma once

// A byte-level BPE tokenizer of the GPT-2 family (karpathy/minbpe's RegexTokenizer, with Hugging Face's
// tokenizer.json as the file format).
//
// Vocabulary of a tokenizer we train:
//     ids 0..255            the single bytes (id == byte value)
//     ids 256..256+M-1      one token per merge, in the order they were learned (rank order)
//     ids after that        special tokens, "<|endoftext|>" (end of a document, also used as BOS) and "<|pad|>"
// A tokenizer.json written by Hugging Face may number its tokens differently; load() accepts any dense
// numbering as long as the model is byte-level BPE.
//
// Encoding "hello hello" with merges [h e -> 256, l l -> 257, 256 257 -> 258, 258 o -> 259, " " 259 -> 260]:
//     pretokenize          "hello", " hello"
//     bytes                [h e l l o]            [" " h e l l o]
//     merge rank 0 (h e)   [256 l l o]            [" " 256 l l o]
//     merge rank 1 (l l)   [256 257 o]            [" " 256 257 o]
//     rank 2, rank 3       [259]                  [" " 259]
//     rank 4               [259]                  [260]
// Each word repeatedly merges the pair with the lowest rank, all its occurrences left to right, until no pair of
// adjacent tokens has a merge: exactly the order in which the trainer applied them.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace llmf {

struct Merge
{
    int32_t left;  // token id of the left half
    int32_t right; // token id of the right half
    int32_t token; // the id the pair becomes
    int64_t count; // how often the pair occurred when it was merged (0 when loaded from a file)
};

class Tokenizer
{
public:
    static constexpr const char *kEndOfText = "<|endoftext|>";
    static constexpr const char *kPad = "<|pad|>";

    // The 256 byte tokens and no merges, then "<|endoftext|>" (256) and "<|pad|>" (257): a valid, if
    // inefficient, tokenizer (one token per byte).
    Tokenizer();
    // Bytes, then `merges` (merges[i].token must be 256 + i and its halves must already exist), then
    // `specials` in order. Throws llmf::Error when the merges are inconsistent.
    static Tokenizer fromMerges(std::vector<Merge> merges, const std::vector<std::string> &specials);

    Tokenizer(const Tokenizer &other);
    Tokenizer &operator=(const Tokenizer &other);
    Tokenizer(Tokenizer &&) noexcept;
    Tokenizer &operator=(Tokenizer &&) noexcept;
    ~Tokenizer();

    // Text -> ids. Special-token strings inside the text ("<|endoftext|>") become their special id; everything
    // else goes through pretokenize + BPE. Throws llmf::Error when `text` is not valid UTF-8. Thread-safe.
    std::vector<int32_t> encode(std::string_view text) const;
    // Like encode() but special-token strings are treated as ordinary text ("<|endoftext|>" -> "<", "|", ...).
    std::vector<int32_t> encodeOrdinary(std::string_view text) const;
    // Ids -> bytes, concatenated. Not necessarily valid UTF-8 when the ids split a character. Throws
    // llmf::Error on an id outside the vocabulary.
    std::string decode(const std::vector<int32_t> &ids) const;

    // BPE on one pre-token (raw bytes, no special-token handling) using only the first `mergeLimit` merges
    // (all of them when negative). mergeLimit = 0 gives the bytes, mergeLimit = k the state after merge k-1:
    // this is what lessons use to replay training merge by merge. Not cached.
    std::vector<int32_t> encodeWord(std::string_view word, int mergeLimit = -1) const;

    // The bytes a token stands for (for a special token: its text). Throws llmf::Error on an unknown id.
    const std::string &tokenBytes(int32_t id) const;
    int32_t vocabSize() const { return static_cast<int32_t>(m_tokens.size()); }

    // "<|endoftext|>" separates documents and also starts a generation (GPT-2 has no separate BOS).
    // Both throw llmf::Error when the tokenizer has no such token (e.g. a foreign tokenizer.json).
    int32_t eosId() const;
    int32_t bosId() const { return eosId(); }
    int32_t padId() const;

    // Adds a special token at id vocabSize() (or returns its id when it already is one). Throws llmf::Error
    // when `text` is empty or not valid UTF-8.
    int32_t addSpecialToken(const std::string &text);
    std::optional<int32_t> specialId(std::string_view text) const;
    bool isSpecial(int32_t id) const;
    // (text, id) of every special token, in id order.
    std::vector<std::pair<std::string, int32_t>> specialTokens() const;

    // Merges in rank order (rank = index).
    const std::vector<Merge> &merges() const { return m_merges; }

    // Hugging Face tokenizer.json (version "1.0"), written atomically. Throws llmf::Error on I/O failure.
    void save(const std::string &path) const;
    std::string toJson() const;
    // Throws llmf::Error naming `path` and what is wrong (not JSON, no model.vocab, not byte-level BPE, a merge
    // with an unknown token, duplicate or missing ids...).
    static Tokenizer load(const std::string &path);
    // Same as load() from an in-memory document; `source` names it in error messages.
    static Tokenizer fromJson(std::string_view json, const std::string &source);

private:
    struct WordCache;
    struct Empty
    {
    };
    explicit Tokenizer(Empty); // no tokens at all; fromMerges and fromJson fill it

    void addToken(std::string bytes, bool special);
    void indexMerges();
    void appendOrdinary(std::string_view text, std::vector<int32_t> &out) const;

    std::vector<std::string> m_tokens;                      // id -> bytes (special tokens: their text)
    std::vector<bool> m_special;                            // id -> is a special token
    std::vector<int32_t> m_specialIds;                      // ascending
    std::vector<int32_t> m_byteToId;                        // byte value -> id of its single-byte token, -1 if absent
    std::unordered_map<std::string, int32_t> m_ordinaryIds; // bytes -> id, for non-special tokens
    std::vector<Merge> m_merges;
    std::unordered_map<uint64_t, int32_t> m_rank; // (left << 32 | right) -> merge rank
    std::unique_ptr<WordCache> m_cache;           // word -> ids; not copied, each copy warms its own
};

} // namespace llmf
