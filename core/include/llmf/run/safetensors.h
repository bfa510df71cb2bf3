#pragma once

// Hugging Face's safetensors format, written and read by our own code (no Python, no Rust library).
//
// A file holding one F32 tensor "w" of shape [2] = {1.0, 2.0}:
//     offset 0   8 bytes    header length N, unsigned little-endian: 58 00 00 00 00 00 00 00 (N = 88)
//     offset 8   88 bytes   {"__metadata__":{"format":"pt"},"w":{"data_offsets":[0,8],"dtype":"F32","shape":[2]}}
//                           (85 bytes of JSON) + 3 spaces, so that the data area starts at a multiple of 8 (96)
//     offset 96  8 bytes    00 00 80 3F  00 00 00 40   (the raw little-endian floats)
// data_offsets are [begin, end) relative to the start of the data area, and the tensors must cover it exactly:
// no holes, no overlaps, nothing after the last tensor. "__metadata__" is optional and maps strings to strings.
//
// Dtypes: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL (LibTorch 1.13 has no U16/U32/U64 or float8).

#include "llmf/model/minillm.h"

#include <torch/torch.h>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmf {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

// The file's bytes for `tensors` (moved to the CPU and made contiguous; requires_grad is dropped). The data is
// laid out like Hugging Face's writer does it: widest element first, then by name. That keeps every tensor
// aligned to its element size (all F64/I64 before all F32/I32, and so on), so a memory-mapping reader can use
// the bytes in place. `metadata` gets "format": "pt" unless it sets "format" itself.
// Throws llmf::Error on an empty, reserved ("__metadata__") or duplicate name, an undefined tensor, a dtype
// safetensors has no name for (complex), or names/metadata that are not valid UTF-8.
std::string serializeSafetensors(const NamedTensors &tensors, const std::map<std::string, std::string> &metadata = {});
// serializeSafetensors + writeFileAtomically.
void saveSafetensors(const std::string &path, const NamedTensors &tensors,
                     const std::map<std::string, std::string> &metadata = {});

struct SafetensorsFile
{
    std::map<std::string, torch::Tensor> tensors; // CPU, contiguous, owning their memory
    std::map<std::string, std::string> metadata;  // "__metadata__", empty when the file has none
};

// Parses and validates a whole file held in memory; `source` names it in error messages. Every defect is an
// llmf::Error ("'x' is not a valid safetensors file: ..."): too short, header length beyond the file or over
// 100 MB, header not a JSON object, duplicate keys, an entry without dtype/shape/data_offsets or with the
// wrong JSON types, an unknown dtype, a negative or overflowing shape, offsets outside the data area or
// reversed, a size that is not numel * element size, overlapping tensors, holes. Never reads outside `bytes`
// and never allocates more than the data area holds, whatever the header claims.
SafetensorsFile parseSafetensors(std::string_view bytes, const std::string &source);
// readFile + parseSafetensors.
SafetensorsFile loadSafetensors(const std::string &path);

// The model's parameters under Hugging Face Llama names, detached (no lm_head.weight when the embeddings are
// tied). What we save as model.safetensors.
NamedTensors modelTensorsForSaving(const MiniLLM &model);
void saveModelSafetensors(const MiniLLM &model, const std::string &path,
                          const std::map<std::string, std::string> &metadata = {});

// Copies `file`'s tensors into the model's parameters (whatever device and dtype they are on). Checks everything
// before copying anything, so the model is unchanged when it throws llmf::Error: a parameter without a tensor
// (e.g. "the weights were saved for a model with fewer layers than config.yaml says"), tensors the model has no
// parameter for, a shape that differs (both shapes and the config key that likely disagrees: dim, n_kv_heads,
// vocab_size, ffn_hidden_dim...), a dtype that is not floating point. `path` names the file in messages.
// Returns notes worth showing the user (e.g. that bfloat16 weights were widened to float32); usually empty.
std::vector<std::string> loadIntoModel(MiniLLM &model, const SafetensorsFile &file, const std::string &path);
// loadSafetensors + loadIntoModel.
std::vector<std::string> loadModelSafetensors(MiniLLM &model, const std::string &path);

// "[2, 3]": a shape in messages.
std::string shapeText(torch::IntArrayRef shape);

} // namespace llmf
