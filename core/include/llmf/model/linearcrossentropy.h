#pragma once

#include <torch/torch.h>

namespace llmf {

// The output layer and the cross-entropy loss in one autograd node: mean over rows of
//     -log softmax(hidden · weightᵀ)[target]
// hidden (N, C), weight (V, C), targets (N) → a scalar. Same value and gradients as
// cross_entropy(linear(hidden, weight), targets), with one (N, V) buffer instead of four.
//
// Why: for `small` (B16 × T256, V 8192) the logits are 4096 × 8192 floats = 134 MB. Autograd's path keeps the
// logits and the log-softmax for the backward pass and allocates two more of that size for their gradients. Here
// the forward pass turns the logits, in place, into the gradient of the loss with respect to them,
//     ∂loss/∂logits = (softmax(logits) − onehot(target)) / N,
// which is all the backward pass needs: ∂hidden = G · weight, ∂weight = Gᵀ · hidden (scaled by the incoming
// gradient). Less memory traffic, a lower peak, and no large allocation per op.
torch::Tensor linearCrossEntropy(const torch::Tensor &hidden, const torch::Tensor &weight,
                                 const torch::Tensor &targets);

} // namespace llmf
