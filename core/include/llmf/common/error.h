#pragma once

#include <stdexcept>
#include <string>

namespace llmf {

// The one exception type core throws. `what()` is a sentence a learner understands; `hint()` says what to do
// about it (llm.c's "HINT:" lines). Callers at a thread or process boundary print both.
class Error : public std::runtime_error
{
public:
    explicit Error(const std::string &message, std::string hint = {})
        : std::runtime_error(message), m_hint(std::move(hint))
    {}

    const std::string &hint() const noexcept { return m_hint; }

    // "message\nHINT: hint" (or just the message when there is no hint).
    std::string fullMessage() const { return m_hint.empty() ? what() : std::string(what()) + "\nHINT: " + m_hint; }

private:
    std::string m_hint;
};

// What a user is shown for any exception that reaches a thread or process boundary: an llmf::Error's message and
// hint; LibTorch's message without the C++ backtrace it appends ("Exception raised from … frame #0 …"); for anything
// else its first line. Never a stack trace.
std::string describeException(const std::exception &error);

} // namespace llmf
