#pragma once

#include "llmf/data/tokendataset.h"
#include "llmf/train/objective.h"

#include <memory>
#include <string>
#include <vector>

namespace llmf {

class ProcessGroup;

// Data streams: every micro-batch of a global step has its own sampler, numbered rank × grad_accum_steps +
// micro-batch. Stream 0 is seeded with training.seed (so a single process without accumulation draws what it
// always drew), stream s with a seed derived from it. Two processes with grad_accum_steps 1 therefore see exactly
// the batches one process with grad_accum_steps 2 sees, and a run may resume with another process count as long
// as processes × grad_accum_steps stays the same.
uint64_t streamSeed(int64_t seed, int64_t stream);

// This rank's streams over one token split: BatchSamplers of (batch, seqLen) windows, one per micro-batch.
class DataStreams
{
public:
    DataStreams(const torch::Tensor &tokens, int64_t batchSize, int64_t seqLen, int64_t seed,
                const TrainingTopology &topology);

    BatchSampler::Batch next(int64_t micro);
    std::vector<std::string> states() const;
    // Every rank's saved streams (rank order), written by `savedWorldSize` processes: this rank's continue. A
    // version-1 state (one stream for all micro-batches) continues in stream 0. llmf::Error, saying how to resume,
    // when processes × grad_accum_steps differs from the run's.
    void restore(const std::vector<std::string> &saved, int savedWorldSize);

private:
    TrainingTopology m_topology;
    std::vector<std::unique_ptr<BatchSampler>> m_samplers;
};

// What rank 0 writes of every rank at a checkpoint, so that a resume continues bit for bit.
struct RankStates
{
    std::vector<std::string> streams; // every rank's data streams, rank 0's first
    std::vector<std::string> cpuRngs; // the dropout RNG of ranks 1, 2, … (rank 0's is in optimizer.safetensors)
};
// Collective over `group` (null: this process alone): every rank passes its own streams; all get everyone's.
RankStates gatherRankStates(ProcessGroup *group, const std::vector<std::string> &myStreams);
// Every rank must train the same model on the same data. `mine` is this rank's full config YAML followed by what
// else must agree (the objective's setupFingerprint()); compared at rendezvous, by key, so a rank started with
// another --set or another corpus stops at once with llmf::Error naming the key that differs.
void requireSameSetup(ProcessGroup &group, const std::string &mine);
// After a resume: this rank's dropout RNG from the saved states when the process count is unchanged; otherwise
// the new ranks keep the seeds they started from (with dropout 0, as in every preset, nothing changes).
void restoreRankRng(int rank, int savedWorldSize, const std::vector<std::string> &savedCpuRngs);

} // namespace llmf
