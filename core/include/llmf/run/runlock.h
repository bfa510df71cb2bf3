#pragma once

#include <string>

namespace llmf {

// An exclusive claim on a run directory for as long as one training writes to it: a second `llmf train` (or the
// app's Training page) on the same directory is refused, naming the process that holds it, instead of two trainers
// interleaving checkpoints and metrics. It is an flock() on `<run>/train.lock`, so the kernel releases it when the
// process ends however it ends (kill -9 included): a stale lock file never blocks a resume. The file stays (it holds
// the last holder's PID) and is not a temporary.
class RunLock
{
public:
    // Throws llmf::Error when another process holds the lock (with its PID and start time) or the directory cannot
    // be written (read-only file system, permissions: the OS reason).
    explicit RunLock(const std::string &runDir);
    ~RunLock();
    RunLock(const RunLock &) = delete;
    RunLock &operator=(const RunLock &) = delete;

    static std::string pathIn(const std::string &runDir);

private:
    int m_fd = -1;
};

} // namespace llmf
