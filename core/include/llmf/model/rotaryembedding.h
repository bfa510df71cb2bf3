#pragma once

#include <torch/torch.h>

namespace llmf {

struct RotaryEmbeddingOptions
{
    RotaryEmbeddingOptions(int64_t head_dim, int64_t max_seq_len) : head_dim_(head_dim), max_seq_len_(max_seq_len) {}
    TORCH_ARG(int64_t, head_dim);
    TORCH_ARG(int64_t, max_seq_len);
    TORCH_ARG(double, theta) = 10000.0;
};

// Rotary position embedding (Su et al. 2021, RoFormer) in the "rotate_half" layout of Hugging Face's Llama:
// dimension i of a head is paired with dimension i + head_dim/2 (not with its neighbour), and the pair is
// rotated by angle pos * theta^(-2i/head_dim). Because a rotation by a followed by the transpose of a rotation
// by b is a rotation by a - b, q·k after RoPE depends only on the offset between the two positions.
//
// Worked example (head_dim 4, theta 10000): the pairs are (x0, x2) and (x1, x3); at position 1 the first pair
// turns by 1 rad and the second by 1/100 rad.
class RotaryEmbeddingImpl : public torch::nn::Cloneable<RotaryEmbeddingImpl>
{
public:
    explicit RotaryEmbeddingImpl(const RotaryEmbeddingOptions &options);
    void reset() override;

    // x: (B, heads, T, head_dim) at absolute positions [start, start + T).
    torch::Tensor forward(const torch::Tensor &x, int64_t start = 0);

    // The inverse frequencies theta^(-2i/head_dim), i = 0 .. head_dim/2 - 1. (head_dim/2)
    torch::Tensor inverseFrequencies() const;
    // Rotation angle of every (position, pair): (max_seq_len, head_dim/2). For the Inspector.
    torch::Tensor angles() const;

    RotaryEmbeddingOptions options;
    torch::Tensor cos; // (max_seq_len, head_dim) buffer, each angle repeated for both halves
    torch::Tensor sin; // (max_seq_len, head_dim)
};
TORCH_MODULE(RotaryEmbedding);

// [-x2, x1] for x = [x1, x2] split in halves along the last dimension.
torch::Tensor rotateHalf(const torch::Tensor &x);

} // namespace llmf
