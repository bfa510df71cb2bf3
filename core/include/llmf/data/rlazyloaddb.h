#pragma once

#include "llmf/data/rdatadecoder.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmf {

// Inflates a zlib or gzip stream (detected from its header). When `expectedSize` is given the output must have
// exactly that size. Throws llmf::Error naming `origin` and the compressed byte offset on corrupt input.
std::string inflateBytes(std::string_view compressed, const std::string &origin,
                         std::optional<size_t> expectedSize = std::nullopt);

// Reads a `saveRDS()` file: gzip-compressed (R's default) or plain serialisation.
RObject readRds(const std::string &path);

// Turns one blob of an .rdb file into serialised bytes. `compression` is the index's `compressed` entry:
//   0    the blob is the serialisation itself
//   1    4-byte big-endian uncompressed length, then a zlib stream          (R's default, compress = TRUE)
//   2/3  length, one type byte, payload: '1' zlib, '0' stored, '2' bzip2, 'Z' raw LZMA2 (xz) - as R's
//        R_decompress2/3 write them; bzip2 and xz need libraries this project does not link, so they throw.
std::string decompressRdbBlob(std::string_view blob, int compression, const std::string &origin);

// An R lazy-load database: the pair `name.rdx` (index) + `name.rdb` (data) that R packages use for their data
// sets and code. The index is an .rds holding list(variables = list(name = c(offset, length), ...),
// references = list(...), compressed = TRUE|2|3); each variable's blob is decompressed and unserialised on demand.
class RLazyLoadDb
{
public:
    // Reads the index; throws llmf::Error when it is missing or malformed.
    RLazyLoadDb(std::string rdxPath, std::string rdbPath);

    const std::vector<std::string> &variables() const { return m_names; }
    bool contains(const std::string &name) const { return m_entries.count(name) != 0; }
    int compression() const { return m_compression; }

    // The serialised bytes of one variable (after decompression); `load` decodes them.
    std::string serialized(const std::string &name) const;
    RObject load(const std::string &name) const;

private:
    struct Entry
    {
        uint64_t offset = 0;
        uint64_t length = 0;
    };

    std::string m_rdxPath;
    std::string m_rdbPath;
    std::vector<std::string> m_names;
    std::map<std::string, Entry> m_entries;
    int m_compression = 1;
};

} // namespace llmf
