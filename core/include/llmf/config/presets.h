#pragma once

#include "llmf/config/config.h"

#include <string>
#include <vector>

namespace llmf {

// Presets are YAML files in configs/ that hold only what differs from the defaults.
// The folder is found from $LLMF_CONFIG_DIR, next to the executable (../share/llm-foundry/configs,
// ../../configs for a build tree) or the source tree the build came from.
std::string presetDirectory();
std::vector<std::string> listPresets();          // names without .yaml, sorted
std::string presetPath(const std::string &name); // throws llmf::Error listing presets if unknown
Config loadPreset(const std::string &name);
// Whether a config file's data.file_path must stay in the config's folder (llmf/config/datapath.h): yes for a
// config that will be trained on, unless the user names the text themselves; no where the data is not read.
enum class DataPathRule { ConfinedToConfigFolder, AsWritten };
// A path or a preset name ("small"); what the CLI's --config accepts.
Config loadConfigOrPreset(const std::string &pathOrName, DataPathRule rule = DataPathRule::ConfinedToConfigFolder);

} // namespace llmf
