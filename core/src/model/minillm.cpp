#include "llmf/model/minillm.h"

#include "llmf/model/linearcrossentropy.h"
#include "llmf/model/projection.h"
#include "llmf/kernels/quantizedweights.h"

namespace llmf {

MiniLLMImpl::MiniLLMImpl(const ModelConfig &config) : m_config(config)
{
    reset();
}

std::shared_ptr<torch::nn::Module> MiniLLMImpl::clone(const torch::optional<torch::Device> &device) const
{
    auto copy = std::dynamic_pointer_cast<MiniLLMImpl>(torch::nn::Cloneable<MiniLLMImpl>::clone(device));
    copy->m_blocks.clear();
    for (const auto &module : *copy->layers)
        copy->m_blocks.push_back(Block(std::dynamic_pointer_cast<BlockImpl>(module)));
    return copy;
}

void MiniLLMImpl::reset()
{
    const ModelConfig &c = m_config;
    embed_tokens = register_module("embed_tokens", torch::nn::Embedding(c.vocab_size, c.dim));
    layers = register_module("layers", torch::nn::ModuleList());
    m_blocks.clear();
    for (int64_t i = 0; i < c.n_layers; ++i) {
        Block block(c);
        layers->push_back(block);
        m_blocks.push_back(block);
    }
    norm = register_module("norm", RMSNorm(RMSNormOptions(c.dim).eps(c.norm_eps)));
    if (!c.tie_embeddings)
        lm_head = register_module("lm_head", Projection(c.dim, c.vocab_size));
    else
        lm_head = nullptr;
    rope = register_module("rope",
                           RotaryEmbedding(RotaryEmbeddingOptions(c.headDim(), c.max_seq_len).theta(c.rope_theta)));

    // GPT-2/LLaMA initialisation: every matrix N(0, 0.02); RMSNorm gains stay at 1.
    torch::NoGradGuard noGrad;
    for (auto &p : named_parameters(/*recurse=*/true)) {
        if (p.value().dim() >= 2)
            p.value().normal_(0.0, 0.02);
    }
}

torch::Tensor MiniLLMImpl::run(const torch::Tensor &idx, int64_t start, KVCache *cache,
                               std::vector<torch::Tensor> *probs)
{
    return logitsOf(hidden(idx, start, cache, probs)); // (B, T, V)
}

torch::Tensor MiniLLMImpl::logitsOf(const torch::Tensor &normed)
{
    if (lm_head)
        return lm_head(normed);                                               // (…, V)
    return torch::matmul(outputInput(normed), embed_tokens->weight.t()); // (…, V) tied weights
}

void MiniLLMImpl::setQuantizedWeights(std::shared_ptr<const QuantizedWeights> weights)
{
    m_quantized = std::move(weights);
    const auto matrix = [this](size_t layer, ProjectionSlot slot) -> std::shared_ptr<const QuantizedMatrix> {
        if (!m_quantized || layer >= m_quantized->layers.size())
            return nullptr;
        return m_quantized->layers[layer][static_cast<size_t>(slot)];
    };
    for (size_t layer = 0; layer < m_blocks.size(); ++layer) {
        AttentionImpl &a = *m_blocks[layer]->self_attn;
        FeedForwardImpl &f = *m_blocks[layer]->mlp;
        a.q_proj->setQuantized(matrix(layer, ProjectionSlot::Query));
        a.k_proj->setQuantized(matrix(layer, ProjectionSlot::Key));
        a.v_proj->setQuantized(matrix(layer, ProjectionSlot::Value));
        a.o_proj->setQuantized(matrix(layer, ProjectionSlot::Output));
        f.gate_proj->setQuantized(matrix(layer, ProjectionSlot::Gate));
        f.up_proj->setQuantized(matrix(layer, ProjectionSlot::Up));
        f.down_proj->setQuantized(matrix(layer, ProjectionSlot::Down));
    }
    if (lm_head)
        lm_head->setQuantized(m_quantized ? m_quantized->output : nullptr);
}

torch::Tensor MiniLLMImpl::outputInput(const torch::Tensor &normed) const
{
    const QuantizedMatrix *output = m_quantized ? m_quantized->output.get() : nullptr;
    return output && output->type() == QuantType::Int4 ? roundedToQ8(normed) : normed;
}

torch::Tensor MiniLLMImpl::hidden(const torch::Tensor &idx, int64_t start, KVCache *cache,
                                  std::vector<torch::Tensor> *probs)
{
    const int64_t T = idx.size(1);
    TORCH_CHECK(start + T <= m_config.max_seq_len, "sequence of ", start + T, " tokens exceeds max_seq_len ",
                m_config.max_seq_len);
    auto x = embed_tokens(idx);                             // (B, T, C)
    x = torch::dropout(x, m_config.dropout, is_training()); // (B, T, C)
    for (size_t i = 0; i < m_blocks.size(); ++i) {
        torch::Tensor layerProbs;
        x = m_blocks[i]->forward(x, rope, start, cache ? cache->keys[i] : torch::Tensor(),
                                 cache ? cache->values[i] : torch::Tensor(),
                                 probs ? &layerProbs : nullptr); // (B, T, C)
        if (probs)
            probs->push_back(layerProbs);
    }
    return norm(x); // (B, T, C)
}

torch::Tensor MiniLLMImpl::forward(const torch::Tensor &idx)
{
    return run(idx, 0, nullptr, nullptr);
}

torch::Tensor MiniLLMImpl::loss(const torch::Tensor &logits, const torch::Tensor &targets)
{
    const int64_t V = logits.size(-1);
    // Cross-entropy in float32: under autocast the logits may be half precision.
    return torch::nn::functional::cross_entropy(logits.reshape({-1, V}).to(torch::kFloat32), targets.reshape({-1}));
}

torch::Tensor MiniLLMImpl::forwardLoss(const torch::Tensor &idx, const torch::Tensor &targets)
{
    const auto x = outputInput(hidden(idx, 0, nullptr, nullptr)); // (B, T, C)
    const auto &weight = lm_head ? lm_head->weight : embed_tokens->weight;          // (V, C)
    return linearCrossEntropy(x.reshape({-1, x.size(-1)}), weight, targets.reshape({-1}));
}

KVCache MiniLLMImpl::makeCache(int64_t batch_size) const
{
    KVCache cache;
    const auto options = embed_tokens->weight.options().requires_grad(false);
    for (int64_t i = 0; i < m_config.n_layers; ++i) {
        cache.keys.push_back(torch::zeros({batch_size, m_config.n_kv_heads, m_config.max_seq_len, m_config.headDim()},
                                          options)); // (B, KV, T max, D)
        cache.values.push_back(torch::zeros_like(cache.keys.back()));
    }
    return cache;
}

torch::Tensor MiniLLMImpl::forward(const torch::Tensor &idx, KVCache &cache)
{
    TORCH_CHECK(static_cast<int64_t>(cache.keys.size()) == m_config.n_layers,
                "KV cache has the wrong number of layers");
    if (canDecodeOne(idx, cache))
        return decodeOne(idx.item<int64_t>(), cache);
    auto logits = run(idx, cache.length, &cache, nullptr);
    cache.length += idx.size(1);
    return logits;
}

torch::Tensor MiniLLMImpl::probe(const torch::Tensor &idx, torch::Tensor &attention)
{
    const auto batch = idx.dim() == 1 ? idx.unsqueeze(0) : idx; // (1, T)
    TORCH_CHECK(batch.size(0) == 1, "probe takes a single sequence");
    std::vector<torch::Tensor> probs;
    auto logits = run(batch, 0, nullptr, &probs);
    for (auto &p : probs)
        p = p.squeeze(0);            // (H, T, T)
    attention = torch::stack(probs); // (L, H, T, T)
    return logits;
}

std::string MiniLLMImpl::toHFName(const std::string &name)
{
    return name.rfind("lm_head.", 0) == 0 ? name : "model." + name;
}

std::vector<std::pair<std::string, torch::Tensor>> MiniLLMImpl::namedParametersHF() const
{
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto &p : named_parameters(/*recurse=*/true))
        out.emplace_back(toHFName(p.key()), p.value());
    return out;
}

} // namespace llmf
