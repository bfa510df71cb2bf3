#include "llmf/model/projection.h"

#include <cmath>

namespace llmf {

ProjectionImpl::ProjectionImpl(int64_t inFeatures, int64_t outFeatures) : m_in(inFeatures), m_out(outFeatures)
{
    reset();
}

void ProjectionImpl::reset()
{
    // nn::Linear's own initialisation, draw for draw: the random stream a seed gives stays what it was.
    weight = register_parameter("weight", torch::empty({m_out, m_in}));
    torch::NoGradGuard noGrad;
    torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
}

torch::Tensor ProjectionImpl::forward(const torch::Tensor &x)
{
    return projectWith(weight, roundsInput() ? roundedToQ8(x) : x);
}

void ProjectionImpl::setQuantized(std::shared_ptr<const QuantizedMatrix> matrix)
{
    m_quantized = std::move(matrix);
}

torch::Tensor projectWith(const torch::Tensor &weight, const torch::Tensor &x)
{
    const torch::Tensor &w = weight; // (out, in)
    if (x.numel() == x.size(-1) && x.device().is_cpu() && x.scalar_type() == w.scalar_type()) {
        auto sizes = x.sizes().vec();
        sizes.back() = w.size(0);
        return torch::mv(w, x.reshape({-1})).view(sizes); // (…, out)
    }
    return torch::linear(x, w);
}

torch::Tensor roundedToQ8(const torch::Tensor &x)
{
    const torch::Tensor in = x.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    torch::Tensor out = torch::empty_like(in);
    const int64_t cols = in.size(-1);
    roundActivationsToQ8(in.data_ptr<float>(), in.numel() / cols, cols, out.data_ptr<float>());
    return out.to(x.device(), x.scalar_type());
}

} // namespace llmf
