#include "llmf/run/runlock.h"

#include "llmf/common/error.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace llmf {

std::string RunLock::pathIn(const std::string &runDir)
{
    return runDir + "/train.lock";
}

RunLock::RunLock(const std::string &runDir)
{
    const std::string path = pathIn(runDir);
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw Error("Cannot write in the run directory '" + runDir + "': " + std::strerror(errno) + ".",
                    "Train into a directory you can write to (--out), or copy the run there and resume the copy.");
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        const int why = errno;
        char holder[256] = {};
        const ssize_t n = ::pread(m_fd, holder, sizeof holder - 1, 0);
        ::close(m_fd);
        m_fd = -1;
        if (why != EWOULDBLOCK)
            throw Error("Cannot lock '" + path + "': " + std::strerror(why) + ".");
        std::string who = n > 0 ? std::string(holder, static_cast<size_t>(n)) : std::string("another process");
        while (!who.empty() && (who.back() == '\n' || who.back() == ' '))
            who.pop_back();
        throw Error("'" + runDir + "' is being trained by " + who + ".",
                    "Wait for that training to finish or stop it, or train into another directory (--out).");
    }
    // Who holds it, for the message a second trainer shows.
    char when[32] = {};
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &local);
    const std::string text = "process " + std::to_string(::getpid()) + " (PID), started " + when + "\n";
    if (::ftruncate(m_fd, 0) != 0 || ::pwrite(m_fd, text.data(), text.size(), 0) < 0) {
        // The lock is held all the same; only the message for a second trainer would lack the PID.
    }
}

RunLock::~RunLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // releases the flock
}

} // namespace llmf
