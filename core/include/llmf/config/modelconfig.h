#pragma once

#include <cstdint>
#include <string>

namespace llmf {

// The architecture of a LLaMA-style model. Defaults are the original guide's ModelConfig (the "medium" model);
// presets in configs/ state only what differs (nanoGPT style).
struct ModelConfig
{
    int64_t dim = 512;           // width of the residual stream (C)
    int64_t n_layers = 8;        // Transformer blocks
    int64_t n_heads = 8;         // query heads; head_dim = dim / n_heads
    int64_t n_kv_heads = 4;      // key/value heads (GQA): n_heads % n_kv_heads == 0; 1 = MQA, n_heads = MHA
    int64_t vocab_size = 8192;   // tokenizer size (V), includes the special tokens
    int64_t max_seq_len = 512;   // context length (T max); RoPE tables and the KV cache are this long
    double dropout = 0.0;        // applied to attention probabilities and residual branches in training only
    int64_t ffn_hidden_dim = 0;  // SwiGLU hidden width; 0 = int(8 * dim / 3) as in the guide
    double norm_eps = 1e-6;      // RMSNorm epsilon
    double rope_theta = 10000.0; // RoPE base frequency
    bool tie_embeddings = false; // share embed_tokens and lm_head weights
    // Weight-only quantisation of the saved weights: none, int8 or int4 (set by `llmf quantize`; such a run can be
    // sampled, evaluated, served and exported but not trained; llmf/kernels/quantizedmatrix.h).
    std::string quantization = "none";

    int64_t headDim() const { return n_heads > 0 ? dim / n_heads : 0; }
    // 8·dim/3 without forming 8·dim, which a huge dim would overflow.
    int64_t resolvedFfnHiddenDim() const { return ffn_hidden_dim > 0 ? ffn_hidden_dim : dim / 3 * 8 + dim % 3 * 8 / 3; }
    int64_t queriesPerKvHead() const { return n_kv_heads > 0 ? n_heads / n_kv_heads : 0; }
};

} // namespace llmf
