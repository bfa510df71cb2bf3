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

} // namespace

void writeFileAtomically(const std::string &path, std::string_view bytes)
{
    std::string tmpl = path + ".tmp-XXXXXX";
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
        throw Error("Cannot create a temporary file next to '" + path + "': " + osReason() + ".",
                    "Check that the folder exists and is writable.");
    // mkstemp creates 0600; a saved config or checkpoint should get the usual permissions.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);

    const char *data = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const std::string reason = osReason();
            ::close(fd);
            ::unlink(tmpl.c_str());
            throw Error("Writing '" + path + "' failed: " + reason + ". The previous file was kept.",
                        "Free some disk space or choose another folder.");
        }
        data += n;
        left -= static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const std::string reason = osReason();
        ::unlink(tmpl.c_str());
        throw Error("Writing '" + path + "' failed: " + reason + ". The previous file was kept.");
    }
    if (::rename(tmpl.c_str(), path.c_str()) != 0) {
        const std::string reason = osReason();
        ::unlink(tmpl.c_str());
        throw Error("Cannot replace '" + path + "': " + reason + ". The previous file was kept.");
    }
    // Make the rename itself durable.
    const int dirFd = ::open(directoryOf(path).c_str(), O_RDONLY | O_DIRECTORY);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
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

} // namespace llmf
