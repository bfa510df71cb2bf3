#include "llmf/model/rotaryembedding.h"

namespace llmf {

RotaryEmbeddingImpl::RotaryEmbeddingImpl(const RotaryEmbeddingOptions &options_) : options(options_)
{
    reset();
}

torch::Tensor RotaryEmbeddingImpl::inverseFrequencies() const
{
    const auto half = torch::arange(0, options.head_dim(), 2, torch::kFloat64) / options.head_dim();
    return torch::pow(options.theta(), -half).to(torch::kFloat32); // (head_dim/2)
}

torch::Tensor RotaryEmbeddingImpl::angles() const
{
    const auto positions = torch::arange(options.max_seq_len(), torch::kFloat32); // (T)
    return torch::outer(positions, inverseFrequencies());                         // (T, head_dim/2)
}

void RotaryEmbeddingImpl::reset()
{
    const auto freqs = angles();                     // (T, head_dim/2)
    const auto emb = torch::cat({freqs, freqs}, -1); // (T, head_dim): HF layout, halves share angles
    // Buffers move with .to(device) and are not parameters (RoPE adds no weights).
    cos = register_buffer("cos", emb.cos());
    sin = register_buffer("sin", emb.sin());
}

torch::Tensor rotateHalf(const torch::Tensor &x)
{
    const int64_t half = x.size(-1) / 2;
    const auto x1 = x.narrow(-1, 0, half);
    const auto x2 = x.narrow(-1, half, half);
    return torch::cat({-x2, x1}, -1);
}

torch::Tensor RotaryEmbeddingImpl::forward(const torch::Tensor &x, int64_t start)
{
    const int64_t T = x.size(2);
    TORCH_CHECK(start + T <= options.max_seq_len(), "RoPE position ", start + T, " beyond max_seq_len ",
                options.max_seq_len());
    const auto c = cos.narrow(0, start, T).to(x.scalar_type()); // (T, head_dim), broadcast over (B, heads)
    const auto s = sin.narrow(0, start, T).to(x.scalar_type()); // (T, head_dim)
    return x * c + rotateHalf(x) * s;                           // (B, heads, T, head_dim)
}

} // namespace llmf
