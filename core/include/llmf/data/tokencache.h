#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmf {

// 64-bit FNV-1a: a fast, dependency-free content hash (not for security; collisions only cost a re-tokenise).
uint64_t contentHash(std::string_view bytes, uint64_t seed = 14695981039346656037ULL);

// Token ids of a text, cached in `directory` (usually next to the tokenizer.json) under a key built from the
// text's hash and the tokenizer's fingerprint, so the 4 MB default corpus is tokenised once, not every run.
// Files: tokens-<key>.bin = "LLMFTOK1", uint64 count, int32 little-endian ids; written atomically. A corrupt
// or truncated cache file is ignored and rewritten.
class TokenCache
{
public:
    explicit TokenCache(std::string directory);

    static std::string key(std::string_view text, uint64_t tokenizerFingerprint);
    std::string pathFor(const std::string &key) const;

    std::optional<std::vector<int32_t>> load(const std::string &key) const;
    void store(const std::string &key, const std::vector<int32_t> &ids) const;

    // load(), or encode + store on a miss.
    std::vector<int32_t> getOrEncode(std::string_view text, uint64_t tokenizerFingerprint,
                                     const std::function<std::vector<int32_t>(std::string_view)> &encode) const;

private:
    std::string m_directory;
};

} // namespace llmf
