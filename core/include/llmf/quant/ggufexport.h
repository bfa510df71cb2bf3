#pragma once

// Export to GGUF for llama.cpp and Ollama:  llama-cli -m model.gguf -p "Once upon a time"
//
// The model is a Llama, so the file is a "llama" architecture file (ggml's docs/gguf.md and llama.cpp's
// conventions): general.* and llama.* metadata, tensors under GGML's names (token_embd, blk.N.attn_q …,
// output_norm, output), and our byte-level BPE as tokenizer model "gpt2" with pre-tokenizer "gpt-2".
//
// One difference in layout has to be undone: we rotate query/key pairs (i, i + head_dim/2) ("rotate_half", the
// Hugging Face layout) while GGML's llama rotates adjacent pairs (2i, 2i + 1). llama.cpp's own Hugging Face
// converter reorders the rows of every head of W_q and W_k so that the adjacent rows hold what the half-apart rows
// held; the scores q·k are unchanged because both sides are reordered alike. ggmlRopeRowOrder() is that reordering.

#include "llmf/quant/gguf.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llmf {

struct LoadedRun;

struct GgufExportSummary
{
    GgmlType type = GgmlType::F32; // of the matrices
    uint64_t bytes = 0;            // the file's size
    int64_t tensors = 0;
    std::vector<std::string> fallbacks; // "blk.0.ffn_down.weight: f32 (682 values per row are not whole q8_0 blocks)"
};

// GGML's name for one of our (Hugging Face) parameter names; empty for a name it has none for.
std::string ggufTensorName(const std::string &hfName);

// Row r of the exported W_q / W_k is row order[r] of ours (heads × headDim rows).
std::vector<int64_t> ggmlRopeRowOrder(int64_t heads, int64_t headDim);

// Writes `path` atomically. `type`: f32, f16, q8_0, q4_0, or empty for the run's own precision (fp32 → f32,
// int8 → q8_0, int4 → q4_0: a quantised run's blocks are copied, not re-quantised). Norm gains are always f32; a
// matrix whose rows are not whole blocks of 32 falls back to f16 (from an fp32 run) or f32 (from a quantised one).
// llmf::Error on an unknown type, a tokenizer larger than vocab_size or one without "<|endoftext|>", I/O failure.
GgufExportSummary exportGguf(const LoadedRun &run, const std::string &path, const std::string &type = {});

} // namespace llmf
