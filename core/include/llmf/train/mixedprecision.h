#pragma once

#include <torch/torch.h>

#include <optional>
#include <vector>

namespace llmf {

// Autocast for the forward pass on CUDA (matmuls in bf16/fp16, reductions in fp32), off when `dtype` is empty.
// Autocast state is per thread, so the scope is created on the training thread around each forward.
class AutocastScope
{
public:
    AutocastScope(const std::optional<torch::ScalarType> &dtype, const torch::Device &device);
    ~AutocastScope();
    AutocastScope(const AutocastScope &) = delete;
    AutocastScope &operator=(const AutocastScope &) = delete;

private:
    bool m_enabled = false;
};

// Dynamic loss scaling for float16 (LibTorch has no C++ GradScaler): gradients of small losses underflow in fp16,
// so the loss is multiplied by a large factor before backward and the gradients divided by it afterwards. An
// overflow (inf/NaN gradient) skips the step and halves the factor; 2000 clean steps double it.
class LossScaler
{
public:
    explicit LossScaler(bool enabled, double initialScale = 65536.0);
    torch::Tensor scale(const torch::Tensor &loss) const;
    // Divides gradients by the scale; false when any gradient is not finite (the step must be skipped).
    bool unscale(const std::vector<torch::Tensor> &parameters);
    void update(bool finite);
    double scaleValue() const { return m_scale; }
    void setScaleValue(double scale) { m_scale = scale; }
    bool enabled() const { return m_enabled; }

private:
    bool m_enabled;
    double m_scale;
    int m_cleanSteps = 0;
};

} // namespace llmf
