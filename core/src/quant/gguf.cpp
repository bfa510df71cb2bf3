// GGUF v3 reading and writing (the layout: llmf/quant/gguf.h).
#include "llmf/quant/gguf.h"

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"

#include <cstring>

namespace llmf {

GgufValue GgufValue::u32(uint32_t v)
{
    GgufValue value;
    value.type = GgufValueType::UInt32;
    value.u = v;
    return value;
}

GgufValue GgufValue::i32(int32_t v)
{
    GgufValue value;
    value.type = GgufValueType::Int32;
    value.i = v;
    return value;
}

GgufValue GgufValue::f32(float v)
{
    GgufValue value;
    value.type = GgufValueType::Float32;
    value.f = v;
    return value;
}

GgufValue GgufValue::str(std::string v)
{
    GgufValue value;
    value.type = GgufValueType::String;
    value.s = std::move(v);
    return value;
}

GgufValue GgufValue::array(GgufValueType elementType, std::vector<GgufValue> elements)
{
    GgufValue value;
    value.type = GgufValueType::Array;
    value.elementType = elementType;
    value.elements = std::move(elements);
    return value;
}

const GgufValue *GgufFile::find(const std::string &key) const
{
    for (const auto &[k, v] : metadata)
        if (k == key)
            return &v;
    return nullptr;
}

const GgufTensor *GgufFile::tensor(const std::string &name) const
{
    for (const GgufTensor &t : tensors)
        if (t.name == name)
            return &t;
    return nullptr;
}

const char *ggmlTypeName(GgmlType type)
{
    switch (type) {
    case GgmlType::F32:
        return "f32";
    case GgmlType::F16:
        return "f16";
    case GgmlType::Q4_0:
        return "q4_0";
    case GgmlType::Q8_0:
        return "q8_0";
    }
    return "?";
}

uint64_t ggmlTensorBytes(GgmlType type, uint64_t elements)
{
    switch (type) {
    case GgmlType::F32:
        return elements * 4;
    case GgmlType::F16:
        return elements * 2;
    case GgmlType::Q4_0:
    case GgmlType::Q8_0:
        if (elements % 32 != 0)
            throw Error(std::string(ggmlTypeName(type)) + " stores blocks of 32 values; " + std::to_string(elements) +
                        " is not a whole number of blocks.");
        return elements / 32 * (type == GgmlType::Q8_0 ? 34 : 18);
    }
    throw Error("Unknown ggml type " + std::to_string(static_cast<uint32_t>(type)) + ".");
}

// ---- writing ----------------------------------------------------------------------------------------------------

namespace {

template <class T> void put(std::string &out, T value)
{
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T)); // little-endian hosts only (x86-64, arm64), like ggml itself
    out.append(bytes, sizeof(T));
}

void putString(std::string &out, const std::string &s)
{
    put<uint64_t>(out, s.size());
    out += s;
}

void putValue(std::string &out, const GgufValue &v, bool withType)
{
    if (withType)
        put<uint32_t>(out, static_cast<uint32_t>(v.type));
    switch (v.type) {
    case GgufValueType::UInt8:
    case GgufValueType::Bool:
        put<uint8_t>(out, static_cast<uint8_t>(v.u));
        break;
    case GgufValueType::Int8:
        put<int8_t>(out, static_cast<int8_t>(v.i));
        break;
    case GgufValueType::UInt16:
        put<uint16_t>(out, static_cast<uint16_t>(v.u));
        break;
    case GgufValueType::Int16:
        put<int16_t>(out, static_cast<int16_t>(v.i));
        break;
    case GgufValueType::UInt32:
        put<uint32_t>(out, static_cast<uint32_t>(v.u));
        break;
    case GgufValueType::Int32:
        put<int32_t>(out, static_cast<int32_t>(v.i));
        break;
    case GgufValueType::Float32:
        put<float>(out, static_cast<float>(v.f));
        break;
    case GgufValueType::String:
        putString(out, v.s);
        break;
    case GgufValueType::Array:
        put<uint32_t>(out, static_cast<uint32_t>(v.elementType));
        put<uint64_t>(out, v.elements.size());
        for (const GgufValue &e : v.elements)
            putValue(out, e, false);
        break;
    case GgufValueType::UInt64:
        put<uint64_t>(out, v.u);
        break;
    case GgufValueType::Int64:
        put<int64_t>(out, v.i);
        break;
    case GgufValueType::Float64:
        put<double>(out, v.f);
        break;
    }
}

uint64_t alignUp(uint64_t value, uint64_t alignment)
{
    return (value + alignment - 1) / alignment * alignment;
}

} // namespace

std::string serializeGguf(const GgufFile &file)
{
    std::string out;
    out += "GGUF";
    put<uint32_t>(out, 3);
    put<uint64_t>(out, file.tensors.size());
    put<uint64_t>(out, file.metadata.size());
    for (const auto &[key, value] : file.metadata) {
        putString(out, key);
        putValue(out, value, true);
    }
    uint64_t offset = 0;
    for (const GgufTensor &t : file.tensors) {
        uint64_t elements = 1;
        for (uint64_t d : t.dims)
            elements *= d;
        if (ggmlTensorBytes(t.type, elements) != t.data.size())
            throw Error("GGUF tensor '" + t.name + "' holds " + std::to_string(t.data.size()) + " bytes, not the " +
                        std::to_string(ggmlTensorBytes(t.type, elements)) + " its shape and type need.");
        putString(out, t.name);
        put<uint32_t>(out, static_cast<uint32_t>(t.dims.size()));
        for (uint64_t d : t.dims)
            put<uint64_t>(out, d);
        put<uint32_t>(out, static_cast<uint32_t>(t.type));
        put<uint64_t>(out, offset);
        offset = alignUp(offset + t.data.size(), file.alignment);
    }
    out.resize(alignUp(out.size(), file.alignment), '\0');
    for (const GgufTensor &t : file.tensors) {
        out += t.data;
        out.resize(alignUp(out.size(), file.alignment), '\0');
    }
    return out;
}

// ---- reading ----------------------------------------------------------------------------------------------------

namespace {

class Reader
{
public:
    Reader(std::string_view bytes, std::string source) : m_bytes(bytes), m_source(std::move(source)) {}

    [[noreturn]] void fail(const std::string &why) const
    {
        throw Error("'" + m_source + "' is not a valid GGUF file: " + why + " (at byte " + std::to_string(m_pos) + ").",
                    "Export the run again with llmf export --format gguf.");
    }

    template <class T> T get(const char *what)
    {
        if (m_bytes.size() - m_pos < sizeof(T))
            fail(std::string("the file ends inside ") + what);
        T value;
        std::memcpy(&value, m_bytes.data() + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return value;
    }

    std::string getString(const char *what)
    {
        const auto length = get<uint64_t>(what);
        if (length > m_bytes.size() - m_pos)
            fail(std::string(what) + " claims " + std::to_string(length) + " bytes, more than the file has left");
        std::string s(m_bytes.substr(m_pos, length));
        m_pos += length;
        return s;
    }

    GgufValue getValue(GgufValueType type, int depth)
    {
        GgufValue v;
        v.type = type;
        switch (type) {
        case GgufValueType::UInt8:
            v.u = get<uint8_t>("a u8");
            break;
        case GgufValueType::Bool:
            v.u = get<uint8_t>("a bool");
            if (v.u > 1)
                fail("a bool holds " + std::to_string(v.u));
            break;
        case GgufValueType::Int8:
            v.i = get<int8_t>("an i8");
            break;
        case GgufValueType::UInt16:
            v.u = get<uint16_t>("a u16");
            break;
        case GgufValueType::Int16:
            v.i = get<int16_t>("an i16");
            break;
        case GgufValueType::UInt32:
            v.u = get<uint32_t>("a u32");
            break;
        case GgufValueType::Int32:
            v.i = get<int32_t>("an i32");
            break;
        case GgufValueType::Float32:
            v.f = get<float>("an f32");
            break;
        case GgufValueType::UInt64:
            v.u = get<uint64_t>("a u64");
            break;
        case GgufValueType::Int64:
            v.i = get<int64_t>("an i64");
            break;
        case GgufValueType::Float64:
            v.f = get<double>("an f64");
            break;
        case GgufValueType::String:
            v.s = getString("a string");
            break;
        case GgufValueType::Array: {
            if (depth >= 2)
                fail("arrays are nested more than two deep");
            v.elementType = valueType(get<uint32_t>("an array's type"));
            const auto count = get<uint64_t>("an array's length");
            // Every element takes at least one byte: a count beyond the bytes left is a lie, not an allocation.
            if (count > m_bytes.size() - m_pos)
                fail("an array claims " + std::to_string(count) + " elements, more than the file has bytes left");
            v.elements.reserve(count);
            for (uint64_t k = 0; k < count; ++k)
                v.elements.push_back(getValue(v.elementType, depth + 1));
            break;
        }
        }
        return v;
    }

    GgufValueType valueType(uint32_t raw)
    {
        if (raw > static_cast<uint32_t>(GgufValueType::Float64))
            fail("unknown metadata value type " + std::to_string(raw));
        return static_cast<GgufValueType>(raw);
    }

    size_t position() const { return m_pos; }
    size_t size() const { return m_bytes.size(); }
    std::string_view bytes() const { return m_bytes; }

private:
    std::string_view m_bytes;
    std::string m_source;
    size_t m_pos = 0;
};

} // namespace

GgufFile parseGguf(std::string_view bytes, const std::string &source)
{
    Reader in(bytes, source);
    if (bytes.size() < 4 || bytes.substr(0, 4) != "GGUF")
        in.fail("it does not start with \"GGUF\"");
    in.get<uint32_t>("the magic");
    GgufFile file;
    file.version = in.get<uint32_t>("the version");
    if (file.version != 3 && file.version != 2)
        in.fail("version " + std::to_string(file.version) + " (this reader knows 2 and 3)");
    const auto tensorCount = in.get<uint64_t>("the tensor count");
    const auto metadataCount = in.get<uint64_t>("the metadata count");
    // A key takes at least 12 bytes and a tensor info at least 28: counts beyond that are corrupt.
    if (metadataCount > bytes.size() / 12 || tensorCount > bytes.size() / 28)
        in.fail("it claims " + std::to_string(metadataCount) + " metadata entries and " + std::to_string(tensorCount) +
                " tensors, more than its size allows");
    for (uint64_t k = 0; k < metadataCount; ++k) {
        std::string key = in.getString("a metadata key");
        if (file.find(key))
            in.fail("metadata key '" + key + "' appears twice");
        const GgufValueType type = in.valueType(in.get<uint32_t>("a value type"));
        file.metadata.emplace_back(std::move(key), in.getValue(type, 0));
    }
    if (const GgufValue *alignment = file.find("general.alignment")) {
        if (alignment->type != GgufValueType::UInt32 || alignment->u == 0 || (alignment->u & (alignment->u - 1)) != 0)
            in.fail("general.alignment must be a u32 power of two");
        file.alignment = static_cast<uint32_t>(alignment->u);
    }
    std::vector<uint64_t> sizes;
    for (uint64_t k = 0; k < tensorCount; ++k) {
        GgufTensor t;
        t.name = in.getString("a tensor name");
        if (file.tensor(t.name))
            in.fail("tensor '" + t.name + "' appears twice");
        const auto dims = in.get<uint32_t>("a dimension count");
        if (dims == 0 || dims > 4)
            in.fail("tensor '" + t.name + "' has " + std::to_string(dims) + " dimensions (1 to 4 are allowed)");
        uint64_t elements = 1;
        for (uint32_t d = 0; d < dims; ++d) {
            const auto n = in.get<uint64_t>("a dimension");
            if (n == 0 || n > (uint64_t(1) << 40) || elements > (uint64_t(1) << 40) / n)
                in.fail("tensor '" + t.name + "' has an impossible shape");
            elements *= n;
            t.dims.push_back(n);
        }
        const auto type = in.get<uint32_t>("a tensor type");
        if (type != 0 && type != 1 && type != 2 && type != 8)
            in.fail("tensor '" + t.name + "' has ggml type " + std::to_string(type) +
                    " (this reader knows f32, f16, q4_0 and q8_0)");
        t.type = static_cast<GgmlType>(type);
        t.offset = in.get<uint64_t>("a tensor offset");
        if (t.offset % file.alignment != 0)
            in.fail("tensor '" + t.name + "' starts at offset " + std::to_string(t.offset) + ", not a multiple of " +
                    std::to_string(file.alignment));
        try {
            sizes.push_back(ggmlTensorBytes(t.type, elements));
        } catch (const Error &e) {
            in.fail("tensor '" + t.name + "': " + e.what());
        }
        file.tensors.push_back(std::move(t));
    }
    file.dataOffset = alignUp(in.position(), file.alignment);
    if (file.dataOffset > bytes.size() && !file.tensors.empty())
        in.fail("the data area starts past the end of the file");
    const uint64_t dataBytes = bytes.size() - std::min<uint64_t>(file.dataOffset, bytes.size());
    uint64_t end = 0;
    for (size_t k = 0; k < file.tensors.size(); ++k) {
        GgufTensor &t = file.tensors[k];
        if (t.offset < end)
            in.fail("tensor '" + t.name + "' overlaps the one before it");
        if (t.offset > dataBytes || sizes[k] > dataBytes - t.offset)
            in.fail("tensor '" + t.name + "' (" + std::to_string(sizes[k]) + " bytes at offset " +
                    std::to_string(t.offset) + ") ends past the end of the file");
        t.data.assign(bytes.substr(file.dataOffset + t.offset, sizes[k]));
        end = t.offset + sizes[k];
    }
    return file;
}

GgufFile readGguf(const std::string &path)
{
    return parseGguf(readFile(path), path);
}

} // namespace llmf
