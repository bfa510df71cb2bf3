#pragma once

// Memory-efficient causal attention for training (the idea of FlashAttention, Dao et al. 2022, shaped for a CPU).
//
// The explicit path computes the whole (T, T) score matrix per head, masks half of it, and autograd keeps the
// probabilities for the backward pass: B·H·T² floats per layer — for `small` at T = 2048 that is 2 GiB a layer.
// Here the queries are taken in blocks of `block` rows. A block at rows [s, s + block) can only see keys
// [0, s + block): its scores are one (block, s + block) matrix — the fully masked key range to its right is
// never computed — masked on its diagonal part, soft-maxed exactly and multiplied with V. Only the output O and
// the log-sum-exp of each row are kept; the backward pass recomputes each block's probabilities from them:
//
//     P  = exp(q kᵀ − lse)                       (block, s + block), rows sum to 1
//     dV += Pᵀ dO      dP = dO Vᵀ     dS = P ∘ (dP − rowsum(dO ∘ O))
//     dQ  = dS K       dK += dSᵀ Q
//
// Saved activations: O(T) per head instead of O(T²). A GPU kernel streams key tiles through an online softmax
// because a tile must fit in on-chip SRAM; on a CPU a block's whole key range is a few hundred KiB that its
// cache holds, so one exact softmax per block does the same arithmetic with fewer, larger matrix products.
//
// Legend: B batch, KV key/value heads, G query heads per KV head (GQA), T positions, D head_dim.

#include <torch/torch.h>

namespace llmf {

// q (B, KV·G, T, D), k and v (B, KV, T, D) → (B, KV·G, T, D): softmax(q kᵀ · scale + causal mask) v, query head h
// reading KV head h / G. Differentiable in q, k and v. Same numbers as the explicit path to float rounding.
torch::Tensor causalAttention(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v, double scale,
                              int64_t block = 64);

} // namespace llmf
