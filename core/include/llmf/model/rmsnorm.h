#pragma once

#include <torch/torch.h>

namespace llmf {

struct RMSNormOptions
{
    explicit RMSNormOptions(int64_t dim) : dim_(dim) {}
    TORCH_ARG(int64_t, dim);
    TORCH_ARG(double, eps) = 1e-6;
};

// Root-mean-square normalisation (Zhang & Sennrich 2019): y = x / sqrt(mean(x^2) + eps) * weight.
// Unlike LayerNorm it neither subtracts the mean nor adds a bias: one reduction instead of two.
// LibTorch 1.13 has no nn::RMSNorm, hence this module.
class RMSNormImpl : public torch::nn::Cloneable<RMSNormImpl>
{
public:
    explicit RMSNormImpl(const RMSNormOptions &options);
    void reset() override;
    torch::Tensor forward(const torch::Tensor &x);

    RMSNormOptions options;
    torch::Tensor weight; // (C) gain, initialised to 1
};
TORCH_MODULE(RMSNorm);

} // namespace llmf
