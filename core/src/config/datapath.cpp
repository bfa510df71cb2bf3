#include "llmf/config/datapath.h"

#include "llmf/common/error.h"
#include "llmf/config/configio.h"

#include <filesystem>
#include <fstream>
#include <regex>

namespace llmf {

namespace fs = std::filesystem;

namespace {

// Where a YAML file sets file_path (configs have that key only in the data section).
int filePathLine(const std::string &configPath)
{
    std::ifstream in(configPath);
    static const std::regex key(R"(^\s*file_path\s*:)");
    std::string text;
    for (int line = 1; std::getline(in, text); ++line)
        if (std::regex_search(text, key))
            return line;
    return 0;
}

// `path` lies in `folder` or below it, component by component (so /data2 is not inside /data).
bool isInside(const fs::path &path, const fs::path &folder)
{
    auto p = path.begin();
    for (auto f = folder.begin(); f != folder.end(); ++f, ++p) {
        if (f->empty()) // a trailing separator
            continue;
        if (p == path.end() || *p != *f)
            return false;
    }
    return true;
}

} // namespace

ConfigDataPath resolveConfigDataPath(const Config &config, const std::string &configPath)
{
    ConfigDataPath out;
    const std::string &written = config.data.file_path;
    if (written.empty())
        return out;
    std::error_code ec;
    const fs::path folder = fs::weakly_canonical(fs::absolute(fs::path(configPath), ec).parent_path(), ec);
    const fs::path named(written);
    // weakly_canonical follows symbolic links of the part that exists, so a link inside the folder that points
    // out of it counts as out.
    const fs::path target = fs::weakly_canonical(named.is_absolute() ? named : folder / named, ec);
    out.resolved = target.string();
    out.confined = !ec && isInside(target, folder);
    if (out.confined)
        return out;
    out.line = filePathLine(configPath);
    out.message = "'" + configPath + "'" + (out.line > 0 ? ", line " + std::to_string(out.line) : std::string()) +
                  ": data.file_path '" + written + "' points outside the config's folder '" + folder.string() +
                  "'. A config names training text only in its own folder, so that a config from someone else "
                  "cannot make you train on (and share) another of your files.";
    out.hint = "If you mean that file, name it yourself: --data " + out.resolved +
               " (or the Data field's Browse… in the app), or put the text beside the config.";
    return out;
}

Config loadConfigConfiningData(const std::string &path)
{
    Config config = loadConfig(path);
    const ConfigDataPath data = resolveConfigDataPath(config, path);
    if (!data.confined)
        throw Error(data.message, data.hint);
    config.data.file_path = data.resolved;
    return config;
}

} // namespace llmf
