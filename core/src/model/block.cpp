#include "llmf/model/block.h"

namespace llmf {

BlockImpl::BlockImpl(const ModelConfig &config_) : config(config_)
{
    reset();
}

void BlockImpl::reset()
{
    input_layernorm = register_module("input_layernorm", RMSNorm(RMSNormOptions(config.dim).eps(config.norm_eps)));
    self_attn = register_module(
        "self_attn",
        Attention(AttentionOptions(config.dim, config.n_heads, config.n_kv_heads).dropout(config.dropout)));
    post_attention_layernorm =
        register_module("post_attention_layernorm", RMSNorm(RMSNormOptions(config.dim).eps(config.norm_eps)));
    mlp = register_module("mlp", FeedForward(FeedForwardOptions(config.dim, config.resolvedFfnHiddenDim())));
}

torch::Tensor BlockImpl::forward(const torch::Tensor &x, RotaryEmbedding &rope, int64_t start, torch::Tensor cache_k,
                                 torch::Tensor cache_v, torch::Tensor *probs)
{
    const bool train = is_training();
    // Attention sub-layer: x + Attention(RMSNorm(x))
    auto h = self_attn->forward(input_layernorm(x), rope, start, cache_k, cache_v, probs); // (B, T, C)
    h = x + torch::dropout(h, config.dropout, train);                                      // (B, T, C)
    // Feed-forward sub-layer: h + FFN(RMSNorm(h))
    auto f = mlp(post_attention_layernorm(h));           // (B, T, C)
    return h + torch::dropout(f, config.dropout, train); // (B, T, C)
}

} // namespace llmf
