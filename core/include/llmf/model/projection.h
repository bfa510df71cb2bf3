#pragma once

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

} // namespace llmf
