// llmf train: the guide's train.py / scripts/train.py --config, with checkpoints and resume.
#include "clisupport.h"
#include "commands.h"

#include "llmf/common/error.h"
#include "llmf/common/systeminfo.h"
#include "llmf/config/configio.h"
#include "llmf/config/presets.h"
#include "llmf/config/validation.h"
#include "llmf/data/trainingdata.h"
#include "llmf/model/accounting.h"
#include "llmf/model/memoryfit.h"
#include "llmf/train/devicename.h"
#include "llmf/train/trainer.h"

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>

namespace llmf::cli {

namespace {

std::atomic_bool g_stopRequested{false};

extern "C" void onInterrupt(int)
{
    g_stopRequested.store(true);
}

struct TrainOptions
{
    std::string config = "tiny";
    std::string data;
    std::string out;
    std::string resume;
    std::vector<std::string> overrides;
    int64_t stopAt = 0;
    bool configGiven = false;
};

// Prints the guide's eval lines on stdout and a progress bar on stderr.
class ConsoleObserver final : public TrainObserver
{
public:
    ConsoleObserver(int64_t maxSteps, int64_t stopAt, std::atomic_bool &stop)
        : m_bar("training", maxSteps), m_stopAt(stopAt), m_stop(stop)
    {}

    void onStep(const StepMetrics &m) override
    {
        char suffix[160];
        std::snprintf(suffix, sizeof suffix, "step %lld/%lld loss %.4f lr %.2e %.0f tok/s ETA %.0fs",
                      static_cast<long long>(m.step), static_cast<long long>(m.maxSteps), m.loss, m.learningRate,
                      m.tokensPerSecond, m.etaSeconds);
        m_bar.update(m.step, suffix);
        if (m_stopAt > 0 && m.step >= m_stopAt)
            m_stop.store(true);
    }
    void onEval(const EvalMetrics &m) override
    {
        m_bar.clearLine();
        std::printf("step %lld: train loss %.4f, val loss %.4f\n", static_cast<long long>(m.step), m.trainLoss,
                    m.valLoss);
        std::fflush(stdout);
    }
    void onCheckpoint(const std::string &dir, int64_t step) override
    {
        m_bar.clearLine();
        std::fprintf(stderr, "checkpoint: %s (step %lld)\n", dir.c_str(), static_cast<long long>(step));
    }
    void onMessage(const std::string &text) override
    {
        m_bar.clearLine();
        std::fprintf(stderr, "%s\n", text.c_str());
    }

private:
    ProgressBar m_bar;
    int64_t m_stopAt;
    std::atomic_bool &m_stop;
};

std::string defaultRunDirectory(const std::string &configName)
{
    const std::string stem = std::filesystem::path(configName).stem().string();
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    return "runs/" + stem + "-" + stamp;
}

void run(const TrainOptions &o)
{
    const auto start = std::chrono::steady_clock::now();
    Config config;
    if (o.resume.empty()) {
        config = loadConfigOrPreset(o.config);
    } else {
        std::unique_ptr<Config> requested;
        if (o.configGiven)
            requested = std::make_unique<Config>(loadConfigOrPreset(o.config));
        config = Trainer::resumeConfig(o.resume, requested.get());
    }
    for (const auto &assignment : o.overrides)
        applyOverride(config, assignment);
    if (!o.data.empty())
        config.data.file_path = o.data;
    validateOrThrow(config, o.resume.empty() ? o.config : o.resume);

    const SystemInfo system = systemInfo();
    std::fprintf(stderr, "Device: %s | LibTorch %s | BLAS %s | %d threads\n",
                 resolveDeviceName(config.training.device).c_str(), system.torchVersion.c_str(),
                 system.blasName.c_str(), system.torchThreads);
    if (const std::string warning = blasWarning(system); !warning.empty())
        std::fprintf(stderr, "WARNING: %s\n", warning.c_str());
    const int64_t params = countParameters(config.model).total;
    std::printf("Model parameters: %s (%lld)\n", humanCount(params).c_str(), static_cast<long long>(params));
    requireTrainingMemory(config); // before the corpus is read and a tokenizer trained for nothing

    TrainingData data = prepareTrainingData(
        config, defaultCacheDirectory(), [](const std::string &line) { std::fprintf(stderr, "%s\n", line.c_str()); });

    std::unique_ptr<Trainer> trainer;
    if (o.resume.empty()) {
        const std::string out = o.out.empty() ? defaultRunDirectory(o.config) : o.out;
        trainer = std::make_unique<Trainer>(config, std::move(data), out);
    } else {
        trainer = Trainer::resume(o.resume, config, std::move(data));
        std::fprintf(stderr, "Resuming %s at step %lld\n", o.resume.c_str(),
                     static_cast<long long>(trainer->currentStep()));
    }
    ConsoleObserver observer(config.training.max_iters, o.stopAt, g_stopRequested);
    trainer->setObserver(&observer);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    trainer->run(&g_stopRequested);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("Training %s in %.2fs (step %lld of %lld). Run directory: %s\n",
                trainer->finished() ? "finished" : "stopped", seconds, static_cast<long long>(trainer->currentStep()),
                static_cast<long long>(config.training.max_iters), trainer->runDirectory().c_str());
}

} // namespace

void addTrainCommand(CLI::App &app)
{
    auto o = std::make_shared<TrainOptions>();
    auto *cmd = app.add_subcommand("train", "Train a model and write a run directory");
    cmd->add_option("-c,--config", o->config, "YAML file or preset name")->capture_default_str();
    cmd->add_option("--data", o->data, "A UTF-8 .txt file or folder (default: the built-in corpus)");
    cmd->add_option("-o,--out", o->out, "Run directory to create (default: runs/<config>-<time>)");
    cmd->add_option("--resume", o->resume, "Continue this run directory from its last checkpoint");
    cmd->add_option("--set", o->overrides, "Override a key: section.key=value (repeatable)");
    cmd->add_option("--stop-at", o->stopAt, "Stop (and save) after this step, as the Stop button does")
        ->check(CLI::PositiveNumber);
    cmd->callback([o, cmd] {
        o->configGiven = cmd->count("--config") > 0;
        run(*o);
    });
}

} // namespace llmf::cli
