#pragma once

#include "llmf/data/trainingdata.h"
#include "llmf/train/objective.h"

#include <memory>

namespace llmf {

class DataStreams;
class TokenDataset;

// Pre-training: next-token prediction on a token stream. The first split_ratio of the tokens train (random
// (batch, seq_len + 1) windows, one data stream per micro-batch: datastreams.h), the rest validate; the loss is the
// mean cross-entropy of every position (MiniLLM::forwardLoss). The model starts from N(0, 0.02) weights drawn
// from training.seed.
class PretrainingObjective : public Objective
{
public:
    explicit PretrainingObjective(TrainingData data);
    ~PretrainingObjective() override;

    std::string name() const override { return "pretraining"; }
    const Tokenizer &tokenizer() const override { return m_data.tokenizer; }
    MiniLLM createModel(const Config &config) override;
    void prepare(const Config &config, const TrainingTopology &topology) override;
    MicroBatchLoss microBatchLoss(MiniLLM &model, int64_t micro, const torch::Device &device) override;
    torch::Tensor evaluationLossSums(MiniLLM &model, const torch::Device &device) override;
    std::vector<std::string> streamStates() const override;
    void restoreStreams(const std::vector<std::string> &saved, int savedWorldSize) override;
    std::string dataFingerprint() const override;
    std::string setupFingerprint() const override;

private:
    TrainingData m_data;
    int64_t m_batchSize = 0, m_seqLen = 0, m_evalIters = 0;
    TrainingTopology m_topology;
    std::unique_ptr<TokenDataset> m_dataset;
    std::unique_ptr<DataStreams> m_streams;
};

} // namespace llmf
