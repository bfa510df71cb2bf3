#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llmf {

// Where this process sits in a data-parallel group: the variables torchrun sets (RANK, LOCAL_RANK, WORLD_SIZE,
// LOCAL_WORLD_SIZE, MASTER_ADDR, MASTER_PORT, GROUP_RANK, ROLE_RANK, TORCHELASTIC_USE_AGENT_STORE,
// TORCHELASTIC_RUN_ID), so `llmf train` joins a group started by `llmf train --nproc-per-node`, by torchrun, by a
// cluster scheduler or by hand (docs/architecture-training.md, "Running on a cluster").
struct DistributedEnvironment
{
    int rank = 0;
    int localRank = 0;
    int worldSize = 1;
    int localWorldSize = 1;
    std::string masterAddr = "127.0.0.1";
    int masterPort = 0;
    int groupRank = 0; // GROUP_RANK: the node (torchrun's agent) this worker belongs to, for messages
    // TORCHELASTIC_USE_AGENT_STORE=True: torchrun's agent already hosts the c10d store at MASTER_ADDR:MASTER_PORT,
    // so every rank, rank 0 included, connects to it as a client. Otherwise rank 0 hosts it.
    bool agentStore = false;
    // TORCHELASTIC_RUN_ID (torchrun's default "none"): every key this group writes into the store starts with
    // "llmf/<runId>/", so a restarted or concurrent job sharing the store never reads another one's keys.
    std::string runId = "none";
    // How long a rank waits for the others to join, and later for a peer in a collective, before it gives up naming
    // what it waited for: $LLMF_RENDEZVOUS_TIMEOUT_S (`llmf train --rendezvous-timeout`), default 60 s. A later
    // wait uses $LLMF_DIST_TIMEOUT_S instead when that is set (the app's Pause stops workers for longer).
    int rendezvousTimeoutSeconds = 60;

    // The group the environment describes, or nullopt when WORLD_SIZE is unset (a single process). llmf::Error
    // naming the variable when one is malformed or missing (RANK without MASTER_PORT, RANK >= WORLD_SIZE, …).
    static std::optional<DistributedEnvironment> fromEnvironment();
    // Intra-op threads for this worker: $LLMF_NUM_THREADS, else the cores shared evenly by the local workers.
    int threadsPerWorker(int cores) const;
};

class ProcessGroup; // processgroup.h: the c10d group itself (it needs LibTorch's headers; this file does not)

// Joins the group `env` describes, for training on `device` ("auto", "cpu", "cuda:0"): rank 0 hosts the
// rendezvous store. llmf::Error with one clear sentence when that fails (port in use, master unreachable, …).
std::shared_ptr<ProcessGroup> joinProcessGroup(const DistributedEnvironment &env, const std::string &device);

// What `llmf train --nproc-per-node N [--nnodes M --node-rank K --master-addr HOST --master-port P]` asks for.
struct LaunchOptions
{
    int nprocPerNode = 1;
    int nnodes = 1;
    int nodeRank = 0;
    std::string masterAddr = "127.0.0.1";
    int masterPort = 0;        // 0: a free port on 127.0.0.1 (one node only)
    int stopGraceSeconds = 10; // after a failure, how long the other workers get to exit before SIGKILL
    // Empty: the workers print to this process's terminal. Otherwise each worker's stdout and stderr go to
    // <logDirectory>/rank-R.log (the desktop app shows the failed rank's error line from there).
    std::string logDirectory;
    // "NAME=value" entries added to the workers' environment (after this process's own and the torchrun variables).
    std::vector<std::string> extraEnvironment;
};

struct LaunchResult
{
    int exitCode = 0;    // 0 when every worker exited with 0
    int failedRank = -1; // the first worker that failed
    std::string message; // "rank 1 (pid 4242) was killed by signal 9 (Killed)"
};

// Starts options.nprocPerNode copies of `program arguments…` with the torchrun variables set, and waits for them
// (what torchrun does). When a worker fails (non-zero exit, killed), the others get SIGTERM and, after
// stopGraceSeconds, SIGKILL: nothing hangs on a dead peer, and every worker is reaped before this returns.
// When *interrupt becomes true, the workers get SIGTERM once (they agree on a step, save and exit).
LaunchResult launchWorkers(const LaunchOptions &options, const std::string &program,
                           const std::vector<std::string> &arguments, const std::atomic_bool *interrupt = nullptr,
                           const std::function<void(int rank, int pid)> &onStarted = {});

// A TCP port on `host` that nobody listens on right now (bind to port 0 and read it back).
int findFreePort(const std::string &host = "127.0.0.1");

// This executable's path (/proc/self/exe), to start workers of the same build.
std::string currentExecutable();

} // namespace llmf
