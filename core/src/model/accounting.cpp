#include "llmf/model/accounting.h"

#include "llmf/common/error.h"

#include <cstdio>

namespace llmf {

std::vector<std::pair<std::string, int64_t>> ParameterBreakdown::rows() const
{
    return {{"embedding", embedding},
            {"attention", perLayer.attention * nLayers},
            {"feed-forward", perLayer.feedForward * nLayers},
            {"block norms", perLayer.norms * nLayers},
            {"final norm", finalNorm},
            {"lm_head", lmHead}};
}

ParameterBreakdown countParameters(const ModelConfig &c)
{
    ParameterBreakdown p;
    const int64_t head_dim = c.headDim();
    p.embedding = c.vocab_size * c.dim;
    p.perLayer.attention = c.dim * (c.n_heads * head_dim)          // q_proj
                           + 2 * c.dim * (c.n_kv_heads * head_dim) // k_proj, v_proj
                           + (c.n_heads * head_dim) * c.dim;       // o_proj
    p.perLayer.feedForward = 3 * c.dim * c.resolvedFfnHiddenDim(); // gate, up, down
    p.perLayer.norms = 2 * c.dim;
    p.nLayers = c.n_layers;
    p.layers = c.n_layers * p.perLayer.total();
    p.finalNorm = c.dim;
    p.lmHead = c.tie_embeddings ? 0 : c.vocab_size * c.dim;
    p.total = p.embedding + p.layers + p.finalNorm + p.lmHead;
    return p;
}

int64_t bytesPerElement(const std::string &dtype)
{
    if (dtype == "float32")
        return 4;
    if (dtype == "bfloat16" || dtype == "float16")
        return 2;
    throw Error("Unknown dtype '" + dtype + "'.", "Use float32, bfloat16 or float16.");
}

MemoryEstimate estimateMemory(const ModelConfig &c, int64_t B, int64_t T, const std::string &activationDtype)
{
    MemoryEstimate m;
    const int64_t params = countParameters(c).total;
    m.weights = params * 4;
    m.gradients = params * 4;
    m.optimizer = params * 4 * 2; // AdamW exp_avg + exp_avg_sq

    // Saved-for-backward activations per layer, in elements (B·T·… each):
    //   norm inputs/outputs 4C, q/k/v 1C + 2·kvC, rotated q/k 1C + kvC, attention output C, residual C,
    //   SwiGLU gate/up/silu/product 4F, and what attention keeps for its backward pass: the memory-efficient path
    //   (causalattention.h) one log-sum-exp per head, H; the explicit path, which training takes with dropout,
    //   the probabilities H·T (one T×T map per head), twice (mask + output).
    const int64_t C = c.dim, F = c.resolvedFfnHiddenDim(), kvC = c.n_kv_heads * c.headDim();
    const int64_t perToken = 4 * C + (C + 2 * kvC) + (C + kvC) + C + C + 4 * F;
    const int64_t explicitMaps = c.n_heads * T * (c.dropout > 0 ? 2 : 1);
    const int64_t attnSaved = c.dropout > 0 ? explicitMaps : c.n_heads;
    // Final norm (2C) and the logits with their log-softmax (2V).
    const int64_t head = B * T * (2 * C + 2 * c.vocab_size);
    const int64_t bytes = bytesPerElement(activationDtype);
    m.activations = (c.n_layers * B * T * (perToken + attnSaved) + head) * bytes;
    m.activationsExplicitAttention = (c.n_layers * B * T * (perToken + explicitMaps) + head) * bytes;

    const int64_t perKvHead = 2 * c.n_layers * c.max_seq_len * c.headDim() * bytesPerElement(activationDtype);
    m.kvCache.mha = perKvHead * c.n_heads;
    m.kvCache.gqa = perKvHead * c.n_kv_heads;
    m.kvCache.mqa = perKvHead;
    return m;
}

std::string humanCount(int64_t n)
{
    char buffer[32];
    if (n >= 1000000000)
        std::snprintf(buffer, sizeof buffer, "%.2fB", n / 1e9);
    else if (n >= 1000000)
        std::snprintf(buffer, sizeof buffer, "%.2fM", n / 1e6);
    else if (n >= 1000)
        std::snprintf(buffer, sizeof buffer, "%.1fK", n / 1e3);
    else
        std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(n));
    return buffer;
}

std::string humanBytes(int64_t bytes)
{
    const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int unit = 0;
    while (v >= 1024.0 && unit < 4) {
        v /= 1024.0;
        ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f %s" : "%.1f %s", v, units[unit]);
    return buffer;
}

} // namespace llmf
