// The tokenizer.json loader, then the loaded tokenizer on arbitrary bytes (valid and invalid UTF-8): the input is
// split at its first NUL into the JSON document and the text to encode.
#include "fuzztarget.h"

#include "llmf/common/error.h"
#include "llmf/tokenizer/tokenizer.h"

#include <string>

LLMF_FUZZ_TARGET(tokenizer)
{
    const std::string_view input = llmf::fuzz::bytesOf(data, size);
    const size_t nul = input.find('\0');
    const std::string_view json = input.substr(0, nul);
    const std::string_view text = nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1);
    try {
        const llmf::Tokenizer tokenizer = llmf::Tokenizer::fromJson(json, "fuzz/tokenizer.json");
        const std::vector<int32_t> ids = tokenizer.encode(text);
        const std::string back = tokenizer.decode(ids);
        tokenizer.encodeOrdinary(text);
        // Byte-level BPE is lossless on any bytes.
        if (!ids.empty() && back.size() > text.size() * 64 + 64)
            __builtin_trap();
    } catch (const llmf::Error &) {
    }
    return 0;
}
