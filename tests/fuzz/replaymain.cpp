// fuzz_replay <target> <corpus directory or file>…: runs a fuzz target's harness on every checked-in input, the way
// libFuzzer would, without libFuzzer (the ordinary gcc build has none). Exit status 0 when every input passed.
#include "fuzztarget.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace llmf::fuzz {

static std::map<std::string, Target> &targets()
{
    static std::map<std::string, Target> registry;
    return registry;
}

bool registerTarget(const char *name, Target target)
{
    targets()[name] = target;
    return true;
}

} // namespace llmf::fuzz

int main(int argc, char **argv)
{
    namespace fs = std::filesystem;
    const auto &targets = llmf::fuzz::targets();
    const auto target = argc > 2 ? targets.find(argv[1]) : targets.end();
    if (target == targets.end()) {
        std::fprintf(stderr, "usage: fuzz_replay <target> <corpus dir or file>...\ntargets:");
        for (const auto &entry : targets)
            std::fprintf(stderr, " %s", entry.first.c_str());
        std::fprintf(stderr, "\n");
        return 2;
    }
    std::vector<fs::path> inputs;
    for (int i = 2; i < argc; ++i) {
        if (fs::is_directory(argv[i])) {
            for (const auto &entry : fs::recursive_directory_iterator(argv[i]))
                if (entry.is_regular_file())
                    inputs.push_back(entry.path());
        } else {
            inputs.emplace_back(argv[i]);
        }
    }
    if (inputs.empty()) {
        std::fprintf(stderr, "fuzz_replay: no inputs for %s\n", argv[1]);
        return 2;
    }
    for (const fs::path &path : inputs) {
        std::ifstream in(path, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::fprintf(stderr, "%s\n", path.filename().c_str()); // the last one named is the culprit of a crash
        target->second(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
    }
    std::printf("%s: %zu inputs replayed, no finding\n", argv[1], inputs.size());
    return 0;
}
