// The R serialisation decoder (RData / .rds / lazy-load blobs, how the Jane Austen corpus ships): the first byte
// picks the blob compression (0–3) the bytes after it are decoded with, as an .rdb entry would be.
#include "fuzztarget.h"

#include "llmf/common/error.h"
#include "llmf/data/rdatadecoder.h"
#include "llmf/data/rlazyloaddb.h"

LLMF_FUZZ_TARGET(rdata)
{
    if (size == 0)
        return 0;
    const std::string_view blob = llmf::fuzz::bytesOf(data + 1, size - 1);
    try {
        const std::string bytes = llmf::decompressRdbBlob(blob, data[0] % 4, "fuzz.rdb");
        llmf::unserialize(bytes, "fuzz.rdb");
    } catch (const llmf::Error &) {
    }
    try {
        llmf::unserialize(blob, "fuzz.rds");
    } catch (const llmf::Error &) {
    }
    return 0;
}
