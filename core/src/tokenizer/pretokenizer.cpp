#include "llmf/tokenizer/pretokenizer.h"

#include <utf8proc.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace llmf {

namespace {

bool isContinuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

// The four classes GPT-2's regex distinguishes: \p{L}, \p{N}, \s and "everything else".
enum class CharClass : uint8_t { Letter, Number, Space, Other };

constexpr std::array<CharClass, 128> makeAsciiClasses()
{
    std::array<CharClass, 128> table{};
    for (int c = 0; c < 128; ++c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            table[c] = CharClass::Letter;
        else if (c >= '0' && c <= '9')
            table[c] = CharClass::Number;
        else if (c == ' ' || (c >= '\t' && c <= '\r')) // \t \n \v \f \r
            table[c] = CharClass::Space;
        else
            table[c] = CharClass::Other;
    }
    return table;
}
constexpr std::array<CharClass, 128> kAsciiClasses = makeAsciiClasses();

// Unicode's White_Space property (what \s means in the `regex` module GPT-2 used), beyond ASCII.
bool isNonAsciiWhiteSpace(char32_t cp)
{
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// Decodes the code point at `pos` of valid UTF-8 and stores its byte length in `len`.
char32_t decodeAt(std::string_view s, size_t pos, size_t &len)
{
    const auto c = static_cast<unsigned char>(s[pos]);
    auto cont = [&](size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(s[pos + i]) & 0x3F); };
    if (c < 0x80) {
        len = 1;
        return c;
    }
    if (c < 0xE0) {
        len = 2;
        return (char32_t(c & 0x1F) << 6) | cont(1);
    }
    if (c < 0xF0) {
        len = 3;
        return (char32_t(c & 0x0F) << 12) | (cont(1) << 6) | cont(2);
    }
    len = 4;
    return (char32_t(c & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
}

CharClass classify(std::string_view s, size_t pos, size_t &len)
{
    const auto c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {
        len = 1;
        return kAsciiClasses[c];
    }
    const char32_t cp = decodeAt(s, pos, len);
    if (isNonAsciiWhiteSpace(cp))
        return CharClass::Space;
    switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        return CharClass::Letter;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return CharClass::Number;
    default:
        return CharClass::Other;
    }
}

// End (exclusive) of the regex match that starts at `pos`; the alternatives are tried in the regex's order.
size_t matchEnd(std::string_view s, size_t pos)
{
    const size_t n = s.size();
    // 's|'t|'re|'ve|'m|'ll|'d  (case-sensitive, and taken even when letters follow: "'sa" -> "'s", "a")
    if (s[pos] == '\'' && pos + 1 < n) {
        const char d = s[pos + 1];
        if (d == 's' || d == 't' || d == 'm' || d == 'd')
            return pos + 2;
        if (pos + 2 < n) {
            const std::string_view two = s.substr(pos + 1, 2);
            if (two == "re" || two == "ve" || two == "ll")
                return pos + 3;
        }
    }

    size_t len = 0;
    CharClass cls = classify(s, pos, len);
    size_t p = pos;
    // " ?\p{L}+", " ?\p{N}+", " ?[^\s\p{L}\p{N}]+": only a plain space (U+0020) may lead a word.
    if (s[pos] == ' ' && pos + 1 < n) {
        size_t nextLen = 0;
        const CharClass next = classify(s, pos + 1, nextLen);
        if (next != CharClass::Space) {
            cls = next;
            p = pos + 1;
        }
    }
    if (cls != CharClass::Space) {
        while (p < n && classify(s, p, len) == cls)
            p += len;
        return p;
    }

    // "\s+(?!\S)|\s+": a whitespace run that ends the text is taken whole; one followed by a word gives up its
    // last character (so " world" keeps its space), unless that would leave nothing.
    //   "a  b"  -> "a", " ", " b"        "a \n\nb" -> "a", " \n", "\n", "b"        "a  " -> "a", "  "
    size_t lastStart = pos;
    while (p < n && classify(s, p, len) == CharClass::Space) {
        lastStart = p;
        p += len;
    }
    if (p == n)
        return n;
    return lastStart > pos ? lastStart : p;
}

struct ByteLevelTables
{
    std::array<char32_t, 256> byteToCp{};
    std::array<int16_t, 324> cpToByte{}; // every stand-in is below U+0144
};

const ByteLevelTables &byteLevelTables()
{
    static const ByteLevelTables tables = [] {
        ByteLevelTables t;
        t.cpToByte.fill(-1);
        auto printable = [](int b) { return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE; };
        int next = 256;
        for (int b = 0; b < 256; ++b) {
            t.byteToCp[b] = printable(b) ? char32_t(b) : char32_t(next++);
            t.cpToByte[t.byteToCp[b]] = static_cast<int16_t>(b);
        }
        return t;
    }();
    return tables;
}

} // namespace

std::optional<size_t> firstInvalidUtf8(std::string_view text)
{
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        // Most text is ASCII: skip 8 bytes at a time while none has its high bit set.
        while (i + 8 <= n) {
            uint64_t word;
            std::memcpy(&word, s + i, 8);
            if (word & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        // Lead byte -> number of continuation bytes and the allowed range of the first one (the range is
        // what rules out overlong forms, surrogates and code points above U+10FFFF).
        size_t extra = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0)
                lo = 0xA0;
            if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0)
                lo = 0x90;
            if (c == 0xF4)
                hi = 0x8F;
        } else {
            return i; // stray continuation byte, C0/C1 (overlong) or F5..FF
        }
        if (i + extra >= n) // truncated at the end of the text
            return i;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k <= extra; ++k)
            if (!isContinuation(s[i + k]))
                return i;
        i += extra + 1;
    }
    return std::nullopt;
}

std::vector<std::string_view> pretokenize(std::string_view text)
{
    std::vector<std::string_view> pieces;
    pieces.reserve(text.size() / 4 + 1);
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t end = matchEnd(text, pos);
        pieces.push_back(text.substr(pos, end - pos));
        pos = end;
    }
    return pieces;
}

char32_t byteToUnicode(unsigned char byte)
{
    return byteLevelTables().byteToCp[byte];
}

std::string toByteLevel(std::string_view bytes)
{
    const auto &t = byteLevelTables();
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char ch : bytes) {
        const char32_t cp = t.byteToCp[static_cast<unsigned char>(ch)];
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else { // all stand-ins are below U+0800: two UTF-8 bytes
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }
    return out;
}

std::optional<std::string> fromByteLevel(std::string_view text)
{
    if (firstInvalidUtf8(text))
        return std::nullopt;
    const auto &t = byteLevelTables();
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
        size_t len = 0;
        const char32_t cp = decodeAt(text, pos, len);
        if (cp >= t.cpToByte.size() || t.cpToByte[cp] < 0)
            return std::nullopt;
        out.push_back(static_cast<char>(t.cpToByte[cp]));
        pos += len;
    }
    return out;
}

} // namespace llmf
