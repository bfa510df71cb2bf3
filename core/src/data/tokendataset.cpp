#include "llmf/data/tokendataset.h"

#include "llmf/common/error.h"

#include <sstream>

namespace llmf {

TokenDataset::TokenDataset(const std::vector<int32_t> &tokens, double splitRatio)
{
    if (splitRatio <= 0.0 || splitRatio >= 1.0)
        throw Error("split_ratio must be strictly between 0 and 1, not " + std::to_string(splitRatio) + ".");
    const auto all = torch::tensor(tokens, torch::kInt32).to(torch::kInt64); // (N)
    const int64_t n = all.numel();
    const int64_t nTrain = static_cast<int64_t>(static_cast<double>(n) * splitRatio);
    m_train = all.narrow(0, 0, nTrain).clone();
    m_val = all.narrow(0, nTrain, n - nTrain).clone();
}

BatchSampler::BatchSampler(torch::Tensor tokens, int64_t batchSize, int64_t seqLen, uint64_t seed,
                           std::string splitName)
    : m_tokens(std::move(tokens)), m_batchSize(batchSize), m_seqLen(seqLen), m_rng(seed)
{
    if (m_tokens.numel() < seqLen + 1)
        throw Error("The " + splitName + " split has " + std::to_string(m_tokens.numel()) +
                        " tokens, but one training window needs " + std::to_string(seqLen + 1) + ".",
                    "Use more text, a shorter max_seq_len / seq_len, or a different split_ratio.");
}

BatchSampler::Batch BatchSampler::next()
{
    std::uniform_int_distribution<int64_t> start(0, m_tokens.numel() - m_seqLen - 1);
    std::vector<int64_t> offsets(static_cast<size_t>(m_batchSize));
    for (auto &o : offsets)
        o = start(m_rng);
    // Gather all windows with one index_select instead of B narrow+stack copies.
    const auto base = torch::tensor(offsets, torch::kInt64).unsqueeze(1);              // (B, 1)
    const auto index = base + torch::arange(m_seqLen + 1, torch::kInt64).unsqueeze(0); // (B, T+1)
    const auto windows = m_tokens.index_select(0, index.reshape({-1})).view({m_batchSize, m_seqLen + 1});
    return {windows.narrow(1, 0, m_seqLen).contiguous(), windows.narrow(1, 1, m_seqLen).contiguous()};
}

std::string BatchSampler::rngState() const
{
    std::ostringstream out;
    out << m_rng;
    return out.str();
}

void BatchSampler::setRngState(const std::string &state)
{
    std::istringstream in(state);
    in >> m_rng;
    if (!in)
        throw Error("The saved batch-sampler state is corrupt.");
}

} // namespace llmf
