#pragma once

// GGUF version 3, the file format of llama.cpp and Ollama (ggml's docs/gguf.md), read by our own code. Layout:
//     "GGUF"  u32 version (3)  u64 tensor count  u64 metadata count
//     metadata: { string key, u32 value type, value }…   (string = u64 length + UTF-8 bytes, no terminator)
//     tensor infos: { string name, u32 n_dims, u64 ne[n_dims] (ne[0] varies fastest), u32 ggml type,
//                     u64 offset (into the data area, a multiple of the alignment) }…
//     padding to general.alignment (default 32), then the data area: each tensor's bytes, padded to the alignment.
// The writer is exportGguf (ggufexport.h); this reader checks what it reads and backs the tests and `llmf info`.
// Torch-free.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace llmf {

enum class GgufValueType : uint32_t {
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12
};

// ggml tensor types this project writes (ggml.h's numbering).
enum class GgmlType : uint32_t { F32 = 0, F16 = 1, Q4_0 = 2, Q8_0 = 8 };

struct GgufValue
{
    GgufValueType type = GgufValueType::UInt32;
    uint64_t u = 0;                                    // unsigned integers and Bool
    int64_t i = 0;                                     // signed integers
    double f = 0.0;                                    // Float32 / Float64
    std::string s;                                     // String
    GgufValueType elementType = GgufValueType::UInt32; // Array
    std::vector<GgufValue> elements;                   // Array

    static GgufValue u32(uint32_t v);
    static GgufValue i32(int32_t v);
    static GgufValue f32(float v);
    static GgufValue str(std::string v);
    static GgufValue array(GgufValueType elementType, std::vector<GgufValue> elements);
};

struct GgufTensor
{
    std::string name;
    std::vector<uint64_t> dims; // ne[0] first: a PyTorch (out, in) weight is {in, out}
    GgmlType type = GgmlType::F32;
    uint64_t offset = 0; // into the data area
    std::string data;    // its bytes
};

struct GgufFile
{
    uint32_t version = 3;
    uint32_t alignment = 32;
    std::vector<std::pair<std::string, GgufValue>> metadata; // in file order
    std::vector<GgufTensor> tensors;                         // in file order
    uint64_t dataOffset = 0;                                 // where the data area starts

    const GgufValue *find(const std::string &key) const;
    const GgufTensor *tensor(const std::string &name) const;
};

// Bytes a tensor of `type` with `elements` values takes (blocks of 32 for the quantised types; llmf::Error when
// `elements` is not a whole number of blocks).
uint64_t ggmlTensorBytes(GgmlType type, uint64_t elements);
const char *ggmlTypeName(GgmlType type);

// Parses a whole file held in memory; `source` names it in messages. llmf::Error for every defect ("'x' is not a
// valid GGUF file: …"): wrong magic or version, counts or lengths beyond the file, unknown value or tensor types,
// arrays nested too deep, more than 4 dimensions, offsets that are misaligned, overlapping or beyond the file.
// Never reads outside `bytes` and never allocates more than the file could describe.
GgufFile parseGguf(std::string_view bytes, const std::string &source);
GgufFile readGguf(const std::string &path);

// The file's bytes for `file` (offsets and dataOffset are recomputed; tensors in the order given).
std::string serializeGguf(const GgufFile &file);

} // namespace llmf
