#include "llmf/model/causalattention.h"

#include <algorithm>
#include <limits>

namespace llmf {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Rows [start, end) of every query head, grouped by the KV head they read: (B, KV, G·n, D).
torch::Tensor queryBlock(const torch::Tensor &q5, int64_t start, int64_t end)
{
    const int64_t B = q5.size(0), KV = q5.size(1), G = q5.size(2), D = q5.size(4);
    return q5.narrow(3, start, end - start).reshape({B, KV, G * (end - start), D});
}

// Scores of a query block against keys [0, end) in float32, the causal part of its last `n` columns masked.
// (B, KV, G, n, end)
torch::Tensor blockScores(const torch::Tensor &qb, const torch::Tensor &k, int64_t G, int64_t start, int64_t end,
                          double scale)
{
    const int64_t B = k.size(0), KV = k.size(1), n = end - start;
    torch::Tensor s = torch::matmul(qb, k.narrow(2, 0, end).transpose(-2, -1)).to(torch::kFloat32); // (B,KV,G·n,end)
    if (scale != 1.0)
        s.mul_(scale);
    s = s.view({B, KV, G, n, end});
    // Query start+i sees keys 0 .. start+i: in the diagonal (n, n) part, column j > i is masked.
    const torch::Tensor upper =
        torch::ones({n, n}, torch::TensorOptions().dtype(torch::kBool).device(k.device())).triu(1); // (n, n)
    s.narrow(4, start, n).masked_fill_(upper, -std::numeric_limits<float>::infinity());
    return s;
}

struct CausalAttentionFunction : torch::autograd::Function<CausalAttentionFunction>
{
    static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &q, const torch::Tensor &k,
                                 const torch::Tensor &v, double scale, int64_t block)
    {
        const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3);
        const int64_t KV = k.size(1), G = H / KV;
        const torch::Tensor q5 = q.view({B, KV, G, T, D});
        // (B, H, T, D) is (B, KV, G, T, D) in memory: head h = kv·G + g, as the GQA grouping reads it.
        torch::Tensor result = torch::empty({B, H, T, D}, q.options());
        const torch::Tensor out = result.view({B, KV, G, T, D});
        torch::Tensor lse = torch::empty({B, KV, G, T}, q.options().dtype(torch::kFloat32));
        for (int64_t start = 0; start < T; start += block) {
            const int64_t end = std::min(T, start + block), n = end - start;
            const torch::Tensor s = blockScores(queryBlock(q5, start, end), k, G, start, end, scale); // (B,KV,G,n,end)
            const torch::Tensor rowLse = s.logsumexp(-1, /*keepdim=*/true);                           // (B,KV,G,n,1)
            const torch::Tensor p = (s - rowLse).exp_().to(q.scalar_type()).view({B, KV, G * n, end});
            out.narrow(3, start, n).copy_(torch::matmul(p, v.narrow(2, 0, end)).view({B, KV, G, n, D}));
            lse.narrow(3, start, n).copy_(rowLse.squeeze(-1));
        }
        ctx->save_for_backward({q, k, v, result, lse});
        ctx->saved_data["scale"] = scale;
        ctx->saved_data["block"] = block;
        return result;
    }

    static variable_list backward(AutogradContext *ctx, variable_list gradOutputs)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor &q = saved[0], &k = saved[1], &v = saved[2], &lse = saved[4];
        const double scale = ctx->saved_data["scale"].toDouble();
        const int64_t block = ctx->saved_data["block"].toInt();
        const int64_t B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3);
        const int64_t KV = k.size(1), G = H / KV;

        const torch::Tensor q5 = q.view({B, KV, G, T, D});
        const torch::Tensor out = saved[3].view({B, KV, G, T, D});
        const torch::Tensor dOut = gradOutputs[0].contiguous().view({B, KV, G, T, D});
        // rowsum(dO ∘ O): the softmax backward's correction term, one number per query row. (B, KV, G, T, 1)
        const torch::Tensor delta = (dOut.to(torch::kFloat32) * out.to(torch::kFloat32)).sum(-1, true);
        torch::Tensor dq = torch::empty_like(q5);
        torch::Tensor dk = torch::zeros_like(k);
        torch::Tensor dv = torch::zeros_like(v);
        for (int64_t start = 0; start < T; start += block) {
            const int64_t end = std::min(T, start + block), n = end - start;
            const torch::Tensor qb = queryBlock(q5, start, end);                           // (B,KV,G·n,D)
            const torch::Tensor kb = k.narrow(2, 0, end), vb = v.narrow(2, 0, end);        // (B,KV,end,D)
            torch::Tensor p = blockScores(qb, k, G, start, end, scale);                    // (B,KV,G,n,end)
            p.sub_(lse.narrow(3, start, n).unsqueeze(-1)).exp_();                          // probabilities
            const torch::Tensor dOb = dOut.narrow(3, start, n).reshape({B, KV, G * n, D}); // (B,KV,G·n,D)
            const torch::Tensor pFlat = p.view({B, KV, G * n, end}).to(q.scalar_type());
            dv.narrow(2, 0, end).add_(torch::matmul(pFlat.transpose(-2, -1), dOb)); // (B,KV,end,D)
            torch::Tensor dS = torch::matmul(dOb, vb.transpose(-2, -1))
                                   .to(torch::kFloat32) // dP (B,KV,G·n,end)
                                   .view({B, KV, G, n, end});
            dS.sub_(delta.narrow(3, start, n)).mul_(p); // P ∘ (dP − Δ)
            if (scale != 1.0)
                dS.mul_(scale); // the scores were scaled
            const torch::Tensor dSFlat = dS.view({B, KV, G * n, end}).to(q.scalar_type());
            dq.narrow(3, start, n).copy_(torch::matmul(dSFlat, kb).view({B, KV, G, n, D}));
            dk.narrow(2, 0, end).add_(torch::matmul(dSFlat.transpose(-2, -1), qb)); // (B,KV,end,D)
        }
        return {dq.view({B, H, T, D}), dk, dv, torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

torch::Tensor causalAttention(const torch::Tensor &q, const torch::Tensor &k, const torch::Tensor &v, double scale,
                              int64_t block)
{
    TORCH_CHECK(q.dim() == 4 && k.dim() == 4 && v.dim() == 4, "causalAttention takes (B, heads, T, D) tensors");
    TORCH_CHECK(q.size(1) % k.size(1) == 0, "query heads must be a multiple of key/value heads");
    TORCH_CHECK(block > 0, "block must be positive");
    return CausalAttentionFunction::apply(q.contiguous(), k.contiguous(), v.contiguous(), scale, block);
}

} // namespace llmf
