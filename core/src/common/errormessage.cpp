#include "llmf/common/error.h"

// Only c10's exception type, not all of LibTorch: this file is compiled without the torch precompiled header.
#include <c10/util/Exception.h>

namespace llmf {

std::string describeException(const std::exception &error)
{
    if (const auto *e = dynamic_cast<const Error *>(&error))
        return e->fullMessage();
    std::string text;
    if (const auto *e = dynamic_cast<const c10::Error *>(&error))
        text = e->what_without_backtrace();
    else
        text = error.what();
    // c10 messages without the backtrace can still end in "(... at /path/file.cpp:123)" lines; a learner needs the
    // first sentence, which says what went wrong ("not enough memory: you tried to allocate …").
    if (const auto newline = text.find('\n'); newline != std::string::npos)
        text.resize(newline);
    return text.empty() ? std::string("unknown error") : text;
}

} // namespace llmf
