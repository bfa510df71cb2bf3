#pragma once

#include "llmf/config/modelconfig.h"
#include "llmf/model/block.h"
#include "llmf/model/kvcache.h"
#include "llmf/model/projection.h"
#include "llmf/model/rmsnorm.h"
#include "llmf/model/rotaryembedding.h"

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace llmf {

struct QuantizedWeights;

// The whole LLaMA-style language model:
//   tokens → embed_tokens → n_layers × Block → norm → lm_head → logits
// Legend: B batch, T sequence length, C dim, V vocab_size, H n_heads, L n_layers.
class MiniLLMImpl : public torch::nn::Cloneable<MiniLLMImpl>
{
public:
    explicit MiniLLMImpl(const ModelConfig &config);
    void reset() override;
    // A deep copy on `device`. Cloneable's own clone() refills `layers` with copies of the blocks but leaves the
    // typed views (m_blocks) on the fresh, randomly initialised blocks reset() made; this one points them at the
    // copies.
    std::shared_ptr<torch::nn::Module>
    clone(const torch::optional<torch::Device> &device = torch::nullopt) const override;

    // Training/evaluation forward. idx: (B, T) int64 → logits (B, T, V).
    torch::Tensor forward(const torch::Tensor &idx);
    // The output layer on final-norm outputs (…, C) → logits (…, V): lm_head, or the tied embeddings.
    torch::Tensor logitsOf(const torch::Tensor &normed);
    // Mean next-token cross-entropy of logits (B, T, V) against targets (B, T).
    static torch::Tensor loss(const torch::Tensor &logits, const torch::Tensor &targets);
    // forward() and loss() in one: the same value and gradients without materialising the logits' autograd graph
    // (see linearcrossentropy.h). What the trainer uses.
    torch::Tensor forwardLoss(const torch::Tensor &idx, const torch::Tensor &targets);

    // Incremental forward: idx (B, T) are the tokens at positions [cache.length, cache.length + T); their keys and
    // values are appended to the cache. Returns logits (B, T, V) identical to the full forward's last T rows.
    torch::Tensor forward(const torch::Tensor &idx, KVCache &cache);
    // The one-token, batch-1, CPU, no-grad decode step with plain loops (decodestep.cpp); forward(idx, cache) takes
    // it when canDecodeOne() says so.
    bool canDecodeOne(const torch::Tensor &idx, const KVCache &cache) const;
    torch::Tensor decodeOne(int64_t token, KVCache &cache);
    // One decode step for N sequences at once, each at its own position: tokens[i] is appended to *caches[i]
    // (batch-1 caches, CPU float32, no grad). Returns logits (N, V). What `llmf serve`'s continuous batching runs.
    torch::Tensor decodeBatch(const std::vector<int64_t> &tokens, const std::vector<KVCache *> &caches);
    KVCache makeCache(int64_t batch_size) const;

    // int8/int4 weights for decodeOne and decodeBatch (llmf/kernels/): when set, their projections multiply with these
    // (dequantising inside the kernel) instead of the fp32 parameters, which then hold the dequantised values for
    // every other path (prefill, evaluation, the Inspector): one model function whichever path runs. For int4 the
    // other paths also round each int4 projection's input as the kernels do (Projection, projection.h).
    void setQuantizedWeights(std::shared_ptr<const QuantizedWeights> weights);
    const QuantizedWeights *quantizedWeights() const { return m_quantized.get(); }

    // Probe forward for the Inspector: idx (T) or (1, T) → logits (1, T, V) and, in `attention`, the
    // probabilities of every layer and head: (L, H, T, T). Same numerics as forward().
    torch::Tensor probe(const torch::Tensor &idx, torch::Tensor &attention);

    // Parameters under Hugging Face Llama names ("model.layers.0.self_attn.q_proj.weight", "lm_head.weight").
    std::vector<std::pair<std::string, torch::Tensor>> namedParametersHF() const;
    static std::string toHFName(const std::string &libtorchName);

    const ModelConfig &config() const { return m_config; }

    torch::nn::Embedding embed_tokens{nullptr};
    torch::nn::ModuleList layers{nullptr};
    RMSNorm norm{nullptr};
    Projection lm_head{nullptr}; // null when tie_embeddings: the logits reuse embed_tokens' weight
    RotaryEmbedding rope{nullptr};

private:
    torch::Tensor run(const torch::Tensor &idx, int64_t start, KVCache *cache, std::vector<torch::Tensor> *probs);
    // Everything before the output layer: the final RMSNorm's output (B, T, C).
    torch::Tensor hidden(const torch::Tensor &idx, int64_t start, KVCache *cache, std::vector<torch::Tensor> *probs);

    // The final norm's output as the output layer multiplies it: rounded to Q8 when that layer is int4 (lm_head's
    // Projection does this itself; the tied embeddings have no Projection).
    torch::Tensor outputInput(const torch::Tensor &normed) const;

    ModelConfig m_config;
    std::vector<Block> m_blocks; // typed views of `layers`, to avoid a dynamic cast per step
    std::shared_ptr<const QuantizedWeights> m_quantized;
};
TORCH_MODULE(MiniLLM);

} // namespace llmf
