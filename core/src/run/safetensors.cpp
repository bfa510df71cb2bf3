#include "llmf/run/safetensors.h"

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>

// The format is little-endian and we copy tensor bytes verbatim.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "safetensors I/O assumes a little-endian machine");

namespace llmf {

namespace {

using json = nlohmann::json;

// The same cap as the reference implementation: a header describing thousands of tensors is a few hundred KB.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;
// Real tensors have a handful of dimensions; the cap keeps a hostile header from building absurd shapes.
constexpr size_t kMaxRank = 64;

struct Dtype
{
    const char *name;
    torch::ScalarType type;
    uint64_t size;
};

const Dtype kDtypes[] = {
    {"F64", torch::kFloat64, 8},   {"F32", torch::kFloat32, 4}, {"F16", torch::kFloat16, 2},
    {"BF16", torch::kBFloat16, 2}, {"I64", torch::kInt64, 8},   {"I32", torch::kInt32, 4},
    {"I16", torch::kInt16, 2},     {"I8", torch::kInt8, 1},     {"U8", torch::kUInt8, 1},
    {"BOOL", torch::kBool, 1},
};

const Dtype *dtypeNamed(const std::string &name)
{
    for (const Dtype &d : kDtypes)
        if (name == d.name)
            return &d;
    return nullptr;
}

const Dtype *dtypeOf(torch::ScalarType type)
{
    for (const Dtype &d : kDtypes)
        if (type == d.type)
            return &d;
    return nullptr;
}

std::string rangeText(uint64_t begin, uint64_t end)
{
    return "[" + std::to_string(begin) + ", " + std::to_string(end) + "]";
}

[[noreturn]] void invalid(const std::string &source, const std::string &what)
{
    throw Error("'" + source + "' is not a valid safetensors file: " + what + ".",
                "The file is damaged, truncated or was not written by a safetensors writer. Save the weights again "
                "or restore them from a backup.");
}

struct Entry
{
    std::string name;
    const Dtype *dtype = nullptr;
    std::vector<int64_t> shape;
    uint64_t begin = 0;
    uint64_t end = 0;
};

// A non-negative JSON integer. nlohmann stores non-negative integers as unsigned, negative ones as signed and
// anything with a fraction or beyond 2^64 as a double.
uint64_t readCount(const json &value, const std::string &source, const std::string &what)
{
    if (value.is_number_unsigned())
        return value.get<uint64_t>();
    if (value.is_number_integer() && value.get<int64_t>() == 0) // "-0"
        return 0;
    if (value.is_number_integer())
        invalid(source, what + " is negative (" + value.dump() + ")");
    invalid(source, what + " is not a non-negative integer (" + value.dump().substr(0, 40) + ")");
}

Entry readEntry(const std::string &name, const json &value, const std::string &source)
{
    const std::string where = "tensor '" + name + "'";
    if (!value.is_object())
        invalid(source, where + " is described by " + std::string(value.type_name()) + ", not an object");
    for (const char *key : {"dtype", "shape", "data_offsets"})
        if (!value.contains(key))
            invalid(source, where + " has no \"" + key + "\"");
    Entry e;
    e.name = name;
    const json &dtype = value["dtype"];
    if (!dtype.is_string())
        invalid(source, where + " has a dtype that is not a string");
    e.dtype = dtypeNamed(dtype.get<std::string>());
    if (!e.dtype)
        invalid(source, where + " has the unknown or unsupported dtype \"" + dtype.get<std::string>().substr(0, 40) +
                            "\" (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");

    const json &shape = value["shape"];
    if (!shape.is_array())
        invalid(source, where + " has a shape that is not an array");
    if (shape.size() > kMaxRank)
        invalid(source, where + " has " + std::to_string(shape.size()) + " dimensions");
    // numel must fit, and so must the product of the non-zero dimensions: torch computes strides from them even
    // when another dimension is 0.
    uint64_t numel = 1, strideProduct = 1;
    constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
    for (const json &d : shape) {
        const uint64_t n = readCount(d, source, where + "'s shape " + shape.dump().substr(0, 80));
        if (n > kMax || __builtin_mul_overflow(strideProduct, std::max<uint64_t>(n, 1), &strideProduct) ||
            strideProduct > kMax)
            invalid(source, where + " has the overflowing shape " + shape.dump().substr(0, 80));
        numel *= n; // cannot overflow: bounded by strideProduct or zero
        e.shape.push_back(static_cast<int64_t>(n));
    }

    const json &offsets = value["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2)
        invalid(source, where + " has data_offsets that are not an array [begin, end]");
    e.begin = readCount(offsets[0], source, where + "'s data_offsets begin");
    e.end = readCount(offsets[1], source, where + "'s data_offsets end");
    if (e.begin > e.end)
        invalid(source, where + " has data_offsets " + rangeText(e.begin, e.end) + " that end before they begin");
    uint64_t bytes = 0;
    if (__builtin_mul_overflow(numel, e.dtype->size, &bytes) || bytes != e.end - e.begin)
        invalid(source, where + " is " + e.dtype->name + " with shape " + shapeText(e.shape) + " (" +
                            std::to_string(numel) + " elements of " + std::to_string(e.dtype->size) +
                            " bytes) but its data_offsets " + rangeText(e.begin, e.end) + " span " +
                            std::to_string(e.end - e.begin) + " bytes");
    return e;
}

// Parses JSON and remembers the first key that occurs twice in one object: nlohmann keeps the last value
// silently, which would hide a tensor (or a second "dtype") from us.
json parseHeader(std::string_view text, const std::string &source)
{
    std::vector<std::set<std::string>> openObjects;
    std::string duplicate;
    bool hasDuplicate = false;
    const json::parser_callback_t callback = [&](int, json::parse_event_t event, json &parsed) {
        if (event == json::parse_event_t::object_start) {
            openObjects.emplace_back();
        } else if (event == json::parse_event_t::object_end) {
            if (!openObjects.empty())
                openObjects.pop_back();
        } else if (event == json::parse_event_t::key && !openObjects.empty() && !hasDuplicate) {
            const auto &key = parsed.get_ref<const std::string &>();
            if (!openObjects.back().insert(key).second) {
                hasDuplicate = true;
                duplicate = key;
            }
        }
        return true;
    };
    json header;
    try {
        header = json::parse(text.begin(), text.end(), callback);
    } catch (const json::exception &e) {
        invalid(source, std::string("the header is not valid JSON (") + e.what() + ")");
    }
    if (!header.is_object())
        invalid(source, "the header is " + std::string(header.type_name()) + ", not a JSON object");
    if (hasDuplicate)
        invalid(source, "the name \"" + duplicate.substr(0, 80) + "\" appears twice in one object of the header");
    return header;
}

} // namespace

std::string shapeText(torch::IntArrayRef shape)
{
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string serializeSafetensors(const NamedTensors &tensors, const std::map<std::string, std::string> &metadata)
{
    struct Item
    {
        const std::string *name;
        torch::Tensor tensor;
        const Dtype *dtype;
    };
    std::vector<Item> items;
    std::set<std::string> names;
    for (const auto &[name, tensor] : tensors) {
        if (name.empty() || name == "__metadata__")
            throw Error("Cannot save a tensor named '" + name + "' in safetensors: the name is reserved or empty.");
        if (!names.insert(name).second)
            throw Error("Cannot save two tensors named '" + name + "' in one safetensors file.");
        if (!tensor.defined())
            throw Error("Cannot save tensor '" + name + "': it is undefined (an empty torch::Tensor()).");
        const Dtype *dtype = dtypeOf(tensor.scalar_type());
        if (!dtype)
            throw Error("Cannot save tensor '" + name + "': its dtype " +
                        std::string(c10::toString(tensor.scalar_type())) + " has no safetensors equivalent.");
        items.push_back({&name, tensor.detach().to(torch::kCPU).contiguous(), dtype});
    }
    std::stable_sort(items.begin(), items.end(), [](const Item &a, const Item &b) {
        return a.dtype->size != b.dtype->size ? a.dtype->size > b.dtype->size : *a.name < *b.name;
    });

    json header = json::object();
    json meta = json::object();
    meta["format"] = "pt";
    for (const auto &[key, value] : metadata)
        meta[key] = value;
    header["__metadata__"] = meta;
    uint64_t offset = 0;
    for (const Item &item : items) {
        const uint64_t bytes = item.tensor.numel() * item.dtype->size;
        header[*item.name] = {{"dtype", item.dtype->name},
                              {"shape", item.tensor.sizes().vec()},
                              {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text;
    try {
        text = header.dump(); // strict: throws on invalid UTF-8
    } catch (const json::exception &) {
        throw Error("Cannot save safetensors: a tensor name or metadata entry is not valid UTF-8.");
    }
    text.append((8 - (8 + text.size()) % 8) % 8, ' ');

    std::string out;
    out.reserve(8 + text.size() + offset);
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<char>((static_cast<uint64_t>(text.size()) >> (8 * i)) & 0xff));
    out += text;
    for (const Item &item : items)
        out.append(static_cast<const char *>(item.tensor.data_ptr()), item.tensor.numel() * item.dtype->size);
    return out;
}

void saveSafetensors(const std::string &path, const NamedTensors &tensors,
                     const std::map<std::string, std::string> &metadata)
{
    writeFileAtomically(path, serializeSafetensors(tensors, metadata));
}

SafetensorsFile parseSafetensors(std::string_view bytes, const std::string &source)
{
    if (bytes.size() < 8)
        invalid(source,
                "it is " + std::to_string(bytes.size()) + " bytes long, too short for the 8-byte header length");
    uint64_t headerSize = 0;
    for (int i = 0; i < 8; ++i)
        headerSize |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
    if (headerSize > kMaxHeaderBytes)
        invalid(source, "the header length says " + std::to_string(headerSize) + " bytes, more than the 100 MB limit");
    if (headerSize > bytes.size() - 8)
        invalid(source, "the header length says " + std::to_string(headerSize) + " bytes but only " +
                            std::to_string(bytes.size() - 8) + " bytes follow it (is the file truncated?)");
    const json header = parseHeader(bytes.substr(8, headerSize), source);
    const std::string_view data = bytes.substr(8 + headerSize);

    SafetensorsFile file;
    std::vector<Entry> entries;
    for (const auto &[name, value] : header.items()) {
        if (name == "__metadata__") {
            if (!value.is_object())
                invalid(source, "\"__metadata__\" is not an object");
            for (const auto &[key, text] : value.items()) {
                if (!text.is_string())
                    invalid(source, "\"__metadata__\" entry \"" + key.substr(0, 80) + "\" is not a string");
                file.metadata[key] = text.get<std::string>();
            }
            continue;
        }
        entries.push_back(readEntry(name, value, source));
        if (entries.back().end > data.size())
            invalid(source, "tensor '" + name + "' has data_offsets " +
                                rangeText(entries.back().begin, entries.back().end) + " but the data area is only " +
                                std::to_string(data.size()) + " bytes (is the file truncated?)");
    }

    // The tensors must tile the data area: sorted by offset, each begins where the previous one ended. Empty tensors
    // ([8, 8]) sort before a tensor starting at the same offset and fit anywhere between two tensors.
    std::vector<const Entry *> byOffset;
    for (const Entry &e : entries)
        byOffset.push_back(&e);
    std::sort(byOffset.begin(), byOffset.end(),
              [](const Entry *a, const Entry *b) { return std::tie(a->begin, a->end) < std::tie(b->begin, b->end); });
    uint64_t covered = 0;
    const Entry *previous = nullptr;
    for (const Entry *e : byOffset) {
        if (e->begin < covered)
            invalid(source, "tensors '" + previous->name + "' " + rangeText(previous->begin, previous->end) + " and '" +
                                e->name + "' " + rangeText(e->begin, e->end) + " overlap");
        if (e->begin > covered)
            invalid(source, "bytes " + rangeText(covered, e->begin) + " of the data area belong to no tensor");
        covered = e->end;
        if (e->end > e->begin)
            previous = e;
    }
    if (covered != data.size())
        invalid(source, "bytes " + rangeText(covered, data.size()) +
                            " at the end of the data area belong to no tensor (trailing garbage)");

    for (const Entry &e : entries) {
        const char *src = data.data() + e.begin;
        const size_t size = e.end - e.begin;
        if (e.dtype->type == torch::kBool) {
            for (size_t i = 0; i < size; ++i)
                if (static_cast<unsigned char>(src[i]) > 1)
                    invalid(source, "BOOL tensor '" + e.name + "' holds a byte other than 0 or 1");
        }
        torch::Tensor t;
        try {
            t = torch::empty(e.shape, torch::TensorOptions().dtype(e.dtype->type));
        } catch (const c10::Error &) {
            invalid(source, "tensor '" + e.name + "' with shape " + shapeText(e.shape) + " cannot be created");
        }
        if (size > 0)
            std::memcpy(t.data_ptr(), src, size);
        file.tensors.emplace(e.name, std::move(t));
    }
    return file;
}

SafetensorsFile loadSafetensors(const std::string &path)
{
    return parseSafetensors(readFile(path), path);
}

} // namespace llmf
