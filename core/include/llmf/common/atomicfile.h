#pragma once

#include <string>
#include <string_view>

namespace llmf {

// Writes `bytes` to `path` so that readers see either the old file or the complete new one, never a torn
// write: the data goes to a temporary file in the same directory, is fsync'ed, then renamed over `path`.
// Throws llmf::Error (naming the path and the OS reason) when any step fails; the old file is untouched then.
void writeFileAtomically(const std::string &path, std::string_view bytes);

// Reads a whole file; throws llmf::Error naming the path when it cannot be opened or read.
std::string readFile(const std::string &path);

} // namespace llmf
