#include "llmf/run/rundirectory.h"

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/config/configio.h"
#include "llmf/config/validation.h"
#include "llmf/common/device.h"
#include "llmf/run/quantizedstorage.h"
#include "llmf/run/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace llmf {

RunDirectory::RunDirectory(std::string path) : m_path(std::move(path)) {}

std::string RunDirectory::file(const char *name) const
{
    return (fs::path(m_path) / name).string();
}

void RunDirectory::requireTrainedModel() const
{
    std::error_code ec;
    if (!fs::is_directory(m_path, ec))
        throw Error("'" + m_path + "' is not a run directory: the folder does not exist.",
                    "Train one with `llmf train --config tiny --out " + m_path + "`.");
    std::string missing;
    for (const char *name : {"config.yaml", "tokenizer.json", "model.safetensors"})
        if (!fs::is_regular_file(file(name), ec))
            missing += (missing.empty() ? "" : ", ") + std::string(name);
    if (!missing.empty())
        throw Error("'" + m_path + "' is not a complete run directory: " + missing + " missing.",
                    "A run directory is written by `llmf train` (or the Training page).");
}

std::string RunDirectory::historyPath(int64_t step) const
{
    char name[48];
    std::snprintf(name, sizeof name, "step-%07lld.safetensors", static_cast<long long>(step));
    return (fs::path(m_path) / "checkpoints" / name).string();
}

std::vector<std::pair<int64_t, std::string>> RunDirectory::weightHistory() const
{
    std::vector<std::pair<int64_t, std::string>> history;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(fs::path(m_path) / "checkpoints", ec)) {
        const std::string name = entry.path().filename().string();
        long long step = -1;
        // Temporary files of an interrupted write end in something else and are skipped.
        if (entry.is_regular_file(ec) && name.size() == 24 &&
            std::sscanf(name.c_str(), "step-%7lld.safetensors", &step) == 1 &&
            name.compare(12, 12, ".safetensors") == 0)
            history.emplace_back(step, entry.path().string());
    }
    std::sort(history.begin(), history.end());
    return history;
}

void RunDirectory::pruneHistory(int64_t keep) const
{
    auto history = weightHistory();
    std::error_code ec;
    const size_t n = history.size();
    const size_t recent = keep >= 2 ? static_cast<size_t>(keep - 1) : static_cast<size_t>(std::max<int64_t>(keep, 0));
    for (size_t i = 0; i < n; ++i) {
        const bool first = keep >= 2 && i == 0;
        if (!first && i + recent < n)
            fs::remove(history[i].second, ec);
    }
}

bool RunDirectory::hasCheckpoint() const
{
    std::error_code ec;
    return fs::is_regular_file(statePath(), ec) && fs::is_regular_file(weightsPath(), ec) &&
           fs::is_regular_file(optimizerPath(), ec);
}

void RunDirectory::create() const
{
    std::error_code ec;
    fs::create_directories(m_path, ec);
    if (ec)
        throw Error("Cannot create the run directory '" + m_path + "': " + ec.message() + ".");
}

Config RunDirectory::loadConfig() const
{
    return llmf::loadConfig(configPath());
}

Tokenizer RunDirectory::loadTokenizer() const
{
    return Tokenizer::load(tokenizerPath());
}

void RunDirectory::appendMetric(const std::string &jsonLine) const
{
    const std::string line = jsonLine + "\n";
    const int fd = ::open(metricsPath().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error("Cannot write '" + metricsPath() + "': " + std::strerror(errno) + ".");
    // One write() of a short line with O_APPEND: concurrent readers see whole lines or nothing of it.
    const ssize_t written = ::write(fd, line.data(), line.size());
    const int savedErrno = errno;
    ::close(fd);
    if (written != static_cast<ssize_t>(line.size()))
        throw Error("Writing '" + metricsPath() + "' failed: " + std::strerror(savedErrno) + ".");
}

void RunDirectory::recoverInterruptedSave() const
{
    recoverCommit(commitJournalPath());
    removeStaleTemporaries();
}

int RunDirectory::removeStaleTemporaries() const
{
    int removed = 0;
    for (const fs::path &folder : {fs::path(m_path), fs::path(m_path) / "checkpoints"}) {
        std::error_code ec;
        for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
            const std::string name = it->path().filename().string();
            const size_t mark = name.rfind(".tmp-");
            if (mark != std::string::npos && name.size() - mark == 11 && it->is_regular_file(ec)) {
                std::error_code ignored;
                removed += fs::remove(it->path(), ignored) ? 1 : 0;
            }
        }
    }
    return removed;
}

void RunDirectory::truncateMetricsAfter(int64_t step) const
{
    std::ifstream in(metricsPath());
    if (!in) {
        if (step < 0)
            writeFileAtomically(metricsPath(), "");
        return;
    }
    std::ostringstream kept;
    std::string line;
    while (std::getline(in, line)) {
        const auto json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
        if (json.is_discarded() || !json.is_object())
            continue; // a torn last line from a crash
        const auto stepField = json.find("step");
        if (stepField == json.end() || !stepField->is_number_integer())
            continue; // not a line this app wrote (json.value() would throw on a "step" of another type)
        if (stepField->get<int64_t>() <= step)
            kept << line << "\n";
    }
    writeFileAtomically(metricsPath(), kept.str());
}

LoadedRun loadRun(const std::string &runDir, const std::string &device, const std::string &weightsPath)
{
    RunDirectory run(runDir);
    run.requireTrainedModel();
    LoadedRun loaded;
    loaded.config = run.loadConfig();
    validateOrThrow(loaded.config, run.configPath());
    loaded.tokenizer = run.loadTokenizer();
    if (loaded.tokenizer.vocabSize() > loaded.config.model.vocab_size)
        throw Error("'" + run.tokenizerPath() + "' has " + std::to_string(loaded.tokenizer.vocabSize()) +
                    " tokens but config.yaml says model.vocab_size " + std::to_string(loaded.config.model.vocab_size) +
                    ".");
    const std::string path = weightsPath.empty() ? run.weightsPath() : weightsPath;
    const SafetensorsFile weights = loadSafetensors(path);
    MiniLLM model(loaded.config.model);
    const QuantType quantization = parseQuantType(loaded.config.model.quantization);
    if (quantization == QuantType::None)
        loadIntoModel(model, weights, path);
    else
        loadQuantizedIntoModel(model, weights, path, quantization);
    if (const auto step = weights.metadata.find("step"); step != weights.metadata.end())
        loaded.step = std::atoll(step->second.c_str());
    model->to(resolveDevice(device));
    model->eval();
    loaded.net = model.ptr();
    return loaded;
}

MiniLLM LoadedRun::model() const
{
    if (!net)
        throw Error("No model is loaded.");
    return MiniLLM(net);
}

int64_t LoadedRun::parameterCount() const
{
    int64_t total = 0;
    if (net)
        for (const auto &p : net->parameters())
            total += p.numel();
    return total;
}

std::string LoadedRun::deviceName() const
{
    return net ? net->embed_tokens->weight.device().str() : std::string("cpu");
}

} // namespace llmf
