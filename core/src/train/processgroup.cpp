#include "llmf/train/processgroup.h"

#include "llmf/common/error.h"
#include "llmf/common/device.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <glog/logging.h>

#include <chrono>
#include <cstdlib>

namespace llmf {

namespace {

std::chrono::milliseconds timeoutFromEnvironment()
{
    if (const char *text = std::getenv("LLMF_DIST_TIMEOUT_S"); text && std::atoi(text) > 0)
        return std::chrono::seconds(std::atoi(text));
    return std::chrono::seconds(300);
}

bool contains(const std::string &text, const char *part)
{
    return text.find(part) != std::string::npos;
}

// Gloo talks over loopback when the whole group is on this machine; otherwise over the interface that reaches
// the other machines ($GLOO_SOCKET_IFNAME, as in PyTorch, or the one the host name resolves to).
std::shared_ptr<::gloo::transport::Device> glooDevice(const std::string &masterAddr)
{
    if (const char *interface = std::getenv("GLOO_SOCKET_IFNAME"); interface && *interface)
        return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
    if (masterAddr.rfind("127.", 0) == 0 || masterAddr == "localhost")
        return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

} // namespace

struct ProcessGroup::Impl
{
    DistributedEnvironment env;
    torch::Device device{torch::kCPU}; // where small collective tensors (flags, statistics) live
    std::chrono::milliseconds timeout = timeoutFromEnvironment();
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroup> group;
    int64_t sequence = 0; // numbers the store-based gathers, which every rank calls in the same order

    std::string where() const { return env.masterAddr + ":" + std::to_string(env.masterPort); }

    void connect()
    {
        c10d::TCPStoreOptions options;
        options.port = static_cast<std::uint16_t>(env.masterPort);
        options.isServer = env.rank == 0;
        options.numWorkers = static_cast<size_t>(env.worldSize);
        options.waitWorkers = true;
        options.timeout = timeout;
        const auto seconds = std::to_string(timeout.count() / 1000);
        try {
            store = c10::make_intrusive<c10d::TCPStore>(env.masterAddr, options);
        } catch (const std::exception &e) {
            const std::string what = e.what();
            if (env.rank == 0 && (contains(what, "in use") || contains(what, "EADDRINUSE")))
                throw Error("Port " + std::to_string(env.masterPort) + " on " + env.masterAddr +
                                " is in use: rank 0 cannot host the rendezvous there.",
                            "Pick another --master-port, or leave it out on one machine for a free one.");
            if (env.rank == 0)
                throw Error("Rank 0 waited " + seconds + " s at " + where() + " for all " +
                                std::to_string(env.worldSize) + " workers, but not all of them arrived.",
                            "Start every worker (or every machine's launcher) with the same --master-addr, "
                            "--master-port and world size; $LLMF_DIST_TIMEOUT_S sets the wait.");
            throw Error("Rank " + std::to_string(env.rank) + " could not reach the master at " + where() + " within " +
                            seconds + " s.",
                        "Is rank 0 running there, is --master-addr its address and the port open in its firewall?");
        }
        try {
            auto prefixed = c10::make_intrusive<c10d::PrefixStore>("llmf/pg", store);
            auto options = c10d::ProcessGroupGloo::Options::create(timeout);
            options->devices.push_back(glooDevice(env.masterAddr));
            group = c10::make_intrusive<c10d::ProcessGroupGloo>(prefixed, env.rank, env.worldSize, options);
        } catch (const std::exception &e) {
            throw Error("Rank " + std::to_string(env.rank) +
                        " could not set up Gloo with the other workers: " + describeException(e));
        }
    }

    void wait(const c10::intrusive_ptr<c10d::Work> &work, const char *what)
    {
        try {
            work->wait(timeout);
        } catch (const std::exception &e) {
            throw Error("Rank " + std::to_string(env.rank) + " lost the other workers during " + what + ": " +
                            describeException(e),
                        "Another worker probably stopped (killed, out of memory); the launcher names it.");
        }
    }
};

ProcessGroup::ProcessGroup(const DistributedEnvironment &env, const torch::Device &device) : d(std::make_unique<Impl>())
{
    d->env = env;
    // c10d logs each failed connection attempt and lost peer through glog, before and besides the exception we
    // turn into one clear line; PyTorch's own switch for that output is $TORCH_CPP_LOG_LEVEL.
    if (!std::getenv("TORCH_CPP_LOG_LEVEL"))
        FLAGS_minloglevel = google::GLOG_FATAL;
    d->connect();
#ifdef USE_C10D_NCCL
    d->device = device;
#endif
    (void)device; // Gloo handles CPU tensors (and CUDA ones, staged through the host) when NCCL is absent
#ifdef USE_C10D_NCCL
    if (device.is_cuda()) {
        auto prefixed = c10::make_intrusive<c10d::PrefixStore>("llmf/nccl", d->store);
        d->group = c10::make_intrusive<c10d::ProcessGroupNCCL>(prefixed, env.rank, env.worldSize);
    }
#endif
}

ProcessGroup::~ProcessGroup() = default;

int ProcessGroup::rank() const
{
    return d->env.rank;
}

torch::Device ProcessGroup::device() const
{
    return d->device;
}

int ProcessGroup::size() const
{
    return d->env.worldSize;
}

std::vector<std::string> ProcessGroup::allGather(const std::string &value)
{
    const std::string prefix = "llmf/gather/" + std::to_string(d->sequence++) + "/";
    std::vector<std::string> values;
    try {
        d->store->set(prefix + std::to_string(rank()), std::vector<uint8_t>(value.begin(), value.end()));
        for (int r = 0; r < size(); ++r) {
            const auto bytes = d->store->get(prefix + std::to_string(r));
            values.emplace_back(bytes.begin(), bytes.end());
        }
    } catch (const std::exception &e) {
        throw Error("Rank " + std::to_string(rank()) + " lost the rendezvous store at " + d->where() + ": " +
                        describeException(e),
                    "Another worker probably stopped; the launcher names it.");
    }
    return values;
}

void ProcessGroup::broadcast(const std::vector<torch::Tensor> &tensors)
{
    for (const auto &t : tensors) {
        std::vector<at::Tensor> one{t.detach()};
        d->wait(d->group->broadcast(one), "the broadcast of rank 0's weights");
    }
}

void ProcessGroup::allReduceSum(torch::Tensor &tensor)
{
    std::vector<at::Tensor> one{tensor};
    d->wait(d->group->allreduce(one), "an all-reduce");
}

void ProcessGroup::averageGradients(const std::vector<torch::Tensor> &parameters)
{
    constexpr int64_t kBucketBytes = 25 << 20;
    std::vector<torch::Tensor> grads;
    for (const auto &p : parameters) {
        if (!p.grad().defined())
            p.mutable_grad() = torch::zeros_like(p); // every rank must send the same buckets
        grads.push_back(p.grad());
    }
    struct Bucket
    {
        std::vector<size_t> members;
        std::vector<at::Tensor> flat; // one tensor, kept alive while its all-reduce runs
        c10::intrusive_ptr<c10d::Work> work;
    };
    std::vector<Bucket> buckets;
    int64_t bytes = kBucketBytes;
    for (size_t i = 0; i < grads.size(); ++i) {
        const bool fits = !buckets.empty() && bytes + grads[i].nbytes() <= kBucketBytes &&
                          grads[buckets.back().members.front()].scalar_type() == grads[i].scalar_type() &&
                          grads[buckets.back().members.front()].device() == grads[i].device();
        if (!fits) {
            buckets.emplace_back();
            bytes = 0;
        }
        buckets.back().members.push_back(i);
        bytes += static_cast<int64_t>(grads[i].nbytes());
    }
    for (auto &bucket : buckets) {
        std::vector<torch::Tensor> views;
        for (size_t i : bucket.members)
            views.push_back(grads[i].reshape({-1}));
        bucket.flat = {torch::cat(views)};
        bucket.work = d->group->allreduce(bucket.flat);
    }
    for (auto &bucket : buckets) {
        d->wait(bucket.work, "the gradient all-reduce");
        torch::Tensor flat = bucket.flat.front().div_(size());
        int64_t offset = 0;
        for (size_t i : bucket.members) {
            const int64_t n = grads[i].numel();
            grads[i].copy_(flat.narrow(0, offset, n).view_as(grads[i]));
            offset += n;
        }
    }
}

bool ProcessGroup::anyTrue(bool mine)
{
    torch::Tensor flag = torch::full({1}, mine ? 1.0f : 0.0f, torch::TensorOptions().device(d->device));
    allReduceSum(flag);
    return flag.item<float>() > 0.0f;
}

} // namespace llmf

namespace llmf {

std::shared_ptr<ProcessGroup> joinProcessGroup(const DistributedEnvironment &env, const std::string &device)
{
    return std::make_shared<ProcessGroup>(env, resolveDevice(device));
}

} // namespace llmf
