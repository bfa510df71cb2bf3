#include "llmf/infer/utf8streamdecoder.h"

namespace llmf {

namespace {

constexpr const char *kReplacement = "\xEF\xBF\xBD"; // U+FFFD

// Length of the sequence a lead byte starts, 0 when it cannot start one (a continuation byte, C0/C1 which would
// be overlong, F5..FF beyond U+10FFFF).
int sequenceLength(unsigned char b)
{
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        return 2;
    if (b >= 0xE0 && b <= 0xEF)
        return 3;
    if (b >= 0xF0 && b <= 0xF4)
        return 4;
    return 0;
}

// Whether `b` may follow the bytes in `pending` (RFC 3629 table): the second byte after E0, ED, F0 and F4 has a
// narrower range, which rules out overlong forms, surrogates and code points above U+10FFFF.
bool validNext(const std::string &pending, unsigned char b)
{
    if (pending.size() == 1) {
        switch (static_cast<unsigned char>(pending[0])) {
        case 0xE0:
            return b >= 0xA0 && b <= 0xBF;
        case 0xED:
            return b >= 0x80 && b <= 0x9F;
        case 0xF0:
            return b >= 0x90 && b <= 0xBF;
        case 0xF4:
            return b >= 0x80 && b <= 0x8F;
        default:
            break;
        }
    }
    return b >= 0x80 && b <= 0xBF;
}

} // namespace

std::string Utf8StreamDecoder::push(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size() + m_pending.size());
    for (size_t i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        if (!m_pending.empty()) {
            if (validNext(m_pending, b)) {
                m_pending.push_back(static_cast<char>(b));
                if (static_cast<int>(m_pending.size()) == m_expected) {
                    out += m_pending;
                    m_pending.clear();
                }
                continue;
            }
            // The sequence broke off: its bytes so far are one invalid subpart, and `b` starts afresh below.
            out += kReplacement;
            m_pending.clear();
        }
        const int length = sequenceLength(b);
        if (length == 1) {
            out.push_back(static_cast<char>(b));
        } else if (length == 0) {
            out += kReplacement;
        } else {
            m_pending.push_back(static_cast<char>(b));
            m_expected = length;
        }
    }
    return out;
}

std::string Utf8StreamDecoder::finish()
{
    if (m_pending.empty())
        return {};
    m_pending.clear();
    return kReplacement;
}

} // namespace llmf
