#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmf {

// A reader for R's serialisation format (what `serialize()`, `saveRDS()` and lazy-load databases write), so the
// English default corpus can be read straight from Debian's r-cran-janeaustenr without R. Only decoding, no
// evaluation: closures, environments and byte code come back as inert trees.
//
// Codes are R's SEXPTYPEs (R Internals §1.1); the ones from 238 up only exist in the stream.
enum class RType : int {
    Nil = 0,
    Symbol = 1,
    Pairlist = 2,
    Closure = 3,
    Environment = 4,
    Promise = 5,
    Language = 6,
    Special = 7,
    Builtin = 8,
    Char = 9,
    Logical = 10,
    Integer = 13,
    Real = 14,
    Complex = 15,
    String = 16,
    Dot = 17,
    Any = 18,
    List = 19,
    Expression = 20,
    Bytecode = 21,
    ExternalPtr = 22,
    WeakRef = 23,
    Raw = 24,
    S4 = 25,
    AltRep = 238,
    AttrList = 239,
    AttrLanguage = 240,
    BaseEnv = 241,
    EmptyEnv = 242,
    BaseNamespace = 247,
    Persist = 248,
    Namespace = 249,
    Package = 250,
    MissingArg = 251,
    UnboundValue = 252,
    GlobalEnv = 253,
    // A back-reference to an environment that was still being read (a cycle). Kept as a stub so the tree stays
    // acyclic; `ints[0]` is the 1-based reference index.
    Ref = 255,
};

struct RObject;
// Nodes are shared, not copied: R's stream may refer to one symbol or environment many times.
using RObjectPtr = std::shared_ptr<const RObject>;

constexpr int32_t kRNaInteger = std::numeric_limits<int32_t>::min(); // NA_integer_ and NA (logical)

// One decoded SEXP. Only the members that fit `type` are filled.
struct RObject
{
    RType type = RType::Nil;
    // String / Char: the elements (one for Char); Symbol, Builtin, Special: the name; Persist, Namespace, Package:
    // the stored names; AltRep that could not be expanded: the ALTREP class name. std::nullopt is NA_character_.
    // Always UTF-8 except strings R marked as "bytes".
    std::vector<std::optional<std::string>> strings;
    std::vector<int32_t> ints; // Integer, Logical (NA = kRNaInteger), Ref
    std::vector<double> reals; // Real; Complex as re, im pairs
    std::string raw;           // Raw
    // List / Expression: the elements. Pairlist / Language / Dot: the CARs of the whole chain, flattened (a dotted
    // pair's non-list tail is the last item). Closure: environment, formals, body. Promise: environment, value,
    // expression. Environment: enclosure, frame, hash table. AltRep (not expanded): info, state. ExternalPtr:
    // protected, tag.
    std::vector<RObjectPtr> items;
    std::vector<std::string> tags; // pairlist family: one per item, "" where untagged
    std::vector<std::pair<std::string, RObjectPtr>> attributes;
    bool isObject = false; // has a class attribute (R's OBJECT bit)
    int levels = 0;        // R's general-purpose bits (for Char: the encoding flags)

    size_t length() const;
    const RObject *attribute(std::string_view name) const;
    // The `names` attribute (or the tags of a pairlist); empty when there are none.
    std::vector<std::string> names() const;
    // The element called `name` of a named list or pairlist, nullptr when absent.
    const RObject *item(std::string_view name) const;
    bool inherits(std::string_view className) const;
};

const char *rTypeName(RType type);

// Decodes one serialised R object: "X\n" (XDR, big-endian; what R writes by default), "B\n" (native binary) or
// "A\n" (ASCII), format version 2 or 3. `origin` names the data in error messages ("file 'x.rds'").
// Every read is bounds-checked: malformed input throws llmf::Error with the origin and byte offset.
RObject unserialize(std::string_view bytes, const std::string &origin = "R data");

} // namespace llmf
