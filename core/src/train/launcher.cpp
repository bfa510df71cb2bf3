// The torchrun of LLM Foundry: fork/exec of the workers, with the rendezvous variables, and a supervisor loop
// that never waits on a dead worker.
#include "llmf/train/distributed.h"

#include "llmf/common/error.h"

#include <algorithm>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <thread>

extern char **environ;

namespace llmf {

namespace {

using Clock = std::chrono::steady_clock;

struct Worker
{
    int rank = 0;
    pid_t pid = -1;
    bool running = true;
    int status = 0;
};

std::string describeStatus(const Worker &w)
{
    const std::string who = "rank " + std::to_string(w.rank) + " (pid " + std::to_string(w.pid) + ")";
    if (WIFSIGNALED(w.status))
        return who + " was killed by signal " + std::to_string(WTERMSIG(w.status)) + " (" +
               strsignal(WTERMSIG(w.status)) + ")";
    return who + " exited with code " + std::to_string(WEXITSTATUS(w.status));
}

bool failed(const Worker &w)
{
    return !w.running && !(WIFEXITED(w.status) && WEXITSTATUS(w.status) == 0);
}

// The worker to blame: one that was killed (kill -9, the OOM killer) before one that exited with an error, which
// is usually a peer that lost its connection to the killed one; then the lowest rank.
const Worker *firstFailure(const std::vector<Worker> &workers)
{
    const Worker *found = nullptr;
    for (const auto &w : workers)
        if (failed(w) && (!found || (WIFSIGNALED(w.status) && !WIFSIGNALED(found->status))))
            found = &w;
    return found;
}

// Reaps whatever has exited; returns true while some worker still runs.
bool reap(std::vector<Worker> &workers)
{
    bool anyRunning = false;
    for (auto &w : workers) {
        if (!w.running)
            continue;
        int status = 0;
        const pid_t done = waitpid(w.pid, &status, WNOHANG);
        if (done == w.pid) {
            w.running = false;
            w.status = status;
        } else {
            anyRunning = true;
        }
    }
    return anyRunning;
}

void signalAll(std::vector<Worker> &workers, int sig)
{
    for (const auto &w : workers)
        if (w.running)
            kill(w.pid, sig);
}

// Waits up to `seconds` for every worker to exit, then kills the rest and reaps them (bounded either way).
void stopAll(std::vector<Worker> &workers, int seconds)
{
    signalAll(workers, SIGTERM);
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (reap(workers) && Clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    signalAll(workers, SIGKILL);
    for (auto &w : workers)
        if (w.running && waitpid(w.pid, &w.status, 0) == w.pid)
            w.running = false;
}

std::vector<std::string> workerEnvironment(const LaunchOptions &o, int localRank, int port)
{
    std::vector<std::string> env;
    for (char **e = environ; *e; ++e) {
        const std::string entry = *e;
        const std::string name = entry.substr(0, entry.find('='));
        if (name != "RANK" && name != "LOCAL_RANK" && name != "WORLD_SIZE" && name != "LOCAL_WORLD_SIZE" &&
            name != "MASTER_ADDR" && name != "MASTER_PORT" && name != "GROUP_RANK")
            env.push_back(entry);
    }
    env.push_back("RANK=" + std::to_string(o.nodeRank * o.nprocPerNode + localRank));
    env.push_back("LOCAL_RANK=" + std::to_string(localRank));
    env.push_back("WORLD_SIZE=" + std::to_string(o.nnodes * o.nprocPerNode));
    env.push_back("LOCAL_WORLD_SIZE=" + std::to_string(o.nprocPerNode));
    env.push_back("GROUP_RANK=" + std::to_string(o.nodeRank));
    env.push_back("MASTER_ADDR=" + o.masterAddr);
    env.push_back("MASTER_PORT=" + std::to_string(port));
    for (const auto &extra : o.extraEnvironment) {
        const std::string name = extra.substr(0, extra.find('=') + 1);
        env.erase(std::remove_if(env.begin(), env.end(),
                                 [&](const std::string &e) { return e.compare(0, name.size(), name) == 0; }),
                  env.end());
        env.push_back(extra);
    }
    return env;
}

pid_t spawn(const std::string &program, const std::vector<std::string> &arguments, const std::vector<std::string> &env,
            const std::string &logFile)
{
    // Everything exec needs is built before fork: the child only calls async-signal-safe functions.
    std::vector<char *> argv{const_cast<char *>(program.c_str())};
    for (const auto &a : arguments)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char *> envp;
    for (const auto &e : env)
        envp.push_back(const_cast<char *>(e.c_str()));
    envp.push_back(nullptr);
    const pid_t pid = fork();
    if (pid == 0) {
        // A launcher that dies (the app crashed, kill -9) takes its workers with it instead of orphaning them.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (!logFile.empty()) {
            const int fd = open(logFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd < 0)
                _exit(126);
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        }
        execve(program.c_str(), argv.data(), envp.data());
        _exit(127);
    }
    return pid;
}

} // namespace

int findFreePort(const std::string &host)
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        throw Error(std::string("Cannot open a socket to find a free port: ") + std::strerror(errno) + ".");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = 0;
    if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1)
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    const bool ok = bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
                    getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0;
    close(fd);
    if (!ok)
        throw Error("Cannot find a free TCP port on " + host + ".", "Pass one with --master-port.");
    return ntohs(address.sin_port);
}

std::string currentExecutable()
{
    char buffer[4096];
    const ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
    if (n <= 0)
        throw Error("Cannot find this program's own path (/proc/self/exe) to start the workers.");
    return std::string(buffer, static_cast<size_t>(n));
}

LaunchResult launchWorkers(const LaunchOptions &options, const std::string &program,
                           const std::vector<std::string> &arguments, const std::atomic_bool *interrupt,
                           const std::function<void(int rank, int pid)> &onStarted)
{
    if (options.nprocPerNode < 1 || options.nnodes < 1 || options.nodeRank < 0 || options.nodeRank >= options.nnodes)
        throw Error("--nproc-per-node and --nnodes must be at least 1, and --node-rank below --nnodes.");
    if (options.nnodes > 1 && options.masterPort == 0)
        throw Error("Training on " + std::to_string(options.nnodes) +
                    " machines needs --master-port (and "
                    "--master-addr, the address of the machine with --node-rank 0).");
    const int port = options.masterPort > 0 ? options.masterPort : findFreePort(options.masterAddr);

    std::vector<Worker> workers;
    for (int local = 0; local < options.nprocPerNode; ++local) {
        Worker w;
        w.rank = options.nodeRank * options.nprocPerNode + local;
        const std::string logFile = options.logDirectory.empty()
                                        ? std::string()
                                        : options.logDirectory + "/rank-" + std::to_string(w.rank) + ".log";
        w.pid = spawn(program, arguments, workerEnvironment(options, local, port), logFile);
        if (w.pid < 0) {
            stopAll(workers, options.stopGraceSeconds);
            throw Error(std::string("Cannot start a worker process: ") + std::strerror(errno) + ".");
        }
        workers.push_back(w);
        if (onStarted)
            onStarted(w.rank, w.pid);
    }

    LaunchResult result;
    bool interrupted = false;
    const Worker *failure = nullptr;
    while (reap(workers) && !(failure = firstFailure(workers))) {
        if (interrupt && interrupt->load() && !interrupted) {
            interrupted = true; // the workers agree on a step, save a checkpoint and exit
            signalAll(workers, SIGTERM);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!failure)
        failure = firstFailure(workers);
    Worker blamed = failure ? *failure : Worker{}; // copied before stopAll() changes the others' status
    stopAll(workers, options.stopGraceSeconds);
    if (failure) {
        result.failedRank = blamed.rank;
        result.message = describeStatus(blamed);
    }
    result.exitCode = result.failedRank >= 0 ? 1 : 0;
    return result;
}

} // namespace llmf
