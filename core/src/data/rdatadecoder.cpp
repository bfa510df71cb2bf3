#include "llmf/data/rdatadecoder.h"

#include "llmf/common/error.h"
#include "rstream.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

// R's serialisation format, as written by src/main/serialize.c (R Internals §1.8). A stream is a header and
// one item; every item starts with a 32-bit flags word:
//
//     bits 0-7  SEXPTYPE          bit 8  is an object (has a class)     bit 9  has attributes
//     bit 10    has a tag         bits 12-27  "levels" (for strings: the encoding flags)
//
// followed by a type-specific body. Worked example: `serialize(c("a", NA), NULL, version = 2)` is
//
//     58 0a          "X\n": XDR, every number is big-endian
//     00 00 00 02    format version 2 (version 3 adds a length-prefixed native encoding: 00 00 00 05 "UTF-8")
//     00 04 02 02    written by R 4.2.2 (4·65536 + 2·256 + 2)
//     00 02 03 00    readable by R >= 2.3.0
//     00 00 00 10    flags: type 0x10 = 16, STRSXP (a character vector), no attributes
//     00 00 00 02    its length, 2; then each element is a CHARSXP item:
//     00 04 00 09    type 9 = CHARSXP, levels 0x40 = "ASCII"
//     00 00 00 01 61 length 1, the bytes "a"
//     00 00 00 09    CHARSXP, no encoding flag
//     ff ff ff ff    length -1: NA_character_
//
// Vectors put their attributes *after* the data; pairlists (LISTSXP: attribute lists, argument lists, calls)
// put attributes, then the tag (a SYMSXP), then the CAR, then the CDR, which is usually the next cell of the
// same list and ends with NILVALUE_SXP (0xfe). Symbols, environments and a few other items enter a reference
// table when first read; later occurrences are a REFSXP (0xff) whose index (1-based) is packed into flags >> 8
// (or follows as an integer when that is 0), e.g. `00 00 01 ff` = "the first symbol read again".
// Since R 3.5 a vector may be an ALTREP_SXP (238): a pairlist (class, package, type), a state and attributes;
// `1:5` is compact_intseq with state c(5, 1, 1) = (length, first, step), which we expand.

namespace llmf {

namespace {

using detail::RFormat;
using Stream = detail::RStream;

constexpr int kMaxDepth = 1000;           // R data never nests deeper; protects the stack from hostile input
constexpr int64_t kMaxExpanded = 1 << 22; // elements all compact ALTREP sequences may expand to, in total;
                                          // keeps a few hostile bytes from claiming gigabytes
constexpr int kNilValueSxp = 254, kRefSxp = 255;
constexpr int kBytesMask = 1 << 1, kLatin1Mask = 1 << 2, kUtf8Mask = 1 << 3, kAsciiMask = 1 << 6;

std::string latin1ToUtf8(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    for (const unsigned char c : s) {
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

bool isPairlistType(int type)
{
    return type == int(RType::Pairlist) || type == int(RType::AttrList) || type == int(RType::Language) ||
           type == int(RType::AttrLanguage) || type == int(RType::Dot);
}

std::string symbolName(const RObjectPtr &obj)
{
    return obj && obj->type == RType::Symbol && !obj->strings.empty() && obj->strings[0] ? *obj->strings[0] : "";
}

// Turns items into RObjects. One instance per stream: it owns the reference table.
class Decoder
{
public:
    explicit Decoder(Stream &in) : m_in(in) {}

    bool nativeLatin1 = false; // version-3 header said the writer's native encoding is Latin-1

    RObjectPtr readItem(int depth) { return dispatch(uint32_t(m_in.readInt("an item's flags")), depth); }

private:
    using Node = std::shared_ptr<RObject>;

    RObjectPtr dispatch(uint32_t flags, int depth)
    {
        if (depth > kMaxDepth)
            m_in.fail("items are nested more than " + std::to_string(kMaxDepth) + " levels deep");
        const int type = int(flags & 0xFF);
        const bool isObject = flags & (1u << 8), hasAttr = flags & (1u << 9);
        const int levels = int(flags >> 12);

        switch (type) {
        case kNilValueSxp:
            return nil();
        case int(RType::BaseEnv):
        case int(RType::EmptyEnv):
        case int(RType::BaseNamespace):
        case int(RType::MissingArg):
        case int(RType::UnboundValue):
        case int(RType::GlobalEnv):
            return make(type);
        case kRefSxp:
            return reference(flags);
        case int(RType::Persist):
        case int(RType::Package):
        case int(RType::Namespace): {
            Node obj = make(type);
            obj->strings = readStringVec(depth);
            registerDone(obj);
            return obj;
        }
        case int(RType::Symbol): {
            const RObjectPtr name = readItem(depth + 1);
            if (name->type != RType::Char)
                m_in.fail("a symbol's name is a " + std::string(rTypeName(name->type)) + ", not a string");
            Node obj = make(type);
            obj->strings = name->strings;
            registerDone(obj);
            return obj;
        }
        case int(RType::Environment): {
            Node obj = make(type);
            obj->ints.push_back(m_in.readInt("an environment's lock flag"));
            const size_t ref = registerInProgress(obj); // registered before its contents, which may refer to it
            for (int i = 0; i < 3; ++i)                 // enclosure, frame, hash table
                obj->items.push_back(readItem(depth + 1));
            setAttributes(*obj, readItem(depth + 1));
            m_inProgress[ref] = false;
            return finish(obj, isObject, levels);
        }
        case int(RType::Closure):
        case int(RType::Promise): { // laid out like a pairlist cell whose tag is the environment
            Node obj = make(type);
            if (hasAttr)
                setAttributes(*obj, readItem(depth + 1));
            obj->items.push_back((flags & (1u << 10)) ? readItem(depth + 1) : nil()); // environment
            obj->items.push_back(readItem(depth + 1));                                // formals / value
            obj->items.push_back(readItem(depth + 1));
            return finish(obj, isObject, levels);
        }
        case int(RType::AltRep): {
            const RObjectPtr info = readItem(depth + 1);
            const RObjectPtr state = readItem(depth + 1);
            const RObjectPtr attr = readItem(depth + 1);
            Node obj = expandAltrep(info, state);
            setAttributes(*obj, attr);
            return finish(obj, isObject, levels);
        }
        default:
            break;
        }
        if (isPairlistType(type))
            return readPairlist(flags, depth);
        return readVector(flags, depth);
    }

    RObjectPtr readPairlist(uint32_t flags, int depth)
    {
        const int type = int(flags & 0xFF);
        Node list = make(type == int(RType::AttrLanguage) ? int(RType::Language)
                         : type == int(RType::AttrList)   ? int(RType::Pairlist)
                                                          : type);
        finish(list, flags & (1u << 8), int(flags >> 12));
        // Iterate along the CDRs instead of recursing: argument lists and calls can be thousands of cells long.
        for (bool first = true;; first = false) {
            const bool hasAttr = (flags & (1u << 9)) || (flags & 0xFF) == int(RType::AttrList) ||
                                 (flags & 0xFF) == int(RType::AttrLanguage);
            if (hasAttr) {
                RObjectPtr attr = readItem(depth + 1);
                if (first) // later cells' attributes (very rare) have no place in the flattened form
                    setAttributes(*list, attr);
            }
            list->tags.push_back((flags & (1u << 10)) ? symbolName(readItem(depth + 1)) : "");
            list->items.push_back(readItem(depth + 1));
            flags = uint32_t(m_in.readInt("a pairlist's next cell"));
            const int next = int(flags & 0xFF);
            if (next == kNilValueSxp)
                break;
            if (next != int(RType::Pairlist) && next != int(RType::AttrList)) { // a dotted pair: keep the tail
                list->tags.emplace_back();
                list->items.push_back(dispatch(flags, depth + 1));
                break;
            }
        }
        return list;
    }

    RObjectPtr readVector(uint32_t flags, int depth)
    {
        const int type = int(flags & 0xFF);
        Node obj = make(type);
        switch (type) {
        case int(RType::Char):
            obj->strings.push_back(readChars(flags));
            break;
        case int(RType::Logical):
        case int(RType::Integer): {
            const size_t n = readLength(m_in.minNumberBytes(4));
            obj->ints.resize(n);
            for (auto &v : obj->ints)
                v = m_in.readInt("a vector element");
            break;
        }
        case int(RType::Real):
        case int(RType::Complex): {
            const size_t n = readLength(m_in.minNumberBytes(8) * (type == int(RType::Complex) ? 2 : 1));
            obj->reals.resize(type == int(RType::Complex) ? 2 * n : n);
            for (auto &v : obj->reals)
                v = m_in.readReal("a vector element");
            break;
        }
        case int(RType::String): {
            const size_t n = readLength(m_in.minNumberBytes(4));
            obj->strings.reserve(n);
            for (size_t i = 0; i < n; ++i) {
                const size_t at = m_in.pos();
                const uint32_t elementFlags = uint32_t(m_in.readInt("a string's flags"));
                if ((elementFlags & 0xFF) != uint32_t(RType::Char))
                    m_in.failAt("element " + std::to_string(i + 1) + " of a character vector is not a string", at);
                obj->strings.push_back(readChars(elementFlags));
            }
            break;
        }
        case int(RType::List):
        case int(RType::Expression): {
            const size_t n = readLength(m_in.minNumberBytes(4));
            obj->items.reserve(n);
            for (size_t i = 0; i < n; ++i)
                obj->items.push_back(readItem(depth + 1));
            break;
        }
        case int(RType::Raw):
            obj->raw = m_in.readRaw(readLength(m_in.format == RFormat::Ascii ? 2 : 1), "a raw vector");
            break;
        case int(RType::Special):
        case int(RType::Builtin): {
            const int32_t n = m_in.readInt("a builtin's name length");
            if (n < 0)
                m_in.fail("a builtin's name has a negative length");
            obj->strings.push_back(m_in.readString(size_t(n), "a builtin's name"));
            break;
        }
        case int(RType::ExternalPtr): {
            const size_t ref = registerInProgress(obj);
            obj->items.push_back(readItem(depth + 1));
            obj->items.push_back(readItem(depth + 1));
            m_inProgress[ref] = false;
            break;
        }
        case int(RType::WeakRef):
            registerDone(obj);
            break;
        case int(RType::S4):
            break;
        case int(RType::Bytecode):
            m_in.fail("compiled R byte code is not supported");
        default:
            m_in.fail("unknown item type " + std::to_string(type));
        }
        if (flags & (1u << 9)) {
            RObjectPtr attr = readItem(depth + 1);
            if (type != int(RType::Char)) // a CHARSXP's attributes are a relic of old R versions: skip them
                setAttributes(*obj, attr);
        }
        return finish(obj, flags & (1u << 8), int(flags >> 12));
    }

    // A CHARSXP body; length -1 is NA. Strings come back as UTF-8 unless R marked them as raw bytes.
    std::optional<std::string> readChars(uint32_t flags)
    {
        const int32_t n = m_in.readInt("a string's length");
        if (n == -1)
            return std::nullopt;
        if (n < -1)
            m_in.fail("a string has the negative length " + std::to_string(n));
        std::string s = m_in.readString(size_t(n), "a string");
        const int levels = int(flags >> 12);
        const bool latin1 =
            (levels & kLatin1Mask) || (nativeLatin1 && !(levels & (kUtf8Mask | kAsciiMask | kBytesMask)));
        return latin1 ? latin1ToUtf8(s) : s;
    }

    // R's InLength: -1 announces a "long vector" length split into two 32-bit halves.
    size_t readLength(size_t minBytesPerElement)
    {
        const size_t at = m_in.pos();
        int64_t n = m_in.readInt("a vector length");
        if (n == -1) {
            const uint32_t hi = uint32_t(m_in.readInt("a long vector length"));
            const uint32_t lo = uint32_t(m_in.readInt("a long vector length"));
            n = (int64_t(hi) << 32) | lo;
        }
        if (n < 0 || uint64_t(n) > m_in.remaining() / minBytesPerElement)
            m_in.failAt("a vector claims " + std::to_string(n) + " elements, more than the data can hold", at);
        return size_t(n);
    }

    // InStringVec: a 0, a count, then that many CHARSXP items (names of namespaces, packages, persistent refs).
    std::vector<std::optional<std::string>> readStringVec(int depth)
    {
        if (m_in.readInt("a string list's marker") != 0)
            m_in.fail("names in persistent strings are not supported");
        const int32_t n = m_in.readInt("a string list's length");
        if (n < 0 || size_t(n) > m_in.remaining() / m_in.minNumberBytes(4))
            m_in.fail("a string list claims " + std::to_string(n) + " elements, more than the data can hold");
        std::vector<std::optional<std::string>> out;
        for (int32_t i = 0; i < n; ++i) {
            const RObjectPtr s = readItem(depth + 1);
            if (s->type != RType::Char)
                m_in.fail("a string list holds a " + std::string(rTypeName(s->type)));
            out.push_back(s->strings[0]);
        }
        return out;
    }

    RObjectPtr reference(uint32_t flags)
    {
        const size_t at = m_in.pos();
        int64_t index = flags >> 8;
        if (index == 0)
            index = m_in.readInt("a reference index");
        if (index < 1 || uint64_t(index) > m_refs.size())
            m_in.failAt("reference #" + std::to_string(index) + " points to nothing read so far", at);
        if (m_inProgress[size_t(index - 1)]) {
            Node stub = make(int(RType::Ref));
            stub->ints.push_back(int32_t(index));
            return stub;
        }
        return m_refs[size_t(index - 1)];
    }

    // Expands the ALTREP classes base R writes for plain data; others stay an AltRep node (class name, info, state).
    Node expandAltrep(const RObjectPtr &info, const RObjectPtr &state)
    {
        const std::string cls = info->type == RType::Pairlist && !info->items.empty() ? symbolName(info->items[0]) : "";
        if ((cls == "compact_intseq" || cls == "compact_realseq") && state->type == RType::Real &&
            state->reals.size() == 3) {
            const double n = state->reals[0], first = state->reals[1], step = state->reals[2];
            if (n >= 0 && n <= double(kMaxExpanded - m_expanded) && std::isfinite(first) && std::isfinite(step)) {
                m_expanded += int64_t(n);
                Node seq = make(int(cls == "compact_intseq" ? RType::Integer : RType::Real));
                for (int64_t i = 0; i < int64_t(n); ++i) {
                    const double v = first + double(i) * step;
                    if (seq->type == RType::Real)
                        seq->reals.push_back(v);
                    else if (std::fabs(v) < 2147483647.0)
                        seq->ints.push_back(int32_t(v));
                    else
                        m_in.fail("a compact integer sequence leaves the integer range");
                }
                return seq;
            }
        }
        // wrap_* (e.g. from sort()) and deferred_string (as.character(1:3)) keep their payload as the state's CAR.
        if (cls.rfind("wrap_", 0) == 0 && state->type == RType::Pairlist && !state->items.empty()) {
            const RObjectPtr &x = state->items[0];
            // Usually nothing else holds the payload, so it can be moved instead of copied.
            Node payload = x.use_count() == 1 ? std::make_shared<RObject>(std::move(const_cast<RObject &>(*x)))
                                              : std::make_shared<RObject>(*x);
            payload->attributes.clear(); // the wrapper's own attributes (read next) are the visible ones
            return payload;
        }
        if (cls == "deferred_string" && state->type == RType::Pairlist && !state->items.empty()) {
            const RObjectPtr &arg = state->items[0];
            Node strings = make(int(RType::String));
            for (const int32_t v : arg->ints)
                strings->strings.push_back(v == kRNaInteger ? std::nullopt : std::optional(std::to_string(v)));
            for (const double v : arg->reals) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.15g", v);
                strings->strings.push_back(std::isnan(v) ? std::nullopt : std::optional<std::string>(buf));
            }
            return strings;
        }
        Node obj = make(int(RType::AltRep));
        obj->strings.push_back(cls);
        obj->items = {info, state};
        return obj;
    }

    void setAttributes(RObject &obj, const RObjectPtr &attr)
    {
        if (attr->type == RType::Nil)
            return;
        if (attr->type != RType::Pairlist)
            m_in.fail("attributes must be a pairlist, not a " + std::string(rTypeName(attr->type)));
        for (size_t i = 0; i < attr->items.size(); ++i)
            obj.attributes.emplace_back(attr->tags[i], attr->items[i]);
    }

    void registerDone(const Node &obj)
    {
        m_refs.push_back(obj);
        m_inProgress.push_back(false);
    }
    size_t registerInProgress(const Node &obj)
    {
        m_refs.push_back(obj);
        m_inProgress.push_back(true);
        return m_refs.size() - 1;
    }

    static Node make(int type)
    {
        auto obj = std::make_shared<RObject>();
        obj->type = RType(type);
        return obj;
    }
    static RObjectPtr nil()
    {
        static const RObjectPtr theNil = std::make_shared<const RObject>();
        return theNil;
    }
    static Node finish(const Node &obj, bool isObject, int levels)
    {
        obj->isObject = isObject;
        obj->levels = levels;
        return obj;
    }

    Stream &m_in;
    std::vector<RObjectPtr> m_refs;
    std::vector<bool> m_inProgress; // parallel to m_refs: environments whose contents are still being read
    int64_t m_expanded = 0;
};

} // namespace

RObject unserialize(std::string_view bytes, const std::string &origin)
{
    Stream in(bytes, origin);
    if (bytes.size() >= 2 && (unsigned char)bytes[0] == 0x1f && (unsigned char)bytes[1] == 0x8b)
        in.fail("the data is still gzip-compressed");
    const std::string_view magic = bytes.substr(0, 2);
    if (magic == "X\n")
        in.format = RFormat::Xdr;
    else if (magic == "B\n")
        in.format = RFormat::Binary;
    else if (magic == "A\n")
        in.format = RFormat::Ascii;
    else
        in.fail("this is not R serialisation data (it should start with \"X\\n\", \"B\\n\" or \"A\\n\")");
    in.skip(2, "the format mark");

    const int32_t version = in.readInt("the format version");
    in.readInt("the writer's R version");
    in.readInt("the minimal reader version");
    Decoder decoder(in);
    if (version == 3) {
        const int32_t n = in.readInt("the length of the native encoding name");
        if (n < 0 || n > 64)
            in.fail("the native encoding name has an impossible length " + std::to_string(n));
        const std::string encoding = in.readString(size_t(n), "the native encoding name");
        decoder.nativeLatin1 = encoding == "latin1" || encoding == "ISO-8859-1" || encoding == "ISO8859-1";
    } else if (version != 2) {
        in.fail("format version " + std::to_string(version) + " is not supported (only 2 and 3 are)");
    }

    RObjectPtr root = decoder.readItem(0);
    // The root is usually referenced only here, so it can be moved out instead of deep-copied.
    if (root.use_count() == 1)
        return std::move(const_cast<RObject &>(*root)); // created non-const by make_shared<RObject>
    return *root;
}

} // namespace llmf
