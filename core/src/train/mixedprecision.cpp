#include "llmf/train/mixedprecision.h"

#include <ATen/autocast_mode.h>

namespace llmf {

AutocastScope::AutocastScope(const std::optional<torch::ScalarType> &dtype, const torch::Device &device)
{
    if (!dtype || !device.is_cuda())
        return;
    m_enabled = true;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_enabled(at::kCUDA, true);
    at::autocast::set_autocast_dtype(at::kCUDA, *dtype);
#else
    at::autocast::set_enabled(true);
    at::autocast::set_autocast_gpu_dtype(*dtype);
#endif
}

AutocastScope::~AutocastScope()
{
    if (!m_enabled)
        return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_enabled(at::kCUDA, false);
#else
    at::autocast::set_enabled(false);
#endif
    // Autocast caches casted weights for the duration of a forward; drop them so updated weights are re-cast.
    at::autocast::clear_cache();
}

LossScaler::LossScaler(bool enabled, double initialScale) : m_enabled(enabled), m_scale(enabled ? initialScale : 1.0) {}

torch::Tensor LossScaler::scale(const torch::Tensor &loss) const
{
    return m_enabled ? loss * m_scale : loss;
}

bool LossScaler::unscale(const std::vector<torch::Tensor> &parameters)
{
    if (!m_enabled)
        return true;
    torch::NoGradGuard noGrad;
    bool finite = true;
    for (const auto &p : parameters) {
        if (!p.grad().defined())
            continue;
        p.grad().div_(m_scale);
        finite = finite && p.grad().isfinite().all().item<bool>();
    }
    return finite;
}

void LossScaler::update(bool finite)
{
    if (!m_enabled)
        return;
    if (!finite) {
        m_scale = std::max(1.0, m_scale / 2.0);
        m_cleanSteps = 0;
    } else if (++m_cleanSteps >= 2000) {
        m_scale *= 2.0;
        m_cleanSteps = 0;
    }
}

} // namespace llmf
