#pragma once

#include "llmf/kernels/quantizedmatrix.h"

#include <torch/torch.h>

#include <memory>

namespace llmf {

// y = x · Wᵀ: a bias-free linear layer (every projection of the model, and lm_head), in charge of its weights in
// whichever precision they are held. The model's code calls it like nn::Linear and reads like the paper; what
// quantisation changes stays in here.
//
// - fp32 (the default): `weight` (out, in), initialised exactly as nn::Linear initialises it (so a seed still gives
//   the weights it always gave; MiniLLM then draws them from N(0, 0.02)).
// - int8 / int4 (setQuantized, by MiniLLMImpl::setQuantizedWeights): `weight` holds the dequantised values, so every
//   float path (prefill, evaluation, the Inspector) computes with what decoding multiplies; decodestep.cpp reads
//   quantized() to run the integer kernels. For int4 the input is also rounded to 8 bits per group of 32
//   (roundActivationsToQ8), as the int4 kernels round it, so that decode and forward still agree.
//
// Why not just nn::Linear: decoding one token at batch 1 gives x a single row. LibTorch then still calls the BLAS
// matrix-matrix product, which first copies ("packs") all of W into its own layout: for one row that copy costs
// more than the arithmetic, at every projection of every layer at every token. The matrix-vector product reads W
// once, in place (docs/performance.md has the measurements).
class ProjectionImpl : public torch::nn::Cloneable<ProjectionImpl>
{
public:
    ProjectionImpl(int64_t inFeatures, int64_t outFeatures);
    void reset() override;

    // x (…, in) → (…, out).
    torch::Tensor forward(const torch::Tensor &x);

    // The int8/int4 form the decode step multiplies with; null for fp32.
    void setQuantized(std::shared_ptr<const QuantizedMatrix> matrix);
    const QuantizedMatrix *quantized() const { return m_quantized.get(); }
    bool roundsInput() const { return m_quantized && m_quantized->type() == QuantType::Int4; }

    int64_t inFeatures() const { return m_in; }
    int64_t outFeatures() const { return m_out; }

    torch::Tensor weight; // (out, in)

private:
    int64_t m_in, m_out;
    std::shared_ptr<const QuantizedMatrix> m_quantized;
};
TORCH_MODULE(Projection);

// The float form of a projection on `weight` (out, in): the matrix-vector fast path for a single CPU row, else
// torch::linear. For the tied output layer, which has no Projection of its own.
torch::Tensor projectWith(const torch::Tensor &weight, const torch::Tensor &x);

// Every group of 32 values along the last dimension rounded to 8 bits (roundActivationsToQ8), as the int4 kernels
// see their input. Rounded on the CPU (a quantised run opened on a GPU pays a copy each way; decoding with the
// kernels is CPU-only anyway).
torch::Tensor roundedToQ8(const torch::Tensor &x);

} // namespace llmf
