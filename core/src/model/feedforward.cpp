#include "llmf/model/feedforward.h"

namespace llmf {

FeedForwardImpl::FeedForwardImpl(const FeedForwardOptions &options_) : options(options_)
{
    reset();
}

void FeedForwardImpl::reset()
{
    gate_proj = register_module("gate_proj", Projection(options.dim(), options.hidden_dim()));
    up_proj = register_module("up_proj", Projection(options.dim(), options.hidden_dim()));
    down_proj = register_module("down_proj", Projection(options.hidden_dim(), options.dim()));
}

torch::Tensor FeedForwardImpl::forward(const torch::Tensor &x)
{
    const auto gate = torch::silu(gate_proj(x)); // (B, T, F) how much of each hidden unit passes
    const auto up = up_proj(x);                  // (B, T, F)
    return down_proj(gate * up);                 // (B, T, C)
}

} // namespace llmf
