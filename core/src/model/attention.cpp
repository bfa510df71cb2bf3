#include "llmf/model/attention.h"

#include "llmf/model/causalattention.h"
#include "llmf/model/projection.h"

#include <cmath>
#include <cstdlib>
#include <string>
#include <limits>

namespace llmf {

AttentionImpl::AttentionImpl(const AttentionOptions &options_) : options(options_)
{
    reset();
}

void AttentionImpl::reset()
{
    const int64_t head_dim = options.dim() / options.n_heads();
    q_proj = register_module("q_proj", Projection(options.dim(), options.n_heads() * head_dim));
    k_proj = register_module("k_proj", Projection(options.dim(), options.n_kv_heads() * head_dim));
    v_proj = register_module("v_proj", Projection(options.dim(), options.n_kv_heads() * head_dim));
    o_proj = register_module("o_proj", Projection(options.n_heads() * head_dim, options.dim()));
}

torch::Tensor AttentionImpl::forward(const torch::Tensor &x, RotaryEmbedding &rope, int64_t start,
                                     torch::Tensor cache_k, torch::Tensor cache_v, torch::Tensor *probs)
{
    const int64_t B = x.size(0), T = x.size(1);
    const int64_t H = options.n_heads(), KV = options.n_kv_heads(), G = H / KV;
    const int64_t D = options.dim() / H;

    // 1. Project and split into heads.
    auto q = q_proj(x).view({B, T, H, D}).transpose(1, 2);  // (B, H, T, D)
    auto k = k_proj(x).view({B, T, KV, D}).transpose(1, 2); // (B, KV, T, D)
    auto v = v_proj(x).view({B, T, KV, D}).transpose(1, 2); // (B, KV, T, D)

    // 2. Rotate queries and keys by their absolute positions.
    q = rope->forward(q, start); // (B, H, T, D)
    k = rope->forward(k, start); // (B, KV, T, D)

    // 3. Append to the cache (in place) and attend over everything so far.
    int64_t S = T; // number of key positions
    if (cache_k.defined()) {
        cache_k.narrow(2, start, T).copy_(k);
        cache_v.narrow(2, start, T).copy_(v);
        S = start + T;
        k = cache_k.narrow(2, 0, S); // (B, KV, S, D)
        v = cache_v.narrow(2, 0, S); // (B, KV, S, D)
    } else {
        TORCH_CHECK(start == 0, "a forward without a cache starts at position 0");
    }

    // Training and evaluation (no cache, no probabilities wanted, no dropout mask to draw): the memory-efficient path
    // computes the same numbers without ever holding a (T, T) matrix per head (causalattention.h).
    static const bool explicitOnly = [] {
        const char *v = std::getenv("LLMF_EXPLICIT_ATTENTION"); // benchmarks compare the two paths
        return v && std::string(v) == "1";
    }();
    if (!explicitOnly && !cache_k.defined() && !probs && (options.dropout() == 0.0 || !is_training()) && T > 1) {
        const auto out = causalAttention(q * (1.0 / std::sqrt(double(D))), k, v, 1.0); // (B, H, T, D)
        return o_proj(out.transpose(1, 2).reshape({B, T, H * D})); // (B, T, C)
    }

    // 4. Scores. GQA without copying K/V per query head: the G query heads that share a KV head are stacked
    //    along the time axis, so one batched matmul per KV head serves all of them.
    //    The 1/√D scale goes on q (T×D values) rather than on the scores (T×S): one fewer tensor the size of the
    //    attention matrix, which for `small` training is 33 MB per layer.
    const auto qg = (q * (1.0 / std::sqrt(double(D)))).reshape({B, KV, G * T, D}); // (B, KV, G*T, D)
    auto scores = torch::matmul(qg, k.transpose(-2, -1)).view({B, KV, G, T, S});   // (B, KV, G, T, S)

    // 5. Causal mask: query at absolute position start+i sees keys 0 .. start+i. In place: the matmul's backward
    //    needs its inputs, not its output.
    if (T > 1) {
        const auto rows = torch::arange(start, start + T, torch::TensorOptions().device(x.device())).unsqueeze(1);
        const auto cols = torch::arange(S, torch::TensorOptions().device(x.device())).unsqueeze(0);
        scores.masked_fill_(cols > rows, -std::numeric_limits<float>::infinity()); // (B, KV, G, T, S)
    }
    // Softmax in float32: under autocast the scores may be bf16, whose exp loses the small probabilities.
    auto att = torch::softmax(scores, -1, torch::kFloat32).to(q.scalar_type()); // (B, KV, G, T, S)
    if (probs)
        *probs = att.reshape({B, H, T, S}).detach();
    att = torch::dropout(att, options.dropout(), is_training());

    // 6. Weighted sum of values, merge heads, project back to the residual stream.
    auto out = torch::matmul(att.view({B, KV, G * T, S}), v);            // (B, KV, G*T, D)
    out = out.view({B, H, T, D}).transpose(1, 2).reshape({B, T, H * D}); // (B, T, C)
    return o_proj(out);                                                   // (B, T, C)
}

} // namespace llmf
