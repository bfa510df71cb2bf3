#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

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
    const std::string &path() const { return m_path; }
    const std::string &temporary() const { return m_temporary; } // empty once committed

private:
    friend void commitTogether(std::vector<PendingWrite> &files, const std::string &journalPath);

    std::string m_path;
    std::string m_temporary;
};

// Commits several PendingWrites as one unit that survives being killed between two renames (a checkpoint's three
// files): a journal naming each temporary is written, atomically, before the first rename and removed after the
// last, and recoverCommit() finishes an interrupted commit (every temporary was complete before the journal was
// written). All files must be in the journal's folder. Throws llmf::Error; then journal and temporaries stay for
// recoverCommit().
void commitTogether(std::vector<PendingWrite> &files, const std::string &journalPath);
// Rolls forward the commit `journalPath` records, if any: returns how many files it put in place. Call it only
// while no other process writes the folder (the run's RunLock).
int recoverCommit(const std::string &journalPath);

// Reads a whole file; throws llmf::Error naming the path when it cannot be opened or read.
std::string readFile(const std::string &path);

// Test seam: when set, a write whose target path makes `fails` return true fails as if the disk were full.
void setWriteFaultForTesting(std::function<bool(const std::string &path)> fails);

} // namespace llmf
