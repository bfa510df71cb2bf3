#include "llmf/data/tokencache.h"

#include "llmf/common/atomicfile.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace llmf {

namespace {
constexpr char kMagic[8] = {'L', 'L', 'M', 'F', 'T', 'O', 'K', '1'};
}

uint64_t contentHash(std::string_view bytes, uint64_t seed)
{
    uint64_t h = seed;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

TokenCache::TokenCache(std::string directory) : m_directory(std::move(directory)) {}

std::string TokenCache::key(std::string_view text, uint64_t tokenizerFingerprint)
{
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%016llx-%016llx", static_cast<unsigned long long>(contentHash(text)),
                  static_cast<unsigned long long>(tokenizerFingerprint));
    return buffer;
}

std::string TokenCache::pathFor(const std::string &key) const
{
    return (std::filesystem::path(m_directory) / ("tokens-" + key + ".bin")).string();
}

std::optional<std::vector<int32_t>> TokenCache::load(const std::string &key) const
{
    std::ifstream in(pathFor(key), std::ios::binary);
    if (!in)
        return std::nullopt;
    char magic[8];
    uint64_t count = 0;
    if (!in.read(magic, 8) || std::memcmp(magic, kMagic, 8) != 0 ||
        !in.read(reinterpret_cast<char *>(&count), sizeof count))
        return std::nullopt;
    in.seekg(0, std::ios::end);
    const auto size = static_cast<uint64_t>(in.tellg());
    if (size != 16 + count * sizeof(int32_t))
        return std::nullopt; // truncated or padded: not ours to trust
    in.seekg(16);
    std::vector<int32_t> ids(count);
    if (!in.read(reinterpret_cast<char *>(ids.data()), static_cast<std::streamsize>(count * sizeof(int32_t))))
        return std::nullopt;
    return ids;
}

void TokenCache::store(const std::string &key, const std::vector<int32_t> &ids) const
{
    std::filesystem::create_directories(m_directory);
    std::string bytes(kMagic, 8);
    const uint64_t count = ids.size();
    bytes.append(reinterpret_cast<const char *>(&count), sizeof count);
    bytes.append(reinterpret_cast<const char *>(ids.data()), ids.size() * sizeof(int32_t));
    writeFileAtomically(pathFor(key), bytes);
}

std::vector<int32_t> TokenCache::getOrEncode(std::string_view text, uint64_t tokenizerFingerprint,
                                             const std::function<std::vector<int32_t>(std::string_view)> &encode) const
{
    const std::string k = key(text, tokenizerFingerprint);
    if (auto cached = load(k))
        return *cached;
    auto ids = encode(text);
    store(k, ids);
    return ids;
}

} // namespace llmf
