#pragma once

// Everything that happens to text *before* BPE sees it, GPT-2 style:
//
//   1. validate UTF-8 (a tokenizer that silently eats bad bytes makes "decode(encode(s)) == s" a lie);
//   2. split the text into "words" (pre-tokens) so that merges never cross a word boundary:
//          "Hello world's 123 你好!!" -> ["Hello", " world", "'s", " 123", " 你好", "!!"]
//   3. spell raw bytes as printable characters for tokenizer.json (GPT-2's bytes_to_unicode):
//          " world" -> "Ġworld"   ('Ġ' is U+0120, the stand-in for byte 0x20)

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmf {

// Byte offset of the first byte of the first invalid UTF-8 sequence, or nullopt when `text` is valid.
// Strict RFC 3629: overlong forms, surrogates (U+D800..U+DFFF) and code points above U+10FFFF are invalid.
//   firstInvalidUtf8("ok")          -> nullopt
//   firstInvalidUtf8("ab\xff")      -> 2
//   firstInvalidUtf8("\xe4\xb8")    -> 0   (truncated 3-byte sequence; "\xe4\xb8\xad" would be "中")
std::optional<size_t> firstInvalidUtf8(std::string_view text);

// Splits valid UTF-8 `text` exactly like GPT-2's regex
//     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// implemented by hand over code points (no regex engine). The pieces are views into `text` and
// concatenate back to it. Letters include CJK ideographs; emoji and punctuation are "other".
// A space sticks to the word after it, and a run of whitespace leaves its last character for that word:
//     "a   b" -> ["a", "  ", " b"]
// Behaviour on invalid UTF-8 is unspecified (callers validate first).
std::vector<std::string_view> pretokenize(std::string_view text);

// GPT-2's bytes_to_unicode(): each byte 0..255 gets a printable code point so that vocab strings in
// tokenizer.json are readable and never contain whitespace or control characters. Printable Latin-1 bytes
// map to themselves ('a' -> 'a'); the other 68 bytes map to U+0100.. in order (0x00 -> 'Ā', 0x20 -> 'Ġ',
// 0x0A -> 'Ċ').
char32_t byteToUnicode(unsigned char byte);

// Raw bytes -> their byte-level spelling as UTF-8: "\n hi" -> "ĊĠhi".
std::string toByteLevel(std::string_view bytes);

// The inverse of toByteLevel; nullopt when `text` is not valid UTF-8 or holds a character that is not one
// of the 256 stand-ins (e.g. "<|endoftext|>" round-trips, but "a b" does not: a real space never appears).
std::optional<std::string> fromByteLevel(std::string_view text);

} // namespace llmf
