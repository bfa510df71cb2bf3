#include "llmf/data/rlazyloaddb.h"

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"

#include <cmath>
#include <fstream>
#include <zlib.h>

namespace llmf {

namespace {

const char *kCorruptHint =
    "The file is truncated or damaged. If it comes from a Debian package, reinstall that package.";

// deflate cannot expand data by more than ~1032x; anything claiming more is corrupt, and checking first keeps a
// hostile length field from making us allocate gigabytes.
constexpr uint64_t kMaxInflateRatio = 1032;

uint32_t readBigEndian32(std::string_view bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// The two numbers of an index entry: integers normally, doubles for offsets past 2 GiB.
bool entryNumbers(const RObject &obj, uint64_t &offset, uint64_t &length)
{
    std::vector<double> v;
    if (obj.type == RType::Integer)
        v.assign(obj.ints.begin(), obj.ints.end());
    else if (obj.type == RType::Real)
        v = obj.reals;
    if (v.size() != 2 || !(v[0] >= 0 && v[0] < 1e18) || !(v[1] >= 0 && v[1] < 1e18))
        return false;
    offset = uint64_t(v[0]);
    length = uint64_t(v[1]);
    return true;
}

} // namespace

std::string inflateBytes(std::string_view compressed, const std::string &origin, std::optional<size_t> expectedSize)
{
    const uint64_t limit = expectedSize ? *expectedSize : compressed.size() * kMaxInflateRatio + 1024;
    if (expectedSize && *expectedSize > compressed.size() * kMaxInflateRatio + 1024)
        throw Error("Cannot decompress " + origin + ": it claims " + std::to_string(*expectedSize) +
                        " bytes, more than " + std::to_string(compressed.size()) + " compressed bytes can hold.",
                    kCorruptHint);

    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK) // 15 + 32: accept a zlib or a gzip header
        throw Error("Cannot decompress " + origin + ": zlib failed to start.");
    std::string out;
    out.resize(size_t(std::min<uint64_t>(limit, expectedSize ? limit : compressed.size() * 4 + 4096)));
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.data()));
    size_t inLeft = compressed.size();
    int rc = Z_OK;
    bool tooLong = false;
    while (rc != Z_STREAM_END) {
        if (zs.total_out == out.size()) {
            if (out.size() >= limit) {
                tooLong = true;
                break;
            }
            out.resize(size_t(std::min<uint64_t>(limit, uint64_t(out.size()) * 2 + 1)));
        }
        // zlib counts in 32-bit units; feed it in slices so multi-gigabyte buffers also work.
        const uInt inChunk = uInt(std::min<size_t>(inLeft, 1u << 30));
        const uInt outChunk = uInt(std::min<size_t>(out.size() - zs.total_out, 1u << 30));
        zs.avail_in = inChunk;
        zs.next_out = reinterpret_cast<Bytef *>(&out[zs.total_out]);
        zs.avail_out = outChunk;
        rc = inflate(&zs, Z_NO_FLUSH);
        inLeft -= inChunk - zs.avail_in;
        if (rc == Z_BUF_ERROR && inLeft == 0 && zs.avail_out > 0)
            break; // input ended before the stream did
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            break;
    }
    const uint64_t at = zs.total_in, produced = zs.total_out;
    const std::string zmsg = zs.msg ? zs.msg : "";
    inflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        const std::string why = tooLong                           ? "it inflates to more bytes than it announces"
                                : rc == Z_BUF_ERROR || rc == Z_OK ? "the compressed data ends early"
                                                                  : "corrupt compressed data (" + zmsg + ")";
        throw Error("Cannot decompress " + origin + ": " + why + " (at compressed byte offset " + std::to_string(at) +
                        ").",
                    kCorruptHint);
    }
    if (expectedSize && produced != *expectedSize)
        throw Error("Cannot decompress " + origin + ": it inflates to " + std::to_string(produced) +
                        " bytes but announces " + std::to_string(*expectedSize) + ".",
                    kCorruptHint);
    out.resize(size_t(produced));
    return out;
}

RObject readRds(const std::string &path)
{
    const std::string bytes = readFile(path);
    const std::string origin = "'" + path + "'";
    if (bytes.size() >= 2 && (unsigned char)bytes[0] == 0x1f && (unsigned char)bytes[1] == 0x8b)
        return unserialize(inflateBytes(bytes, origin), origin + " (decompressed)");
    if (bytes.compare(0, 3, "BZh") == 0 || bytes.compare(0, 5,
                                                         "\xFD"
                                                         "7zXZ") == 0)
        throw Error("Cannot read " + origin + ": it is bzip2/xz-compressed, which this build cannot decompress.",
                    "Re-save it from R with saveRDS(x, file, compress = \"gzip\").");
    return unserialize(bytes, origin);
}

std::string decompressRdbBlob(std::string_view blob, int compression, const std::string &origin)
{
    if (compression == 0)
        return std::string(blob);
    const size_t header = compression == 1 ? 4 : 5;
    if (blob.size() < header)
        throw Error("Cannot decompress " + origin + ": its " + std::to_string(blob.size()) +
                        " bytes are too few for the " + std::to_string(header) + "-byte header.",
                    kCorruptHint);
    const size_t declared = readBigEndian32(blob);
    const char type = compression == 1 ? '1' : blob[4];
    const std::string_view payload = blob.substr(header);
    switch (type) {
    case '1':
        return inflateBytes(payload, origin, declared);
    case '0':
        if (payload.size() != declared)
            throw Error("Cannot read " + origin + ": it holds " + std::to_string(payload.size()) +
                            " stored bytes but announces " + std::to_string(declared) + ".",
                        kCorruptHint);
        return std::string(payload);
    case '2':
    case 'Z':
        throw Error("Cannot decompress " + origin + ": it is " + (type == '2' ? "bzip2" : "xz (LZMA)") +
                        "-compressed, and this build only reads zlib-compressed R data.",
                    "Use a copy of the data saved with compress = TRUE (zlib), R's default.");
    default:
        throw Error("Cannot decompress " + origin + ": unknown compression type byte " +
                        std::to_string(int((unsigned char)type)) + " after the length header.",
                    kCorruptHint);
    }
}

RLazyLoadDb::RLazyLoadDb(std::string rdxPath, std::string rdbPath)
    : m_rdxPath(std::move(rdxPath)), m_rdbPath(std::move(rdbPath))
{
    const RObject index = readRds(m_rdxPath);
    const auto bad = [&](const std::string &why) {
        return Error("'" + m_rdxPath + "' is not an R lazy-load index: " + why + ".", kCorruptHint);
    };
    if (index.type != RType::List)
        throw bad(std::string("it holds a ") + rTypeName(index.type) + ", not a list");
    const RObject *variables = index.item("variables");
    if (!variables || variables->type != RType::List)
        throw bad("it has no 'variables' list");

    if (const RObject *compressed = index.item("compressed")) {
        if (!compressed->ints.empty() && compressed->ints[0] != kRNaInteger)
            m_compression = compressed->ints[0];
        else if (!compressed->reals.empty() && std::isfinite(compressed->reals[0]))
            m_compression = int(compressed->reals[0]);
        else
            throw bad("its 'compressed' entry is not a number");
        if (m_compression < 0 || m_compression > 3)
            throw bad("unknown compression " + std::to_string(m_compression));
    } else {
        m_compression = 0;
    }

    const std::vector<std::string> names = variables->names();
    if (names.size() != variables->items.size())
        throw bad("its variables have no names");
    for (size_t i = 0; i < names.size(); ++i) {
        Entry e;
        if (!entryNumbers(*variables->items[i], e.offset, e.length))
            throw bad("the entry for '" + names[i] + "' is not an (offset, length) pair");
        if (m_entries.emplace(names[i], e).second)
            m_names.push_back(names[i]);
    }
}

std::string RLazyLoadDb::serialized(const std::string &name) const
{
    const auto it = m_entries.find(name);
    if (it == m_entries.end())
        throw Error("'" + m_rdbPath + "' has no variable '" + name + "'.");
    const Entry &e = it->second;

    std::ifstream in(m_rdbPath, std::ios::binary);
    if (!in)
        throw Error("Cannot open '" + m_rdbPath + "'.", "Check that the file exists and is readable.");
    in.seekg(0, std::ios::end);
    const uint64_t fileSize = uint64_t(in.tellg());
    if (e.offset > fileSize || e.length > fileSize - e.offset)
        throw Error("'" + m_rdbPath + "' is shorter than its index says: variable '" + name + "' needs bytes " +
                        std::to_string(e.offset) + " to " + std::to_string(e.offset + e.length) + ", the file has " +
                        std::to_string(fileSize) + ".",
                    kCorruptHint);
    std::string blob(size_t(e.length), '\0');
    in.seekg(std::streamoff(e.offset));
    if (!in.read(blob.data(), std::streamsize(blob.size())))
        throw Error("Reading '" + m_rdbPath + "' failed at byte offset " + std::to_string(e.offset) + ".");
    return decompressRdbBlob(blob, m_compression,
                             "'" + m_rdbPath + "' (variable '" + name + "' at byte offset " + std::to_string(e.offset) +
                                 ")");
}

RObject RLazyLoadDb::load(const std::string &name) const
{
    return unserialize(serialized(name), "'" + m_rdbPath + "' (variable '" + name + "', decompressed)");
}

} // namespace llmf
