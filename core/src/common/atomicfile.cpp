#include "llmf/common/atomicfile.h"

#include "llmf/common/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace llmf {

namespace {

std::function<bool(const std::string &)> &writeFault()
{
    static std::function<bool(const std::string &)> fault;
    return fault;
}

std::string osReason()
{
    return std::strerror(errno);
}

std::string directoryOf(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

[[noreturn]] void failWrite(const std::string &path, const std::string &reason)
{
    throw Error("Writing '" + path + "' failed: " + reason + ". The previous file was kept.",
                "Free some disk space or choose another folder.");
}

} // namespace

PendingWrite::PendingWrite(std::string path, std::string_view bytes) : m_path(std::move(path))
{
    std::string tmpl = m_path + ".tmp-XXXXXX";
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
        throw Error("Cannot create a temporary file next to '" + m_path + "': " + osReason() + ".",
                    "Check that the folder exists and is writable.");
    // mkstemp creates 0600; a saved config or checkpoint should get the usual permissions.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);

    const auto abandon = [&](const std::string &reason) {
        ::close(fd);
        ::unlink(tmpl.c_str());
        failWrite(m_path, reason);
    };
    const char *data = bytes.data();
    size_t left = bytes.size();
    if (writeFault() && writeFault()(m_path))
        abandon(std::strerror(ENOSPC));
    while (left > 0) {
        const ssize_t n = ::write(fd, data, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            abandon(osReason());
        }
        data += n;
        left -= static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0)
        abandon(osReason());
    if (::close(fd) != 0) {
        const std::string reason = osReason();
        ::unlink(tmpl.c_str());
        failWrite(m_path, reason);
    }
    m_temporary = tmpl;
}

PendingWrite::PendingWrite(PendingWrite &&other) noexcept
    : m_path(std::move(other.m_path)), m_temporary(std::move(other.m_temporary))
{
    other.m_temporary.clear();
}

PendingWrite::~PendingWrite()
{
    if (!m_temporary.empty())
        ::unlink(m_temporary.c_str());
}

void PendingWrite::commit()
{
    if (m_temporary.empty())
        return;
    if (::rename(m_temporary.c_str(), m_path.c_str()) != 0) {
        const std::string reason = osReason();
        ::unlink(m_temporary.c_str());
        m_temporary.clear();
        throw Error("Cannot replace '" + m_path + "': " + reason + ". The previous file was kept.");
    }
    m_temporary.clear();
    // Make the rename itself durable.
    const int dirFd = ::open(directoryOf(m_path).c_str(), O_RDONLY | O_DIRECTORY);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
}

namespace {

std::string baseName(const std::string &path)
{
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

void syncDirectory(const std::string &path)
{
    const int dirFd = ::open(directoryOf(path).c_str(), O_RDONLY | O_DIRECTORY);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
}

} // namespace

void commitTogether(std::vector<PendingWrite> &files, const std::string &journalPath)
{
    // One line per file, "target<TAB>temporary", names relative to the folder (the run may be moved before it is
    // recovered).
    std::string journal;
    for (const PendingWrite &file : files)
        if (!file.m_temporary.empty())
            journal += baseName(file.m_path) + "\t" + baseName(file.m_temporary) + "\n";
    writeFileAtomically(journalPath, journal);
    for (PendingWrite &file : files) {
        if (file.m_temporary.empty())
            continue;
        if (::rename(file.m_temporary.c_str(), file.m_path.c_str()) != 0) {
            const std::string reason = osReason();
            for (PendingWrite &other : files) // recoverCommit() still needs them
                other.m_temporary.clear();
            throw Error("Cannot replace '" + file.m_path + "': " + reason + ".",
                        "The next training on this run finishes the save (" + journalPath + ").");
        }
        file.m_temporary.clear();
    }
    syncDirectory(journalPath);
    ::unlink(journalPath.c_str());
}

int recoverCommit(const std::string &journalPath)
{
    std::ifstream in(journalPath);
    if (!in)
        return 0;
    const std::string folder = directoryOf(journalPath);
    int moved = 0;
    std::string line;
    while (std::getline(in, line)) {
        const size_t tab = line.find('\t');
        if (tab == std::string::npos || line.find('/') != std::string::npos)
            continue; // not a line commitTogether() wrote
        const std::string target = folder + "/" + line.substr(0, tab);
        const std::string temporary = folder + "/" + line.substr(tab + 1);
        if (::access(temporary.c_str(), F_OK) == 0 && ::rename(temporary.c_str(), target.c_str()) == 0)
            ++moved;
    }
    syncDirectory(journalPath);
    ::unlink(journalPath.c_str());
    return moved;
}

void writeFileAtomically(const std::string &path, std::string_view bytes)
{
    PendingWrite(path, bytes).commit();
}

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("Cannot open '" + path + "': " + osReason() + ".", "Check the path and its permissions.");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        throw Error("Reading '" + path + "' failed.");
    return buffer.str();
}

void setWriteFaultForTesting(std::function<bool(const std::string &path)> fails)
{
    writeFault() = std::move(fails);
}

} // namespace llmf
