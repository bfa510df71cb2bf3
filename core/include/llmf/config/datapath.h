#pragma once

#include "llmf/config/config.h"

#include <string>

namespace llmf {

// A config file may come from someone else (a tutorial, a shared preset), and its data.file_path says which file
// becomes training text — and so ends up in the tokenizer's vocabulary and the weights someone may share. Such a
// path is therefore read only from the config's own folder: a relative path is resolved against that folder (it
// travels with the config, like a text.txt beside it), and a path that leaves it (absolute, `..`, a symbolic link
// out) is not used unless the user names the file themselves (--data, --set, the file picker).
struct ConfigDataPath
{
    std::string resolved; // absolute; empty when the config names no file
    bool confined = true; // inside the config's folder (or no file named)
    int line = 0;         // the file_path line of the config file, 0 if not found
    std::string message;  // when not confined: file, line, key, the path, why, and what to do
    std::string hint;
};

// Resolves `config.data.file_path`, as loaded from the config file at `configPath`, and checks where it points.
ConfigDataPath resolveConfigDataPath(const Config &config, const std::string &configPath);

// loadConfig() with the rule above: data.file_path becomes the resolved absolute path, or llmf::Error (message and
// hint of ConfigDataPath) when it leaves the config's folder. What `llmf train --config FILE` loads.
Config loadConfigConfiningData(const std::string &path);

} // namespace llmf
