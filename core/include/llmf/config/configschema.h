#pragma once

#include "llmf/config/config.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace llmf {

// The schema of a Config, as data: one entry per YAML key. The loader, the saver, `--set section.key=value`,
// typo suggestions and the Config Studio's widgets are all driven by this table, so a new key is added once.
enum class FieldType { Int, Float, Bool, String, OptionalInt, OptionalFloat };

// std::monostate stands for YAML `null` (an optional field that is off).
using FieldValue = std::variant<std::monostate, int64_t, double, bool, std::string>;

struct FieldSpec
{
    std::string section; // model | training | data | generation
    std::string key;     // e.g. n_kv_heads
    FieldType type = FieldType::Int;
    std::string description;       // one line, shown as help
    std::optional<double> minimum; // inclusive bounds where they are simple; validate() checks the rest
    std::optional<double> maximum;
    std::vector<std::string> choices; // allowed strings, for enumerations (device is checked by pattern)

    std::string path() const { return section + "." + key; }
};

const std::vector<FieldSpec> &configFields();
const std::vector<std::string> &configSections();

// Looks up "section.key"; nullptr when unknown.
const FieldSpec *findField(const std::string &section, const std::string &key);

FieldValue getField(const Config &config, const FieldSpec &field);
// Stores `value` (converted to the field's type: an int is accepted for a float field, monostate only for
// optional fields). Throws llmf::Error when the value has the wrong type.
void setField(Config &config, const FieldSpec &field, const FieldValue &value);

// Renders a value as it would appear in YAML ("null", "true", "0.0003", "cuda").
std::string formatFieldValue(const FieldValue &value);

// The valid name closest to `name` by edit distance, or empty when nothing is reasonably close.
std::string nearestName(const std::string &name, const std::vector<std::string> &candidates);

} // namespace llmf
