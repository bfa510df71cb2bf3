#pragma once

#include <torch/torch.h>

#include <vector>

namespace llmf {

// Keys and values of every layer for the tokens seen so far, preallocated to the full context so decoding
// writes each new position in place instead of concatenating (which would copy the whole cache every token).
struct KVCache
{
    std::vector<torch::Tensor> keys;   // per layer: (B, n_kv_heads, max_seq_len, head_dim)
    std::vector<torch::Tensor> values; // per layer: (B, n_kv_heads, max_seq_len, head_dim)
    int64_t length = 0;                // positions [0, length) are filled

    int64_t capacity() const { return keys.empty() ? 0 : keys.front().size(2); }
    void reset() { length = 0; }
};

} // namespace llmf
