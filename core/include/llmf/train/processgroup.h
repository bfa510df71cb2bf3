#pragma once

#include "llmf/train/distributed.h"

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace llmf {

// A c10d process group and its TCPStore: PyTorch's own distributed engine, the one DDP runs on. Gloo carries CPU
// tensors; NCCL carries CUDA tensors when LibTorch was built with it (the `cuda` preset), Gloo otherwise.
// Rank 0 hosts the store on MASTER_ADDR:MASTER_PORT, or, under torchrun with TORCHELASTIC_USE_AGENT_STORE=True,
// every rank connects to the agent's; keys go under "llmf/<TORCHELASTIC_RUN_ID>/". Every collective below must be
// called by all ranks in the same order. Errors (a port in use, an unreachable master, a rank that never joined, a
// store that closed, a peer that died, a timeout) are llmf::Error with one clear sentence; joining is bounded by
// the rendezvous timeout (60 s by default), every later wait by $LLMF_DIST_TIMEOUT_S or, unset, the same timeout.
class ProcessGroup
{
public:
    ProcessGroup(const DistributedEnvironment &env, const torch::Device &device);
    ~ProcessGroup();
    ProcessGroup(const ProcessGroup &) = delete;
    ProcessGroup &operator=(const ProcessGroup &) = delete;

    int rank() const;
    int size() const;
    // Where tensors given to the collectives must be: the CPU for Gloo, the training device for NCCL.
    torch::Device device() const;

    // Every rank contributes `value`; all get every rank's value, in rank order. Through the store: for small
    // things (config text, sampler states), not tensors.
    std::vector<std::string> allGather(const std::string &value);
    // Copies rank 0's tensors into everyone's, in place.
    void broadcast(const std::vector<torch::Tensor> &tensors);
    // Sums `tensor` over the ranks, in place.
    void allReduceSum(torch::Tensor &tensor);
    // Replaces each parameter's gradient by its mean over the ranks: gradients are flattened into buckets of
    // about 25 MB (DDP's default) whose all-reduces are all started before the first is waited for.
    void averageGradients(const std::vector<torch::Tensor> &parameters);
    // True on every rank when any rank passes true: how the ranks agree to stop at the same step.
    bool anyTrue(bool mine);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace llmf
