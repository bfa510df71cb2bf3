// The corpus reader's checks on a learner's text file (encoding, BOM, NUL/binary detection, CRLF), then the
// fortune-file splitter used for the Chinese corpus.
#include "fuzztarget.h"

#include "llmf/common/error.h"
#include "llmf/data/corpus.h"

#include <string>

LLMF_FUZZ_TARGET(corpus)
{
    const std::string_view input = llmf::fuzz::bytesOf(data, size);
    try {
        const std::string text = llmf::checkedUserText(std::string(input), "fuzz.txt");
        if (text.size() > input.size())
            __builtin_trap(); // only ever removes bytes
    } catch (const llmf::Error &) {
    }
    try {
        llmf::fortuneEntries(input);
    } catch (const llmf::Error &) {
    }
    return 0;
}
