#pragma once

#include "llmf/quant/quantizedmatrix.h"

#include <torch/torch.h>

namespace llmf {

// y = x · Wᵀ for a bias-free linear layer (every projection of the model).
//
// Why not just layer(x): decoding one token at batch 1 gives x a single row. LibTorch then still calls the BLAS
// matrix-matrix product, which first copies ("packs") all of W into its own layout: for one row that copy costs
// more than the arithmetic, and it happens for every projection of every layer at every token. The
// matrix-vector product reads W once, in place. (The one-token decode step, decodestep.cpp, goes further; this
// covers the other single-row cases, e.g. a one-token prompt. docs/performance.md has the measurements.)
inline torch::Tensor project(const torch::nn::Linear &layer, const torch::Tensor &x)
{
    const torch::Tensor &w = layer->weight; // (out, in)
    if (x.numel() == x.size(-1) && x.device().is_cpu() && x.scalar_type() == w.scalar_type()) {
        auto sizes = x.sizes().vec();
        sizes.back() = w.size(0);
        return torch::mv(w, x.reshape({-1})).view(sizes); // (…, out)
    }
    return torch::linear(x, w);
}

// The input of a projection whose weights are int4, as the decoding kernels see it: every group of 32 values along
// the last dimension rounded to 8 bits (roundActivationsToQ8). Applied on the float paths (prefill, eval, the
// Inspector) so that they compute what decoding computes. Rounded on the CPU (a quantised run opened on a GPU
// pays a copy each way; decoding with the kernels is CPU-only anyway).
inline torch::Tensor roundedToQ8(const torch::Tensor &x)
{
    const torch::Tensor in = x.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    torch::Tensor out = torch::empty_like(in);
    const int64_t cols = in.size(-1);
    roundActivationsToQ8(in.data_ptr<float>(), in.numel() / cols, cols, out.data_ptr<float>());
    return out.to(x.device(), x.scalar_type());
}

// x, or x rounded as above when the projection it feeds holds int4 weights.
inline torch::Tensor projectionInput(const torch::Tensor &x, bool int4Weights)
{
    return int4Weights ? roundedToQ8(x) : x;
}

} // namespace llmf
