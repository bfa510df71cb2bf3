#include "llmf/train/pretrainingobjective.h"

#include "llmf/common/error.h"
#include "llmf/data/tokendataset.h"
#include "llmf/run/trainerstate.h"
#include "llmf/train/datastreams.h"

namespace llmf {

PretrainingObjective::PretrainingObjective(TrainingData data) : m_data(std::move(data)) {}

PretrainingObjective::~PretrainingObjective() = default;

MiniLLM PretrainingObjective::createModel(const Config &config)
{
    if (m_data.tokenizer.vocabSize() > config.model.vocab_size)
        throw Error("The tokenizer has " + std::to_string(m_data.tokenizer.vocabSize()) +
                    " tokens but model.vocab_size is " + std::to_string(config.model.vocab_size) + ".");
    torch::manual_seed(static_cast<uint64_t>(config.training.seed));
    return MiniLLM(config.model);
}

void PretrainingObjective::prepare(const Config &config, const TrainingTopology &topology)
{
    m_batchSize = config.training.batch_size;
    m_seqLen = config.trainingSeqLen();
    m_evalIters = config.training.eval_iters;
    m_topology = topology;
    m_dataset = std::make_unique<TokenDataset>(m_data.tokens, config.data.split_ratio);
    m_streams = std::make_unique<DataStreams>(m_dataset->train(), m_batchSize, m_seqLen, config.training.seed, topology);
    // Fail now, not at the first evaluation, when the validation split is too short.
    BatchSampler(m_dataset->val(), 1, m_seqLen, 0, "validation");
}

MicroBatchLoss PretrainingObjective::microBatchLoss(MiniLLM &model, int64_t micro, const torch::Device &device)
{
    const auto batch = m_streams->next(micro);
    MicroBatchLoss out;
    out.loss = model->forwardLoss(batch.x.to(device), batch.y.to(device)); // ()
    out.tokens = batch.x.numel();
    return out;
}

torch::Tensor PretrainingObjective::evaluationLossSums(MiniLLM &model, const torch::Device &device)
{
    const torch::Tensor *splits[] = {&m_dataset->train(), &m_dataset->val()};
    torch::Tensor sums = torch::zeros({2}, torch::TensorOptions().dtype(torch::kFloat64));
    for (int s = 0; s < 2; ++s) {
        // Fixed seeds: every evaluation sees the same batches, so the curve shows learning, not sampling noise.
        BatchSampler sampler(*splits[s], m_batchSize, m_seqLen, 1000003ULL * (s + 1));
        torch::Tensor total = torch::zeros({}, torch::TensorOptions().device(device));
        for (int64_t i = 0; i < m_evalIters; ++i) {
            const auto batch = sampler.next();
            if (i % m_topology.worldSize != m_topology.rank)
                continue; // the ranks share the batches out: the mean is one process's, in 1/N of the time
            total += model->forwardLoss(batch.x.to(device), batch.y.to(device)).detach();
        }
        sums[s] = total.item<double>();
    }
    return sums;
}

std::vector<std::string> PretrainingObjective::streamStates() const
{
    return m_streams->states();
}

void PretrainingObjective::restoreStreams(const std::vector<std::string> &saved, int savedWorldSize)
{
    m_streams->restore(saved, savedWorldSize);
}

std::string PretrainingObjective::dataFingerprint() const
{
    return llmf::dataFingerprint(m_data.tokens);
}

std::string PretrainingObjective::setupFingerprint() const
{
    return "# tokenizer " + std::to_string(tokenizerFingerprint(m_data.tokenizer)) + "\n# tokens " +
           std::to_string(m_data.tokens.size()) + "\n";
}

} // namespace llmf
