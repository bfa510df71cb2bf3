#include "llmf/model/linearcrossentropy.h"

namespace llmf {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct LinearCrossEntropyFunction : torch::autograd::Function<LinearCrossEntropyFunction>
{
    static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &hidden, const torch::Tensor &weight,
                                 const torch::Tensor &targets)
    {
        const int64_t N = hidden.size(0);
        // Logits in float32 (under autocast the matmul may run in bf16/fp16; the softmax must not).
        torch::Tensor g = torch::mm(hidden, weight.t()).to(torch::kFloat32); // (N, V)
        const torch::Tensor index = targets.reshape({N, 1});
        const torch::Tensor targetLogit = g.gather(1, index).squeeze(1); // (N)
        // Softmax in place, stabilised by the row maximum: g ← exp(g − max) / Σ exp(g − max).
        const torch::Tensor rowMax = std::get<0>(g.max(1, /*keepdim=*/true)); // (N, 1)
        g.sub_(rowMax).exp_();
        const torch::Tensor sum = g.sum(1, /*keepdim=*/true); // (N, 1)
        g.div_(sum);
        // loss = mean(logsumexp − target logit) = mean(log Σ + max − target logit)
        const torch::Tensor loss = (sum.log().squeeze(1) + rowMax.squeeze(1) - targetLogit).mean();
        // g ← (softmax − onehot) / N: the gradient of the mean loss with respect to the logits.
        g.scatter_add_(1, index, torch::full({N, 1}, -1.0f, g.options()));
        g.div_(static_cast<double>(N));
        ctx->save_for_backward({hidden, weight, g});
        return loss;
    }

    static variable_list backward(AutogradContext *ctx, variable_list gradOutputs)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor &hidden = saved[0];
        const torch::Tensor &weight = saved[1];
        const torch::Tensor &g = saved[2];
        const torch::Tensor scale = gradOutputs[0].to(torch::kFloat32); // () — 1 unless the loss was scaled
        // Scale the small results, not the (N, V) buffer.
        const torch::Tensor gw = g.to(weight.scalar_type());
        torch::Tensor gradHidden = torch::mm(gw, weight).mul_(scale).to(hidden.scalar_type());     // (N, C)
        torch::Tensor gradWeight = torch::mm(gw.t(), hidden.to(weight.scalar_type())).mul_(scale); // (V, C)
        return {gradHidden, gradWeight, torch::Tensor()};
    }
};

} // namespace

torch::Tensor linearCrossEntropy(const torch::Tensor &hidden, const torch::Tensor &weight, const torch::Tensor &targets)
{
    return LinearCrossEntropyFunction::apply(hidden, weight, targets);
}

} // namespace llmf
