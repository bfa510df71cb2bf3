#pragma once

#include "llmf/config/modelconfig.h"
#include "llmf/model/attention.h"
#include "llmf/model/feedforward.h"
#include "llmf/model/rmsnorm.h"

#include <torch/torch.h>

namespace llmf {

// One pre-norm Transformer block: normalise *before* each sub-layer and add its output to the residual stream.
// The residual path stays an identity from input to output, which is why deep pre-norm stacks train stably
// without the warmup tricks post-norm (the original Transformer) needed.
class BlockImpl : public torch::nn::Cloneable<BlockImpl>
{
public:
    explicit BlockImpl(const ModelConfig &config);
    void reset() override;

    // x: (B, T, C) → (B, T, C). Cache tensors and `probs` as in Attention::forward.
    torch::Tensor forward(const torch::Tensor &x, RotaryEmbedding &rope, int64_t start = 0, torch::Tensor cache_k = {},
                          torch::Tensor cache_v = {}, torch::Tensor *probs = nullptr);

    ModelConfig config;
    RMSNorm input_layernorm{nullptr};
    Attention self_attn{nullptr};
    RMSNorm post_attention_layernorm{nullptr};
    FeedForward mlp{nullptr};
};
TORCH_MODULE(Block);

} // namespace llmf
