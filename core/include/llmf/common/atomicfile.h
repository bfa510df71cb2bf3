#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace llmf {

// Writes `bytes` to `path` so that readers see either the old file or the complete new one, never a torn
// write: the data goes to a temporary file in the same directory, is fsync'ed, then renamed over `path`.
// Throws llmf::Error (naming the path and the OS reason) when any step fails; the old file is untouched then.
void writeFileAtomically(const std::string &path, std::string_view bytes);

// The two halves of writeFileAtomically(), for saving several files as one unit (a checkpoint): write and fsync
// every file first, and rename them only once all of them are on disk. A PendingWrite that is not committed
// removes its temporary file.
class PendingWrite
{
public:
    PendingWrite(std::string path, std::string_view bytes); // throws llmf::Error; nothing is left behind then
    ~PendingWrite();
    PendingWrite(PendingWrite &&other) noexcept;
    PendingWrite(const PendingWrite &) = delete;
    PendingWrite &operator=(const PendingWrite &) = delete;
    PendingWrite &operator=(PendingWrite &&) = delete;

    void commit(); // rename over the target; throws llmf::Error

private:
    std::string m_path;
    std::string m_temporary;
};

// Reads a whole file; throws llmf::Error naming the path when it cannot be opened or read.
std::string readFile(const std::string &path);

// Test seam: when set, a write whose target path makes `fails` return true fails as if the disk were full.
void setWriteFaultForTesting(std::function<bool(const std::string &path)> fails);

} // namespace llmf
