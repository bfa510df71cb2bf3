// MiniLLMImpl::decodeOne: one token at batch 1 on the CPU, the step text generation spends its time in.
//
// The math is run()'s, line for line: RMSNorm → q, k, v → RoPE → append to the cache → attention over the cache →
// o_proj → residual; RMSNorm → SwiGLU → residual; final RMSNorm → logits. What differs is how it is executed. At
// this size (C = 256 for `small`) a tensor op costs a few microseconds of dispatch and allocation whatever its
// work, and a layer of the general path is ~55 of them, so decoding was bound by overhead rather than arithmetic.
// Here the matrix-vector products go to BLAS (torch::mv_out into buffers reused across layers) and the
// elementwise steps are plain loops over a few hundred floats. Tests hold it to the general path within 1e-5.
#include "llmf/model/minillm.h"

#include "llmf/kernels/quantizedweights.h"
#include "llmf/model/projection.h"

#include "cacheattention.h"

#include <algorithm>
#include <cmath>

namespace llmf {

namespace {

// out = x / sqrt(mean(x²) + eps) · g
void rmsNorm(const float *x, const float *g, float *out, int64_t n, double eps)
{
    double sumSquares = 0.0;
    for (int64_t i = 0; i < n; ++i)
        sumSquares += static_cast<double>(x[i]) * x[i];
    const float inv = static_cast<float>(1.0 / std::sqrt(sumSquares / static_cast<double>(n) + eps));
    for (int64_t i = 0; i < n; ++i)
        out[i] = x[i] * inv * g[i];
}

// RoPE, Hugging Face rotate_half layout, on `heads` vectors of D values at one position:
//     v[i] ← v[i]·cos[i] − v[i+D/2]·sin[i],   v[i+D/2] ← v[i+D/2]·cos[i] + v[i]·sin[i]
void rotate(float *v, int64_t heads, int64_t D, const float *cos, const float *sin)
{
    const int64_t half = D / 2;
    for (int64_t h = 0; h < heads; ++h, v += D)
        for (int64_t i = 0; i < half; ++i) {
            const float a = v[i], b = v[i + half];
            v[i] = a * cos[i] - b * sin[i];
            v[i + half] = b * cos[i + half] + a * sin[i + half];
        }
}

// Writes one position's keys and values (KV heads of D) into a (KV, maxT, D) cache.
void append(const float *k, const float *v, float *keys, float *values, int64_t pos, int64_t KV, int64_t D,
            int64_t maxT)
{
    for (int64_t kv = 0; kv < KV; ++kv) {
        std::copy(k + kv * D, k + (kv + 1) * D, keys + (kv * maxT + pos) * D);
        std::copy(v + kv * D, v + (kv + 1) * D, values + (kv * maxT + pos) * D);
    }
}

// The one seam where precision matters: out = in · Wᵀ for one row (in: (C)) or N rows (in: (N, C)), with the fp32
// weight through BLAS, or with its int8/int4 form through the quantised kernels.
void projectInto(const torch::Tensor &weight, const QuantizedMatrix *quantized, const torch::Tensor &in,
                 torch::Tensor &out)
{
    if (quantized)
        quantized->multiply(in.data_ptr<float>(), in.dim() == 1 ? 1 : in.size(0), out.data_ptr<float>());
    else if (in.dim() == 1)
        torch::mv_out(out, weight, in);
    else
        torch::mm_out(out, in, weight.t());
}

void projectInto(const ProjectionImpl &projection, const torch::Tensor &in, torch::Tensor &out)
{
    projectInto(projection.weight, projection.quantized(), in, out);
}

} // namespace

bool MiniLLMImpl::canDecodeOne(const torch::Tensor &idx, const KVCache &cache) const
{
    return !is_training() && !torch::GradMode::is_enabled() && idx.dim() == 2 && idx.size(0) == 1 && idx.size(1) == 1 &&
           idx.device().is_cpu() && embed_tokens->weight.device().is_cpu() &&
           embed_tokens->weight.scalar_type() == torch::kFloat32 && !cache.keys.empty() &&
           cache.keys.front().scalar_type() == torch::kFloat32 && cache.keys.front().size(0) == 1;
}

torch::Tensor MiniLLMImpl::decodeOne(int64_t token, KVCache &cache)
{
    const ModelConfig &c = m_config;
    const int64_t C = c.dim, H = c.n_heads, KV = c.n_kv_heads, D = c.headDim(), G = H / KV;
    const int64_t F = c.resolvedFfnHiddenDim(), pos = cache.length, maxT = cache.capacity();
    TORCH_CHECK(pos < maxT && pos < c.max_seq_len, "sequence exceeds max_seq_len ", c.max_seq_len);
    const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));

    torch::Tensor x = embed_tokens->weight[token].contiguous().clone(); // (C) the residual stream
    torch::Tensor xn = torch::empty({C}), q = torch::empty({H * D}), k = torch::empty({KV * D});
    torch::Tensor v = torch::empty({KV * D}), att = torch::empty({H * D}), proj = torch::empty({C});
    torch::Tensor gate = torch::empty({F}), up = torch::empty({F});
    std::vector<float> scores(static_cast<size_t>(pos + 1));
    float *px = x.data_ptr<float>(), *pxn = xn.data_ptr<float>(), *pq = q.data_ptr<float>();
    float *pk = k.data_ptr<float>(), *pv = v.data_ptr<float>(), *patt = att.data_ptr<float>();
    float *pproj = proj.data_ptr<float>(), *pgate = gate.data_ptr<float>(), *pup = up.data_ptr<float>();
    const float *cosRow = rope->cos.data_ptr<float>() + pos * D; // (D) angles of this position
    const float *sinRow = rope->sin.data_ptr<float>() + pos * D;

    for (size_t layer = 0; layer < m_blocks.size(); ++layer) {
        BlockImpl &b = *m_blocks[layer];
        AttentionImpl &a = *b.self_attn;
        // Attention sub-layer.
        rmsNorm(px, b.input_layernorm->weight.data_ptr<float>(), pxn, C, b.input_layernorm->options.eps());
        projectInto(*a.q_proj, xn, q); // (H·D)
        projectInto(*a.k_proj, xn, k);   // (KV·D)
        projectInto(*a.v_proj, xn, v); // (KV·D)
        rotate(pq, H, D, cosRow, sinRow);
        rotate(pk, KV, D, cosRow, sinRow);
        float *keys = cache.keys[layer].data_ptr<float>();     // (KV, maxT, D)
        float *values = cache.values[layer].data_ptr<float>(); // (KV, maxT, D)
        append(pk, pv, keys, values, pos, KV, D, maxT);
        attendOverCache(pq, keys, values, pos, H, G, D, maxT, scale, patt, scores);
        projectInto(*a.o_proj, att, proj); // (C)
        for (int64_t i = 0; i < C; ++i)
            px[i] += pproj[i];
        // Feed-forward sub-layer: down(silu(gate(x)) · up(x)).
        FeedForwardImpl &f = *b.mlp;
        rmsNorm(px, b.post_attention_layernorm->weight.data_ptr<float>(), pxn, C,
                b.post_attention_layernorm->options.eps());
        projectInto(*f.gate_proj, xn, gate); // (F)
        projectInto(*f.up_proj, xn, up);       // (F)
        for (int64_t i = 0; i < F; ++i)
            pgate[i] = pgate[i] / (1.0f + std::exp(-pgate[i])) * pup[i];
        projectInto(*f.down_proj, gate, proj); // (C)
        for (int64_t i = 0; i < C; ++i)
            px[i] += pproj[i];
    }
    rmsNorm(px, norm->weight.data_ptr<float>(), pxn, C, norm->options.eps());
    torch::Tensor logits = torch::empty({c.vocab_size}); // (V)
    projectInto(lm_head ? lm_head->weight : embed_tokens->weight, m_quantized ? m_quantized->output.get() : nullptr, xn,
                logits);
    cache.length += 1;
    return logits.view({1, 1, -1}); // (B=1, T=1, V)
}

torch::Tensor MiniLLMImpl::decodeBatch(const std::vector<int64_t> &tokens, const std::vector<KVCache *> &caches)
{
    const auto N = static_cast<int64_t>(tokens.size());
    TORCH_CHECK(N > 0 && caches.size() == tokens.size(), "decodeBatch: one cache per token");
    const ModelConfig &c = m_config;
    const int64_t C = c.dim, H = c.n_heads, KV = c.n_kv_heads, D = c.headDim(), G = H / KV;
    const int64_t F = c.resolvedFfnHiddenDim();
    const float scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(D)));
    for (const KVCache *cache : caches)
        TORCH_CHECK(cache->length < cache->capacity() && cache->length < c.max_seq_len, "sequence exceeds max_seq_len ",
                    c.max_seq_len);

    // Row i is sequence i at its own position caches[i]->length. The projections are matrix products over all
    // rows, so each weight matrix is read once per step for the whole batch (decoding is bound by reading
    // weights); RMSNorm, RoPE and attention are per row, with decodeOne's loops.
    const auto ids = torch::tensor(tokens, torch::kInt64);
    torch::Tensor x = embed_tokens->weight.index_select(0, ids).contiguous(); // (N, C) the residual streams
    torch::Tensor xn = torch::empty({N, C}), q = torch::empty({N, H * D}), k = torch::empty({N, KV * D});
    torch::Tensor v = torch::empty({N, KV * D}), att = torch::empty({N, H * D}), proj = torch::empty({N, C});
    torch::Tensor gate = torch::empty({N, F}), up = torch::empty({N, F});
    float *px = x.data_ptr<float>(), *pxn = xn.data_ptr<float>(), *pq = q.data_ptr<float>();
    float *pk = k.data_ptr<float>(), *pv = v.data_ptr<float>(), *patt = att.data_ptr<float>();
    float *pgate = gate.data_ptr<float>(), *pup = up.data_ptr<float>();
    const float *cosTable = rope->cos.data_ptr<float>(), *sinTable = rope->sin.data_ptr<float>();
    std::vector<float> scores;
    const auto normRows = [&](const RMSNorm &n) {
        for (int64_t i = 0; i < N; ++i)
            rmsNorm(px + i * C, n->weight.data_ptr<float>(), pxn + i * C, C, n->options.eps());
    };

    for (size_t layer = 0; layer < m_blocks.size(); ++layer) {
        BlockImpl &b = *m_blocks[layer];
        AttentionImpl &a = *b.self_attn;
        normRows(b.input_layernorm);
        projectInto(*a.q_proj, xn, q); // (N, H·D)
        projectInto(*a.k_proj, xn, k);   // (N, KV·D)
        projectInto(*a.v_proj, xn, v); // (N, KV·D)
        for (int64_t i = 0; i < N; ++i) {
            KVCache &cache = *caches[static_cast<size_t>(i)];
            const int64_t pos = cache.length, maxT = cache.capacity();
            rotate(pq + i * H * D, H, D, cosTable + pos * D, sinTable + pos * D);
            rotate(pk + i * KV * D, KV, D, cosTable + pos * D, sinTable + pos * D);
            float *keys = cache.keys[layer].data_ptr<float>();
            float *values = cache.values[layer].data_ptr<float>();
            append(pk + i * KV * D, pv + i * KV * D, keys, values, pos, KV, D, maxT);
            attendOverCache(pq + i * H * D, keys, values, pos, H, G, D, maxT, scale, patt + i * H * D, scores);
        }
        projectInto(*a.o_proj, att, proj); // (N, C)
        x.add_(proj);
        FeedForwardImpl &f = *b.mlp;
        normRows(b.post_attention_layernorm);
        projectInto(*f.gate_proj, xn, gate); // (N, F)
        projectInto(*f.up_proj, xn, up);       // (N, F)
        for (int64_t i = 0; i < N * F; ++i)
            pgate[i] = pgate[i] / (1.0f + std::exp(-pgate[i])) * pup[i];
        projectInto(*f.down_proj, gate, proj); // (N, C)
        x.add_(proj);
    }
    normRows(norm);
    torch::Tensor logits = torch::empty({N, c.vocab_size}); // (N, V)
    projectInto(lm_head ? lm_head->weight : embed_tokens->weight, m_quantized ? m_quantized->output.get() : nullptr, xn,
                logits);
    for (KVCache *cache : caches)
        cache->length += 1;
    return logits;
}

} // namespace llmf
