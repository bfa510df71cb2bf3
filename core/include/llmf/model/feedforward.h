#pragma once

#include "llmf/model/projection.h"

#include <torch/torch.h>

namespace llmf {

struct FeedForwardOptions
{
    FeedForwardOptions(int64_t dim, int64_t hidden_dim) : dim_(dim), hidden_dim_(hidden_dim) {}
    TORCH_ARG(int64_t, dim);
    TORCH_ARG(int64_t, hidden_dim);
};

// SwiGLU feed-forward (Shazeer 2020): down( silu(gate(x)) * up(x) ). The gate decides, per hidden unit, how much
// of the "up" signal passes; with three matrices the hidden width is 8/3·dim so the cost matches a 4·dim MLP.
class FeedForwardImpl : public torch::nn::Cloneable<FeedForwardImpl>
{
public:
    explicit FeedForwardImpl(const FeedForwardOptions &options);
    void reset() override;
    torch::Tensor forward(const torch::Tensor &x);

    FeedForwardOptions options;
    Projection gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};
};
TORCH_MODULE(FeedForward);

} // namespace llmf
