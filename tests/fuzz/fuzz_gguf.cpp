// The GGUF v3 reader (header, metadata key/value table of every type, tensor infos, alignment, data offsets), for
// files a learner downloads to compare with their own export.
#include "fuzztarget.h"

#include "llmf/common/error.h"
#include "llmf/quant/gguf.h"

LLMF_FUZZ_TARGET(gguf)
{
    try {
        llmf::parseGguf(llmf::fuzz::bytesOf(data, size), "fuzz.gguf");
    } catch (const llmf::Error &) {
    }
    return 0;
}
