#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace llmf {

// A token stream split into a training part and a validation part: the first split_ratio of the tokens
// train, the rest validate (a contiguous split, so validation text was never seen in training).
class TokenDataset
{
public:
    TokenDataset(const std::vector<int32_t> &tokens, double splitRatio);

    const torch::Tensor &train() const { return m_train; } // (N_train) int64
    const torch::Tensor &val() const { return m_val; }     // (N_val) int64
    int64_t size() const { return m_train.numel() + m_val.numel(); }

private:
    torch::Tensor m_train;
    torch::Tensor m_val;
};

// Random (B, T+1) windows of a token stream, from a seeded RNG: x = window[:, :T], y = window[:, 1:].
// The RNG state can be saved and restored, so a resumed run sees exactly the batches it would have seen.
class BatchSampler
{
public:
    BatchSampler(torch::Tensor tokens, int64_t batchSize, int64_t seqLen, uint64_t seed,
                 std::string splitName = "train");

    struct Batch
    {
        torch::Tensor x; // (B, T) int64 inputs
        torch::Tensor y; // (B, T) int64 targets: x shifted left by one
    };
    Batch next();

    std::string rngState() const;
    void setRngState(const std::string &state);

private:
    torch::Tensor m_tokens;
    int64_t m_batchSize;
    int64_t m_seqLen;
    std::mt19937_64 m_rng;
};

} // namespace llmf
