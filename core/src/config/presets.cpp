#include "llmf/config/presets.h"

#include "llmf/common/error.h"
#include "llmf/config/configio.h"
#include "llmf/config/datapath.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace llmf {

namespace {

std::string executableDirectory()
{
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.parent_path().string();
}

bool hasPresets(const fs::path &dir)
{
    std::error_code ec;
    return fs::is_regular_file(dir / "small.yaml", ec);
}

} // namespace

std::string presetDirectory()
{
    if (const char *env = std::getenv("LLMF_CONFIG_DIR"); env && *env)
        return env;
    std::vector<fs::path> candidates;
    const std::string exeDir = executableDirectory();
    if (!exeDir.empty()) {
        candidates.push_back(fs::path(exeDir) / "../share/llm-foundry/configs"); // installed
        candidates.push_back(fs::path(exeDir) / "../../configs");                // build/bin in the source tree
    }
#ifdef LLMF_SOURCE_CONFIG_DIR
    candidates.push_back(LLMF_SOURCE_CONFIG_DIR);
#endif
    for (const auto &dir : candidates)
        if (hasPresets(dir))
            return fs::weakly_canonical(dir).string();
    throw Error("Cannot find the presets folder (configs/).", "Set LLMF_CONFIG_DIR to the folder with small.yaml.");
}

std::vector<std::string> listPresets()
{
    std::vector<std::string> names;
    for (const auto &entry : fs::directory_iterator(presetDirectory()))
        if (entry.path().extension() == ".yaml")
            names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string presetPath(const std::string &name)
{
    const fs::path path = fs::path(presetDirectory()) / (name + ".yaml");
    if (!fs::is_regular_file(path)) {
        std::string known;
        for (const auto &preset : listPresets())
            known += (known.empty() ? "" : ", ") + preset;
        throw Error("There is no preset called '" + name + "'.", "Presets: " + known + ".");
    }
    return path.string();
}

Config loadPreset(const std::string &name)
{
    return loadConfig(presetPath(name));
}

Config loadConfigOrPreset(const std::string &pathOrName, DataPathRule rule)
{
    std::error_code ec;
    if (fs::exists(pathOrName, ec) || pathOrName.find('/') != std::string::npos ||
        pathOrName.find(".yaml") != std::string::npos || pathOrName.find(".yml") != std::string::npos)
        return rule == DataPathRule::ConfinedToConfigFolder ? loadConfigConfiningData(pathOrName)
                                                            : loadConfig(pathOrName);
    return loadPreset(pathOrName);
}

} // namespace llmf
