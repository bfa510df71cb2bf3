#include "llmf/model/rmsnorm.h"

namespace llmf {

RMSNormImpl::RMSNormImpl(const RMSNormOptions &options_) : options(options_)
{
    reset();
}

void RMSNormImpl::reset()
{
    weight = register_parameter("weight", torch::ones({options.dim()}));
}

torch::Tensor RMSNormImpl::forward(const torch::Tensor &x)
{
    // Reduce in float32 even under autocast: the mean of squares of bf16 activations loses too many bits.
    const auto xf = x.to(torch::kFloat32);                                                   // (B, T, C)
    const auto inv_rms = torch::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + options.eps()); // (B, T, 1)
    return (xf * inv_rms).to(x.scalar_type()) * weight;                                      // (B, T, C)
}

} // namespace llmf
