#include "llmf/bench/backgroundload.h"

#include "llmf/common/error.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <sys/wait.h>
#include <unistd.h>

namespace llmf {

namespace {

double monotonicSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

// The child of a multi-threaded parent may only call async-signal-safe functions: a loop on clock_gettime and
// _exit qualifies (no malloc, no locks, no OpenMP).
[[noreturn]] void spinUntil(double deadline)
{
    volatile unsigned long counter = 0;
    while (monotonicSeconds() < deadline)
        for (int i = 0; i < 100000; ++i)
            counter = counter + 1;
    _exit(0);
}

} // namespace

BackgroundLoad::BackgroundLoad(int processes, double maxSeconds)
{
    const double deadline = monotonicSeconds() + maxSeconds;
    for (int i = 0; i < processes; ++i) {
        const pid_t pid = fork();
        if (pid < 0) {
            const std::string why = std::strerror(errno);
            stop();
            throw Error("Could not start a background load process: " + why + ".");
        }
        if (pid == 0)
            spinUntil(deadline);
        m_children.push_back(pid);
    }
}

BackgroundLoad::~BackgroundLoad()
{
    stop();
}

void BackgroundLoad::stop()
{
    for (const pid_t pid : m_children)
        kill(pid, SIGKILL);
    for (const pid_t pid : m_children) {
        // SIGKILL cannot be caught, so each child is gone within a scheduler tick; poll for at most ~1 s each.
        for (int attempt = 0; attempt < 100; ++attempt) {
            const pid_t done = waitpid(pid, nullptr, WNOHANG);
            if (done == pid || done < 0)
                break;
            usleep(10000);
        }
    }
    m_children.clear();
}

} // namespace llmf
