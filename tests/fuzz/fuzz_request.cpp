// llmf serve's request bodies (/v1/completions and /v1/chat/completions): every field checked against OpenAI's types
// and ranges, ApiError (a 400 naming the field) otherwise. The first byte picks the endpoint.
#include "fuzztarget.h"

#include "llmf/common/error.h"
#include "llmf/serve/openaiprotocol.h"
#include "llmf/tokenizer/tokenizer.h"

#include <string>

LLMF_FUZZ_TARGET(request)
{
    if (size == 0)
        return 0;
    static const llmf::Tokenizer tokenizer =
        llmf::Tokenizer::fromMerges({}, {llmf::Tokenizer::kEndOfText, llmf::Tokenizer::kPad});
    const std::string body(llmf::fuzz::bytesOf(data + 1, size - 1));
    try {
        llmf::parseCompletion(body, (data[0] & 1) != 0, tokenizer, "tiny", 128);
    } catch (const llmf::ApiError &error) {
        if (error.status < 400 || error.status > 499 || error.message.empty())
            __builtin_trap();
        error.json();
    }
    return 0;
}
