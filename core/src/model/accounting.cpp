#include "llmf/model/accounting.h"

#include "llmf/common/error.h"

#include <cstdio>

namespace llmf {

namespace {

// An int64 that saturates (accounting.h): the formulas below read as arithmetic and cannot overflow.
struct Size
{
    int64_t v;
};
Size operator*(Size a, Size b)
{
    return {saturatingMul(a.v, b.v)};
}
Size operator+(Size a, Size b)
{
    return {saturatingAdd(a.v, b.v)};
}

} // namespace

std::vector<std::pair<std::string, int64_t>> ParameterBreakdown::rows() const
{
    return {{"embedding", embedding},
            {"attention", saturatingMul(perLayer.attention, nLayers)},
            {"feed-forward", saturatingMul(perLayer.feedForward, nLayers)},
            {"block norms", saturatingMul(perLayer.norms, nLayers)},
            {"final norm", finalNorm},
            {"lm_head", lmHead}};
}

ParameterBreakdown countParameters(const ModelConfig &c)
{
    ParameterBreakdown p;
    const Size C{c.dim}, V{c.vocab_size}, H{c.n_heads}, KV{c.n_kv_heads}, D{c.headDim()}, L{c.n_layers};
    p.embedding = (V * C).v;
    p.perLayer.attention = (C * (H * D)              // q_proj
                            + Size{2} * C * (KV * D) // k_proj, v_proj
                            + (H * D) * C)           // o_proj
                               .v;
    p.perLayer.feedForward = (Size{3} * C * Size{c.resolvedFfnHiddenDim()}).v; // gate, up, down
    p.perLayer.norms = (Size{2} * C).v;
    p.nLayers = c.n_layers;
    p.layers = (L * Size{p.perLayer.total()}).v;
    p.finalNorm = c.dim;
    p.lmHead = c.tie_embeddings ? 0 : (V * C).v;
    p.total = (Size{p.embedding} + Size{p.layers} + Size{p.finalNorm} + Size{p.lmHead}).v;
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
    const Size params{countParameters(c).total};
    m.weights = (params * Size{4}).v;
    m.gradients = (params * Size{4}).v;
    m.optimizer = (params * Size{4 * 2}).v; // AdamW exp_avg + exp_avg_sq

    // Saved-for-backward activations per layer, in elements (B·T·… each):
    //   norm inputs/outputs 4C, q/k/v 1C + 2·kvC, rotated q/k 1C + kvC, attention output C, residual C,
    //   SwiGLU gate/up/silu/product 4F, and what attention keeps for its backward pass: the memory-efficient path
    //   (causalattention.h) one log-sum-exp per head, H; the explicit path, which training takes with dropout,
    //   the probabilities H·T (one T×T map per head), twice (mask + output).
    const Size C{c.dim}, F{c.resolvedFfnHiddenDim()}, kvC = Size{c.n_kv_heads} * Size{c.headDim()};
    const Size batchTokens = Size{B} * Size{T}, L{c.n_layers}, H{c.n_heads};
    const Size perToken = Size{4} * C + (C + Size{2} * kvC) + (C + kvC) + C + C + Size{4} * F;
    const Size explicitMaps = H * Size{T} * Size{c.dropout > 0 ? 2 : 1};
    const Size attnSaved = c.dropout > 0 ? explicitMaps : H;
    // Final norm (2C) and the logits with their log-softmax (2V).
    const Size head = batchTokens * (Size{2} * C + Size{2} * Size{c.vocab_size});
    const Size bytes{bytesPerElement(activationDtype)};
    m.activations = ((L * batchTokens * (perToken + attnSaved) + head) * bytes).v;
    m.activationsExplicitAttention = ((L * batchTokens * (perToken + explicitMaps) + head) * bytes).v;

    const Size perKvHead = Size{2} * L * Size{c.max_seq_len} * Size{c.headDim()} * bytes;
    m.kvCache.mha = (perKvHead * H).v;
    m.kvCache.gqa = (perKvHead * Size{c.n_kv_heads}).v;
    m.kvCache.mqa = perKvHead.v;
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
