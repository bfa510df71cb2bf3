#pragma once

// Busy processes beside a benchmark: what a browser tab or a compiler does to a learner's laptop. Each child spins
// on the CPU and exits by itself after `maxSeconds`, so a crashed benchmark cannot leave them behind; the
// destructor stops and reaps them sooner.

#include <sys/types.h>

#include <vector>

namespace llmf {

class BackgroundLoad
{
public:
    // Starts `processes` busy loops (0 starts none). Throws llmf::Error when fork() fails.
    BackgroundLoad(int processes, double maxSeconds);
    ~BackgroundLoad();
    BackgroundLoad(const BackgroundLoad &) = delete;
    BackgroundLoad &operator=(const BackgroundLoad &) = delete;

    int processes() const { return static_cast<int>(m_children.size()); }
    // Kills and reaps every child (also done by the destructor); waits at most ~1 s.
    void stop();

private:
    std::vector<pid_t> m_children;
};

} // namespace llmf
