#pragma once

// Private to rdatadecoder.cpp: the byte cursor of R's unserialiser. Numbers and strings are encoded three ways
// (XDR big-endian; "native" binary, i.e. the writer's byte order, assumed to be ours; ASCII text); this class hides
// which, and bounds-checks every read.

#include "llmf/common/error.h"
#include "llmf/data/rdatadecoder.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

namespace llmf::detail {

enum class RFormat { Xdr, Binary, Ascii };

// The byte source: one cursor, three encodings of numbers and strings.
class RStream
{
public:
    RStream(std::string_view data, const std::string &origin) : m_data(data), m_origin(origin) {}

    RFormat format = RFormat::Xdr;

    size_t pos() const { return m_pos; }
    size_t remaining() const { return m_data.size() - m_pos; }
    // Smallest number of bytes one number occupies; bounds vector lengths before anything is allocated.
    size_t minNumberBytes(size_t binaryBytes) const { return format == RFormat::Ascii ? 2 : binaryBytes; }

    [[noreturn]] void fail(const std::string &why) const { failAt(why, m_pos); }
    [[noreturn]] void failAt(const std::string &why, size_t at) const
    {
        throw Error("Cannot decode the R data in " + m_origin + ": " + why + " (at byte offset " + std::to_string(at) +
                        ").",
                    "The file is truncated or damaged. If it comes from a Debian package, reinstall that package.");
    }

    void skip(size_t n, const char *what)
    {
        need(n, what);
        m_pos += n;
    }

    int32_t readInt(const char *what)
    {
        if (format == RFormat::Ascii) {
            const std::string word = readWord(what);
            if (word == "NA")
                return kRNaInteger;
            char *end = nullptr;
            const long long v = std::strtoll(word.c_str(), &end, 10);
            if (*end != '\0' || v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
                fail("'" + word + "' is not an integer (" + what + ")");
            return static_cast<int32_t>(v);
        }
        need(4, what);
        const auto *p = reinterpret_cast<const unsigned char *>(m_data.data() + m_pos);
        m_pos += 4;
        uint32_t u;
        if (format == RFormat::Xdr)
            u = (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
        else
            std::memcpy(&u, p, 4);
        int32_t v;
        std::memcpy(&v, &u, 4);
        return v;
    }

    double readReal(const char *what)
    {
        if (format == RFormat::Ascii) {
            const std::string word = readWord(what);
            if (word == "NA") {
                // R's NA_real_ is the NaN whose low word is 1954.
                const uint64_t bits = 0x7FF00000000007A2ULL;
                double d;
                std::memcpy(&d, &bits, 8);
                return d;
            }
            if (word == "NaN")
                return std::nan("");
            if (word == "Inf" || word == "-Inf")
                return word[0] == '-' ? -HUGE_VAL : HUGE_VAL;
            char *end = nullptr;
            const double v = std::strtod(word.c_str(), &end);
            if (*end != '\0')
                fail("'" + word + "' is not a number (" + what + ")");
            return v;
        }
        need(8, what);
        const auto *p = reinterpret_cast<const unsigned char *>(m_data.data() + m_pos);
        m_pos += 8;
        uint64_t u = 0;
        if (format == RFormat::Xdr) {
            for (int i = 0; i < 8; ++i)
                u = (u << 8) | p[i];
        } else {
            std::memcpy(&u, p, 8);
        }
        double d;
        std::memcpy(&d, &u, 8);
        return d;
    }

    // The payload of a CHARSXP (or the native encoding name): n bytes, escaped in the ASCII format.
    std::string readString(size_t n, const char *what)
    {
        if (format != RFormat::Ascii) {
            need(n, what);
            std::string s(m_data.substr(m_pos, n));
            m_pos += n;
            return s;
        }
        if (n == 0)
            return {};
        skipSpace();
        need(n, what); // every byte takes at least one character
        std::string s;
        s.reserve(n);
        while (s.size() < n) {
            char c = get(what);
            if (c == '\\') {
                c = get(what);
                switch (c) {
                case 'n':
                    c = '\n';
                    break;
                case 't':
                    c = '\t';
                    break;
                case 'v':
                    c = '\v';
                    break;
                case 'b':
                    c = '\b';
                    break;
                case 'r':
                    c = '\r';
                    break;
                case 'f':
                    c = '\f';
                    break;
                case 'a':
                    c = '\a';
                    break;
                default:
                    if (c >= '0' && c <= '7') { // up to three octal digits, e.g. "\302\243" = "£"
                        int d = c - '0';
                        for (int j = 1; j < 3 && m_pos < m_data.size() && m_data[m_pos] >= '0' && m_data[m_pos] <= '7';
                             ++j)
                            d = d * 8 + (m_data[m_pos++] - '0');
                        c = static_cast<char>(d);
                    } // else: "\\", "\?", "\'", "\"" stand for the character itself
                }
            }
            s += c;
        }
        return s;
    }

    std::string readRaw(size_t n, const char *what)
    {
        if (format != RFormat::Ascii)
            return readString(n, what);
        std::string s;
        s.reserve(n);
        for (size_t i = 0; i < n; ++i) {
            const std::string word = readWord(what);
            char *end = nullptr;
            const unsigned long v = std::strtoul(word.c_str(), &end, 16);
            if (*end != '\0' || v > 255)
                fail("'" + word + "' is not a hex byte (" + what + ")");
            s += static_cast<char>(v);
        }
        return s;
    }

private:
    void need(size_t n, const char *what) const
    {
        if (n > remaining())
            fail(std::string("the data ends early: ") + what + " needs " + std::to_string(n) + " bytes, " +
                 std::to_string(remaining()) + " are left");
    }
    char get(const char *what)
    {
        need(1, what);
        return m_data[m_pos++];
    }
    void skipSpace()
    {
        while (m_pos < m_data.size() && std::strchr(" \t\n\r\f\v", m_data[m_pos]) && m_data[m_pos] != '\0')
            ++m_pos;
    }
    std::string readWord(const char *what)
    {
        skipSpace();
        const size_t start = m_pos;
        while (m_pos < m_data.size() && m_pos - start < 64 && !std::strchr(" \t\n\r\f\v", m_data[m_pos]))
            ++m_pos;
        if (m_pos == start)
            fail(std::string("the data ends early: expected ") + what);
        return std::string(m_data.substr(start, m_pos - start));
    }

    std::string_view m_data;
    const std::string &m_origin;
    size_t m_pos = 0;
};

} // namespace llmf::detail
