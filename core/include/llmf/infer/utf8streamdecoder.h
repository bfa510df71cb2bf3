#pragma once

// Tokens are bytes, not characters: with a byte-level tokenizer "明" (E6 98 8E) may arrive as three tokens.
// Streaming text to the screen therefore goes through this decoder, which holds back an incomplete multi-byte
// sequence until its last byte arrives:
//
//     push("a\xE6")   → "a"        (E6 starts a 3-byte character: held back)
//     push("\x98")    → ""         (still one byte short)
//     push("\x8E!")   → "明!"
//
// Bytes that cannot be UTF-8 become U+FFFD "�" (one per maximal invalid subpart, as browsers do), as does an
// incomplete sequence still held back when finish() is called.

#include <string>
#include <string_view>

namespace llmf {

class Utf8StreamDecoder
{
public:
    // Appends `bytes` and returns the text that is now complete (always valid UTF-8).
    std::string push(std::string_view bytes);
    // Ends the stream: returns U+FFFD when an incomplete sequence was held back, "" otherwise, and resets.
    std::string finish();
    // True while an incomplete sequence is held back.
    bool hasPending() const { return !m_pending.empty(); }

private:
    std::string m_pending; // the bytes of the current incomplete sequence
    int m_expected = 0;    // its total length in bytes (2-4) while pending
};

} // namespace llmf
