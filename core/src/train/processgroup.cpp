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

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <cstdlib>

namespace llmf {

namespace {

// How long a collective waits for a peer: $LLMF_DIST_TIMEOUT_S, else the rendezvous timeout.
std::chrono::milliseconds collectiveTimeout(const DistributedEnvironment &env)
{
    if (const char *text = std::getenv("LLMF_DIST_TIMEOUT_S"); text && std::atoi(text) > 0)
        return std::chrono::seconds(std::atoi(text));
    return std::chrono::seconds(env.rendezvousTimeoutSeconds);
}

// A store client whose server went away reports it as a socket error; say what it means.
bool storeClosed(const std::string &what)
{
    for (const char *sign : {"Connection reset", "Broken pipe", "closed", "Connection refused", "ECONNRESET", "EPIPE"})
        if (what.find(sign) != std::string::npos)
            return true;
    return false;
}

bool contains(const std::string &text, const char *part)
{
    return text.find(part) != std::string::npos;
}

// This machine's address on the route to `host` (IPv4): a UDP socket "connected" there sends nothing, but the kernel
// picks the source address it would use. Empty when there is no route or `host` is not an IPv4 address.
std::string localAddressTowards(const std::string &host)
{
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(9);
    if (inet_pton(AF_INET, host.c_str(), &remote.sin_addr) != 1)
        return {};
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0)
        return {};
    sockaddr_in local{};
    socklen_t length = sizeof local;
    char text[INET_ADDRSTRLEN] = {};
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&remote), sizeof remote) == 0 &&
                    getsockname(fd, reinterpret_cast<sockaddr *>(&local), &length) == 0 &&
                    inet_ntop(AF_INET, &local.sin_addr, text, sizeof text) != nullptr;
    ::close(fd);
    return ok ? std::string(text) : std::string();
}

// Gloo talks over loopback when the whole group is on this machine; otherwise over $GLOO_SOCKET_IFNAME (as in
// PyTorch), else the address this machine reaches the master from (what the other machines can reach it at, unlike
// the host name, which often resolves to 127.0.1.1), else the host name's address.
std::shared_ptr<::gloo::transport::Device> glooDevice(const std::string &masterAddr)
{
    if (const char *interface = std::getenv("GLOO_SOCKET_IFNAME"); interface && *interface)
        return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
    if (masterAddr.rfind("127.", 0) == 0 || masterAddr == "localhost")
        return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    if (const std::string local = localAddressTowards(masterAddr); !local.empty())
        return c10d::ProcessGroupGloo::createDeviceForHostname(local);
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

} // namespace

struct ProcessGroup::Impl
{
    DistributedEnvironment env;
    torch::Device device{torch::kCPU}; // where small collective tensors (flags, statistics) live
    std::chrono::milliseconds timeout{0};
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroup> group;
    int64_t sequence = 0; // numbers the store-based gathers, which every rank calls in the same order

    std::string where() const { return env.masterAddr + ":" + std::to_string(env.masterPort); }
    std::string me() const { return "Rank " + std::to_string(env.rank) + " of " + std::to_string(env.worldSize); }
    // Every key of this group: a job restarted or running beside it in the same store (torchrun's agent keeps one
    // store for the job's life) has another run id, so it never reads these.
    std::string key(const std::string &name) const { return "llmf/" + env.runId + "/" + name; }

    void connect()
    {
        const auto rendezvous = std::chrono::seconds(env.rendezvousTimeoutSeconds);
        c10d::TCPStoreOptions options;
        options.port = static_cast<std::uint16_t>(env.masterPort);
        options.isServer = env.rank == 0 && !env.agentStore;
        options.numWorkers = static_cast<size_t>(env.worldSize);
        options.waitWorkers = false; // joinBarrier() below names who is missing
        options.timeout = rendezvous;
        const auto seconds = std::to_string(env.rendezvousTimeoutSeconds);
        try {
            store = c10::make_intrusive<c10d::TCPStore>(env.masterAddr, options);
        } catch (const std::exception &e) {
            const std::string what = e.what();
            if (options.isServer && (contains(what, "in use") || contains(what, "EADDRINUSE")))
                throw Error("Port " + std::to_string(env.masterPort) + " on " + env.masterAddr +
                                " is in use: rank 0 cannot host the rendezvous there.",
                            "Pick another --master-port, or leave it out on one machine for a free one. Under "
                            "torchrun, whose agent hosts the store, set TORCHELASTIC_USE_AGENT_STORE=True.");
            if (env.agentStore)
                throw Error(me() + " could not reach the agent's store at " + where() + " within " + seconds + " s.",
                            "TORCHELASTIC_USE_AGENT_STORE=True says torchrun's agent hosts it: is the agent running?");
            throw Error("Rank " + std::to_string(env.rank) + " could not reach the master at " + where() + " within " +
                            seconds + " s.",
                        "Is rank 0 running there, is --master-addr its address and the port open in its firewall?");
        }
        joinBarrier(rendezvous);
        try {
            auto prefixed = c10::make_intrusive<c10d::PrefixStore>(key("pg"), store);
            auto options = c10d::ProcessGroupGloo::Options::create(timeout);
            options->devices.push_back(glooDevice(env.masterAddr));
            group = c10::make_intrusive<c10d::ProcessGroupGloo>(prefixed, env.rank, env.worldSize, options);
        } catch (const std::exception &e) {
            throw Error("Rank " + std::to_string(env.rank) +
                        " could not set up Gloo with the other workers: " + describeException(e));
        }
    }

    // Every rank says it is here, then waits, bounded, for the others: one that never comes is named.
    void joinBarrier(std::chrono::seconds limit)
    {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        std::vector<int> missing;
        try {
            store->set(key("joined/" + std::to_string(env.rank)), std::vector<uint8_t>{1});
            do {
                missing.clear();
                for (int r = 0; r < env.worldSize; ++r)
                    if (!store->check({key("joined/" + std::to_string(r))}))
                        missing.push_back(r);
                if (missing.empty())
                    return;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            } while (std::chrono::steady_clock::now() < deadline);
        } catch (const std::exception &e) {
            throw Error(me() + ": the store at " + where() + " closed while the workers were joining (" +
                            describeException(e) + ").",
                        env.agentStore ? "torchrun's agent went away; it names the reason in its own log."
                                       : "Rank 0, which hosts it, stopped; its log says why.");
        }
        std::string names;
        for (int r : missing)
            names += (names.empty() ? "" : ", ") + std::to_string(r);
        throw Error("rank " + names + " of " + std::to_string(env.worldSize) + " never joined: rank " +
                        std::to_string(env.rank) + " waited " + std::to_string(limit.count()) + " s at " + where() +
                        ".",
                    "Start every worker with the same MASTER_ADDR, MASTER_PORT and WORLD_SIZE; --rendezvous-timeout "
                    "(or $LLMF_RENDEZVOUS_TIMEOUT_S) sets the wait.");
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
    d->timeout = collectiveTimeout(env);
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
        auto prefixed = c10::make_intrusive<c10d::PrefixStore>(d->key("nccl"), d->store);
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
    const std::string prefix = d->key("gather/" + std::to_string(d->sequence++) + "/");
    std::vector<std::string> values;
    try {
        d->store->set(prefix + std::to_string(rank()), std::vector<uint8_t>(value.begin(), value.end()));
        for (int r = 0; r < size(); ++r) {
            const auto bytes = d->store->get(prefix + std::to_string(r));
            values.emplace_back(bytes.begin(), bytes.end());
        }
    } catch (const std::exception &e) {
        const std::string what = describeException(e);
        throw Error(d->me() + (storeClosed(what) ? ": the store at " + d->where() + " closed (" + what + ")."
                                                 : " lost the rendezvous store at " + d->where() + ": " + what),
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
