#include "llmf/model/feedforward.h"

#include "llmf/model/projection.h"

namespace llmf {

FeedForwardImpl::FeedForwardImpl(const FeedForwardOptions &options_) : options(options_)
{
    reset();
}

void FeedForwardImpl::reset()
{
    const auto linear = [](int64_t in, int64_t out) { return torch::nn::LinearOptions(in, out).bias(false); };
    gate_proj = register_module("gate_proj", torch::nn::Linear(linear(options.dim(), options.hidden_dim())));
    up_proj = register_module("up_proj", torch::nn::Linear(linear(options.dim(), options.hidden_dim())));
    down_proj = register_module("down_proj", torch::nn::Linear(linear(options.hidden_dim(), options.dim())));
}

torch::Tensor FeedForwardImpl::forward(const torch::Tensor &x)
{
    const torch::Tensor in = projectionInput(x, int4Weights);
    const auto gate = torch::silu(project(gate_proj, in));              // (B, T, F) how much of each hidden unit passes
    const auto up = project(up_proj, in);                               // (B, T, F)
    return project(down_proj, projectionInput(gate * up, int4Weights)); // (B, T, C)
}

} // namespace llmf
