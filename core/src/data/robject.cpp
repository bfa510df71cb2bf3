#include "llmf/data/rdatadecoder.h"

#include <array>
#include <utility>

namespace llmf {

size_t RObject::length() const
{
    switch (type) {
    case RType::String:
        return strings.size();
    case RType::Integer:
    case RType::Logical:
        return ints.size();
    case RType::Real:
        return reals.size();
    case RType::Complex:
        return reals.size() / 2;
    case RType::Raw:
        return raw.size();
    case RType::Char:
        return 1;
    default:
        return items.size();
    }
}

const RObject *RObject::attribute(std::string_view name) const
{
    for (const auto &[key, value] : attributes)
        if (key == name)
            return value.get();
    return nullptr;
}

std::vector<std::string> RObject::names() const
{
    std::vector<std::string> out;
    if (const RObject *n = attribute("names"); n && n->type == RType::String) {
        for (const auto &s : n->strings)
            out.push_back(s.value_or(""));
    } else if (type == RType::Pairlist || type == RType::Language || type == RType::Dot) {
        out = tags;
    }
    return out;
}

const RObject *RObject::item(std::string_view name) const
{
    const std::vector<std::string> keys = names();
    for (size_t i = 0; i < keys.size() && i < items.size(); ++i)
        if (keys[i] == name)
            return items[i].get();
    return nullptr;
}

bool RObject::inherits(std::string_view className) const
{
    if (const RObject *cls = attribute("class"); cls && cls->type == RType::String)
        for (const auto &s : cls->strings)
            if (s && *s == className)
                return true;
    return false;
}

const char *rTypeName(RType type)
{
    // R's own names, as typeof() prints them.
    static const std::array<std::pair<RType, const char *>, 25> kNames = {{
        {RType::Nil, "NULL"},
        {RType::Symbol, "symbol"},
        {RType::Pairlist, "pairlist"},
        {RType::Closure, "closure"},
        {RType::Environment, "environment"},
        {RType::Promise, "promise"},
        {RType::Language, "language"},
        {RType::Special, "special"},
        {RType::Builtin, "builtin"},
        {RType::Char, "char"},
        {RType::Logical, "logical"},
        {RType::Integer, "integer"},
        {RType::Real, "double"},
        {RType::Complex, "complex"},
        {RType::String, "character"},
        {RType::Dot, "..."},
        {RType::List, "list"},
        {RType::Expression, "expression"},
        {RType::Bytecode, "bytecode"},
        {RType::ExternalPtr, "externalptr"},
        {RType::WeakRef, "weakref"},
        {RType::Raw, "raw"},
        {RType::S4, "S4"},
        {RType::AltRep, "ALTREP"},
        {RType::Ref, "reference"},
    }};
    for (const auto &[t, name] : kNames)
        if (t == type)
            return name;
    return "special value";
}

} // namespace llmf
