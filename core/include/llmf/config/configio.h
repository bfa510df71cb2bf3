#pragma once

#include "llmf/config/config.h"

#include <string>

namespace llmf {

// YAML load/save with the original project's schema (docs/architecture.md §6). Every section and key is optional;
// missing ones keep the defaults of the structs. Unknown keys, wrong types and malformed YAML throw
// llmf::Error naming the source, the line, the key and what is allowed (with the nearest valid key).
// Loading does not validate the values' relations; call validate() for that.
Config loadConfig(const std::string &path);
Config parseConfig(const std::string &yamlText, const std::string &sourceName = "<text>");
// Applies YAML text on top of `base` (how presets are diffs against the defaults).
void mergeConfig(Config &base, const std::string &yamlText, const std::string &sourceName = "<text>");

// `full` = every key with its resolved value (a run directory's config.yaml); otherwise only keys that differ
// from the defaults (a preset). Derived values (ffn_hidden_dim) are written resolved when `full`.
std::string configToYaml(const Config &config, bool full = true);
void saveConfig(const Config &config, const std::string &path, bool full = true); // atomic

// Applies "section.key=value" (the CLI's --set); the value is parsed as YAML scalar.
void applyOverride(Config &config, const std::string &assignment);

} // namespace llmf
