#pragma once

#include "llmf/model/projection.h"
#include "llmf/model/rotaryembedding.h"

#include <torch/torch.h>

namespace llmf {

struct AttentionOptions
{
    AttentionOptions(int64_t dim, int64_t n_heads, int64_t n_kv_heads)
        : dim_(dim), n_heads_(n_heads), n_kv_heads_(n_kv_heads)
    {}
    TORCH_ARG(int64_t, dim);
    TORCH_ARG(int64_t, n_heads);
    TORCH_ARG(int64_t, n_kv_heads);
    TORCH_ARG(double, dropout) = 0.0;
};

// Causal self-attention with grouped-query attention (GQA, Ainslie et al. 2023): n_heads query heads share
// n_kv_heads key/value heads, query head h reading KV head h / (n_heads / n_kv_heads) as in HF's repeat_kv.
// n_kv_heads == n_heads is classic multi-head attention, n_kv_heads == 1 is multi-query attention.
class AttentionImpl : public torch::nn::Cloneable<AttentionImpl>
{
public:
    explicit AttentionImpl(const AttentionOptions &options);
    void reset() override;

    // x: (B, T, C). With `cache_k`/`cache_v` defined ((B, n_kv, max_seq_len, head_dim)), the new keys/values
    // are written at [start, start + T) and attention covers [0, start + T). When `probs` is non-null it
    // receives the attention probabilities (B, n_heads, T, start + T) (the Inspector's probe path).
    torch::Tensor forward(const torch::Tensor &x, RotaryEmbedding &rope, int64_t start = 0, torch::Tensor cache_k = {},
                          torch::Tensor cache_v = {}, torch::Tensor *probs = nullptr);

    AttentionOptions options;
    Projection q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};
};
TORCH_MODULE(Attention);

} // namespace llmf
