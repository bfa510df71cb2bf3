#include "llmf/train/datastreams.h"

#include "llmf/common/error.h"
#include "llmf/config/configio.h"
#include "llmf/config/configschema.h"
#include "llmf/run/checkpoint.h"
#include "llmf/train/processgroup.h"

#include <nlohmann/json.hpp>

namespace llmf {

uint64_t streamSeed(int64_t seed, int64_t stream)
{
    return static_cast<uint64_t>(seed) + 0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(stream);
}

DataStreams::DataStreams(const torch::Tensor &tokens, int64_t batchSize, int64_t seqLen, int64_t seed,
                         const TrainingTopology &topology)
    : m_topology(topology)
{
    for (int64_t micro = 0; micro < topology.microBatches; ++micro)
        m_samplers.push_back(std::make_unique<BatchSampler>(
            tokens, batchSize, seqLen, streamSeed(seed, topology.rank * topology.microBatches + micro), "training"));
}

BatchSampler::Batch DataStreams::next(int64_t micro)
{
    return m_samplers.at(static_cast<size_t>(micro))->next();
}

std::vector<std::string> DataStreams::states() const
{
    std::vector<std::string> states;
    for (const auto &sampler : m_samplers)
        states.push_back(sampler->rngState());
    return states;
}

void DataStreams::restore(const std::vector<std::string> &saved, int savedWorldSize)
{
    const auto accum = static_cast<size_t>(m_topology.microBatches);
    const auto wanted = static_cast<size_t>(m_topology.worldSize) * accum;
    const bool versionOneWithAccumulation = saved.size() == 1 && savedWorldSize == 1 && m_topology.worldSize == 1;
    if (saved.size() != wanted && !versionOneWithAccumulation) {
        const size_t savedAccum = saved.size() / static_cast<size_t>(savedWorldSize);
        throw Error("This run was trained with " + std::to_string(savedWorldSize) + " process(es) x " +
                        "grad_accum_steps " + std::to_string(savedAccum) + " = " + std::to_string(saved.size()) +
                        " batches per step; resuming with " + std::to_string(m_topology.worldSize) + " x " +
                        std::to_string(accum) + " = " + std::to_string(wanted) +
                        " would change the batch size and which batches follow.",
                    "Resume with processes x training.grad_accum_steps = " + std::to_string(saved.size()) +
                        " (e.g. --nproc-per-node " + std::to_string(savedWorldSize) +
                        ", or --set training.grad_accum_steps=" + std::to_string(saved.size()) + " in one process).");
    }
    // A version-1 state had one sampler for all micro-batches: stream 0 continues it, the others start.
    for (size_t micro = 0; micro < accum; ++micro) {
        const size_t stream = static_cast<size_t>(m_topology.rank) * accum + micro;
        if (stream < saved.size())
            m_samplers[micro]->setRngState(saved[stream]);
    }
}

RankStates gatherRankStates(ProcessGroup *group, const std::vector<std::string> &myStreams)
{
    RankStates states;
    if (!group) {
        states.streams = myStreams;
        return states;
    }
    const auto streams = group->allGather(nlohmann::json(myStreams).dump());
    const auto rngs = group->allGather(cpuRngStateHex());
    for (const auto &text : streams)
        for (const auto &one : nlohmann::json::parse(text))
            states.streams.push_back(one.get<std::string>());
    states.cpuRngs.assign(rngs.begin() + 1, rngs.end());
    return states;
}

void requireSameSetup(ProcessGroup &group, const std::string &mine)
{
    const auto all = group.allGather(mine);
    for (int r = 1; r < static_cast<int>(all.size()); ++r) {
        if (all[r] == all[0])
            continue;
        std::string detail = "its tokenizer or training text";
        try {
            const Config first = parseConfig(all[0], "rank 0"), other = parseConfig(all[r], "rank " + std::to_string(r));
            for (const auto &spec : configFields())
                if (getField(first, spec) != getField(other, spec)) {
                    detail = spec.path() + " (" + formatFieldValue(getField(other, spec)) + " on rank " +
                             std::to_string(r) + ", " + formatFieldValue(getField(first, spec)) + " on rank 0)";
                    break;
                }
        } catch (const Error &) {
        }
        throw Error("Rank " + std::to_string(r) + "'s configuration differs from rank 0's: " + detail + ".",
                    "Start every worker with the same --config, --set and --data; `llmf train "
                    "--nproc-per-node N` does.");
    }
}

void restoreRankRng(int rank, int savedWorldSize, const std::vector<std::string> &savedCpuRngs)
{
    if (rank > 0 && rank < savedWorldSize)
        setCpuRngStateHex(savedCpuRngs.at(static_cast<size_t>(rank - 1)));
}

} // namespace llmf
