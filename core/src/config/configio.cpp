#include "llmf/config/configio.h"

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/config/configschema.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>

namespace llmf {

namespace {

std::string where(const std::string &source, const YAML::Mark &mark)
{
    // A --set override is one synthetic line of YAML; its line number would only confuse.
    if (mark.is_null() || source.rfind("--set", 0) == 0)
        return source;
    return source + ":" + std::to_string(mark.line + 1);
}

std::vector<std::string> keysOf(const std::string &section)
{
    std::vector<std::string> keys;
    for (const auto &spec : configFields())
        if (spec.section == section)
            keys.push_back(spec.key);
    return keys;
}

std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const auto &item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::string didYouMean(const std::string &name, const std::vector<std::string> &candidates)
{
    const std::string near = nearestName(name, candidates);
    return near.empty() ? std::string() : " Did you mean '" + near + "'?";
}

std::string allowedText(const FieldSpec &spec)
{
    switch (spec.type) {
    case FieldType::Int:
        return "an integer";
    case FieldType::Float:
        return "a number (e.g. 0.0003 or 3e-4)";
    case FieldType::Bool:
        return "true or false";
    case FieldType::String:
        return spec.choices.empty() ? "a string" : "one of: " + joined(spec.choices);
    case FieldType::OptionalInt:
        return "an integer, or null to turn it off";
    case FieldType::OptionalFloat:
        return "a number, or null to turn it off";
    }
    return "a value";
}

// Converts one YAML scalar to the field's type, or explains what is allowed.
FieldValue toFieldValue(const FieldSpec &spec, const YAML::Node &node, const std::string &source)
{
    const std::string at = where(source, node.Mark());
    if (!node.IsScalar() && !node.IsNull())
        throw Error(at + ": '" + spec.path() + "' must be " + allowedText(spec) + ", not a list or a map.");
    const bool isNull = node.IsNull() || (node.Tag() != "!" && (node.Scalar() == "null" || node.Scalar() == "~"));
    if (isNull) {
        if (spec.type == FieldType::OptionalInt || spec.type == FieldType::OptionalFloat)
            return std::monostate{};
        if (spec.type == FieldType::String && spec.choices.empty()) // "dtype:" with nothing is no dtype (fuzzing)
            return std::string();
        throw Error(at + ": '" + spec.path() + "' cannot be null; it must be " + allowedText(spec) + ".");
    }
    const std::string text = node.Scalar();
    auto fail = [&]() -> Error {
        return Error(at + ": '" + spec.path() + "' must be " + allowedText(spec) + ", not '" + text + "'.");
    };
    switch (spec.type) {
    case FieldType::Int:
    case FieldType::OptionalInt: {
        int64_t v = 0;
        if (!YAML::convert<int64_t>::decode(node, v))
            throw fail();
        return v;
    }
    case FieldType::Float:
    case FieldType::OptionalFloat: {
        double v = 0;
        if (!YAML::convert<double>::decode(node, v))
            throw fail();
        return v;
    }
    case FieldType::Bool: {
        bool v = false;
        if (!YAML::convert<bool>::decode(node, v))
            throw fail();
        return v;
    }
    case FieldType::String:
        if (!spec.choices.empty() && std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end())
            throw Error(at + ": '" + spec.path() + "' is '" + text + "' but must be one of: " + joined(spec.choices) +
                        "." + didYouMean(text, spec.choices));
        return text;
    }
    throw fail();
}

// A section or key name: YAML also allows a sequence or a map as a key ("? [a, b]: 1"), which names nothing here.
std::string keyName(const YAML::Node &key, const std::string &source)
{
    if (!key.IsScalar())
        throw Error(where(source, key.Mark()) + ": a key must be a plain name, not a " +
                    (key.IsMap()        ? "map"
                     : key.IsSequence() ? "list"
                                        : "null") +
                    ".");
    return key.Scalar();
}

void applyNode(Config &config, const YAML::Node &root, const std::string &source)
{
    if (!root || root.IsNull())
        return; // an empty file is a valid config: all defaults
    if (!root.IsMap())
        throw Error(where(source, root.Mark()) + ": a config file must be a map with the sections " +
                    joined(configSections()) + ".");
    for (const auto &sectionEntry : root) {
        const std::string section = keyName(sectionEntry.first, source);
        const auto &sections = configSections();
        if (std::find(sections.begin(), sections.end(), section) == sections.end())
            throw Error(where(source, sectionEntry.first.Mark()) + ": unknown section '" + section +
                            "'. Allowed sections: " + joined(sections) + "." + didYouMean(section, sections),
                        "Every key lives in one of the four sections, e.g.\nmodel:\n  dim: 256");
        const YAML::Node &body = sectionEntry.second;
        if (body.IsNull())
            continue;
        if (!body.IsMap())
            throw Error(where(source, body.Mark()) + ": section '" + section + "' must be a map of keys.");
        for (const auto &entry : body) {
            const std::string key = keyName(entry.first, source);
            const FieldSpec *spec = findField(section, key);
            if (!spec)
                throw Error(where(source, entry.first.Mark()) + ": unknown key '" + key + "' in section '" + section +
                                "'." + didYouMean(key, keysOf(section)),
                            "Allowed keys in '" + section + "': " + joined(keysOf(section)) + ".");
            setField(config, *spec, toFieldValue(*spec, entry.second, source));
        }
    }
}

YAML::Node parseYaml(const std::string &text, const std::string &source)
{
    try {
        return YAML::Load(text);
    } catch (const YAML::ParserException &e) {
        throw Error(where(source, e.mark) + ": this is not valid YAML (" + e.msg + ").",
                    "Check the indentation and that every key is followed by ': '.");
    }
}

std::string yamlScalar(const FieldSpec &spec, const FieldValue &value)
{
    if (spec.type != FieldType::String)
        return formatFieldValue(value);
    YAML::Emitter out;
    out << YAML::DoubleQuoted << std::get<std::string>(value);
    return out.c_str();
}

} // namespace

void mergeConfig(Config &base, const std::string &yamlText, const std::string &sourceName)
{
    try {
        applyNode(base, parseYaml(yamlText, sourceName), sourceName);
    } catch (const YAML::Exception &e) { // anything yaml-cpp throws that the checks above did not foresee
        throw Error(where(sourceName, e.mark) + ": " + e.msg + ".");
    }
}

Config parseConfig(const std::string &yamlText, const std::string &sourceName)
{
    Config config;
    mergeConfig(config, yamlText, sourceName);
    return config;
}

Config loadConfig(const std::string &path)
{
    return parseConfig(readFile(path), path);
}

std::string configToYaml(const Config &config, bool full)
{
    Config resolved = config;
    if (full)
        resolved.model.ffn_hidden_dim = config.model.resolvedFfnHiddenDim();
    const Config defaults;
    std::ostringstream out;
    for (const auto &section : configSections()) {
        std::ostringstream body;
        for (const auto &spec : configFields()) {
            if (spec.section != section)
                continue;
            const FieldValue value = getField(resolved, spec);
            if (!full && value == getField(defaults, spec))
                continue;
            body << "  " << spec.key << ": " << yamlScalar(spec, value);
            if (full)
                body << "  # " << spec.description;
            body << "\n";
        }
        if (!body.str().empty())
            out << section << ":\n" << body.str();
    }
    return out.str();
}

void saveConfig(const Config &config, const std::string &path, bool full)
{
    writeFileAtomically(path, configToYaml(config, full));
}

void applyOverride(Config &config, const std::string &assignment)
{
    const auto eq = assignment.find('=');
    const auto dot = assignment.find('.');
    if (eq == std::string::npos || dot == std::string::npos || dot > eq)
        throw Error("'" + assignment + "' is not an override.",
                    "Write it as section.key=value, e.g. training.max_iters=200");
    const std::string section = assignment.substr(0, dot);
    const std::string key = assignment.substr(dot + 1, eq - dot - 1);
    const std::string value = assignment.substr(eq + 1);
    const std::string yaml = section + ":\n  " + key + ": " + (value.empty() ? "null" : value) + "\n";
    mergeConfig(config, yaml, "--set " + assignment);
}

} // namespace llmf
