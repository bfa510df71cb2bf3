#pragma once

#include "llmf/config/modelconfig.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llmf {

// Sizes of configurations that validate can exceed int64 (vocab_size × dim × n_layers of a typo): accounting sums
// and products saturate at INT64_MAX, "more than any machine has", instead of overflowing (undefined behaviour).
inline int64_t saturatingAdd(int64_t a, int64_t b)
{
    int64_t r = 0;
    return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}
inline int64_t saturatingMul(int64_t a, int64_t b)
{
    int64_t r = 0;
    return __builtin_mul_overflow(a, b, &r) ? INT64_MAX : r;
}

// Parameter counts computed from the configuration alone (no tensors allocated), so the Config Studio can
// update them on every keystroke. Tests check them against numel() of the real module for every preset.
struct LayerParameters
{
    int64_t attention = 0;   // q, k, v, o projections
    int64_t feedForward = 0; // gate, up, down
    int64_t norms = 0;       // the two RMSNorm gains
    int64_t total() const { return saturatingAdd(saturatingAdd(attention, feedForward), norms); }
};

struct ParameterBreakdown
{
    int64_t embedding = 0;    // embed_tokens: V × C
    LayerParameters perLayer; // every block is the same
    int64_t nLayers = 0;
    int64_t layers = 0;    // n_layers × perLayer
    int64_t finalNorm = 0; // C
    int64_t lmHead = 0;    // V × C, or 0 when tied to the embedding
    int64_t total = 0;

    // (name, count) rows in data-flow order, for tables and charts.
    std::vector<std::pair<std::string, int64_t>> rows() const;
};

ParameterBreakdown countParameters(const ModelConfig &config);

// Bytes of one value of a dtype name (float32 4, bfloat16/float16 2).
int64_t bytesPerElement(const std::string &dtype);

struct KvCacheSizes
{
    int64_t mha = 0; // n_kv_heads = n_heads
    int64_t gqa = 0; // the configured n_kv_heads
    int64_t mqa = 0; // n_kv_heads = 1
};

// Estimated training memory for one micro-batch (B sequences of T tokens). Weights and gradients use the
// parameter dtype (float32 here: autocast keeps fp32 master weights); AdamW keeps two float32 moments per
// parameter; activations count the tensors autograd saves for the backward pass (see accounting.cpp).
struct MemoryEstimate
{
    int64_t weights = 0;
    int64_t gradients = 0;
    int64_t optimizer = 0;
    int64_t activations = 0;
    // What the activations would be if attention kept its (T, T) probability maps (the explicit path): the O(T²)
    // term the memory-efficient path removes. Equal to `activations` when dropout forces the explicit path.
    int64_t activationsExplicitAttention = 0;
    int64_t total() const
    {
        return saturatingAdd(saturatingAdd(weights, gradients), saturatingAdd(optimizer, activations));
    }
    KvCacheSizes kvCache; // bytes for one sequence at max_seq_len during generation
};

MemoryEstimate estimateMemory(const ModelConfig &config, int64_t batch_size, int64_t seq_len,
                              const std::string &activationDtype = "float32");

// "7.08M", "31.5M", "1.2K".
std::string humanCount(int64_t n);
// "27.0 MiB".
std::string humanBytes(int64_t bytes);

} // namespace llmf
