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
#include "llmf/quant/quantize.h"
#include "llmf/common/devicename.h"
#include "llmf/train/distributed.h"
#include "llmf/train/trainer.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
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
    LaunchOptions launch;      // --nproc-per-node, --nnodes, --node-rank, --master-addr, --master-port
    int rendezvousTimeout = 0; // --rendezvous-timeout; 0: $LLMF_RENDEZVOUS_TIMEOUT_S or 60 s
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

Config resolveConfig(const TrainOptions &o)
{
    // Text the user names on the command line replaces the config's, so the config's own path need not be safe.
    const bool dataNamedByUser =
        !o.data.empty() || std::any_of(o.overrides.begin(), o.overrides.end(), [](const std::string &assignment) {
            return assignment.rfind("data.file_path=", 0) == 0;
        });
    const DataPathRule rule = dataNamedByUser ? DataPathRule::AsWritten : DataPathRule::ConfinedToConfigFolder;
    Config config;
    if (o.resume.empty()) {
        config = loadConfigOrPreset(o.config, rule);
    } else {
        std::unique_ptr<Config> requested;
        if (o.configGiven)
            requested = std::make_unique<Config>(loadConfigOrPreset(o.config, rule));
        config = Trainer::resumeConfig(o.resume, requested.get());
    }
    for (const auto &assignment : o.overrides)
        applyOverride(config, assignment);
    if (!o.data.empty())
        config.data.file_path = o.data;
    validateOrThrow(config, o.resume.empty() ? o.config : o.resume);
    return config;
}

// A multi-node launch's own options, for the resume command it prints (each machine resumes with its own).
std::string nodeOptions(const LaunchOptions &l)
{
    if (l.nnodes <= 1)
        return {};
    return " --nnodes " + std::to_string(l.nnodes) + " --node-rank " + std::to_string(l.nodeRank) + " --master-addr " +
           l.masterAddr + (l.masterPort > 0 ? " --master-port " + std::to_string(l.masterPort) : std::string());
}

// The launcher (`--nproc-per-node N`): prepares the data once, so the workers find the tokenizer and the encoded
// text in the cache instead of training N tokenizers at once, then starts the workers and supervises them.
void launch(TrainOptions o)
{
    const Config config = resolveConfig(o);
    requireFp32Weights(config);
    requireTrainingMemory(config);
    prepareTrainingData(config, defaultCacheDirectory(),
                        [](const std::string &line) { std::fprintf(stderr, "%s\n", line.c_str()); });
    std::vector<std::string> args{"train"};
    if (o.resume.empty()) {
        if (o.out.empty())
            o.out = defaultRunDirectory(o.config); // one name for all workers, not one per start time
        args.insert(args.end(), {"--config", o.config, "--out", o.out});
    } else {
        args.insert(args.end(), {"--resume", o.resume});
        if (o.configGiven)
            args.insert(args.end(), {"--config", o.config});
    }
    if (!o.data.empty())
        args.insert(args.end(), {"--data", o.data});
    for (const auto &assignment : o.overrides)
        args.insert(args.end(), {"--set", assignment});
    if (o.stopAt > 0)
        args.insert(args.end(), {"--stop-at", std::to_string(o.stopAt)});

    const std::string runDir = o.resume.empty() ? o.out : o.resume;
    const int world = o.launch.nprocPerNode * o.launch.nnodes;
    std::fprintf(stderr, "Launching %d worker process(es) of %d (ranks %d-%d), run directory %s\n",
                 o.launch.nprocPerNode, world, o.launch.nodeRank * o.launch.nprocPerNode,
                 (o.launch.nodeRank + 1) * o.launch.nprocPerNode - 1, runDir.c_str());
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    const LaunchResult result =
        launchWorkers(o.launch, currentExecutable(), args, &g_stopRequested,
                      [](int rank, int pid) { std::fprintf(stderr, "rank %d: pid %d\n", rank, pid); });
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (result.exitCode != 0)
        throw Error("Distributed training failed: " + result.message + "; the other workers were stopped.",
                    "The last checkpoint in " + runDir + " is whole: continue with `llmf train --resume " + runDir +
                        " --nproc-per-node " + std::to_string(o.launch.nprocPerNode) + nodeOptions(o.launch) + "`.");
}

void run(const TrainOptions &o)
{
    const auto start = std::chrono::steady_clock::now();
    // Through the environment, so the workers a launcher starts inherit it.
    if (o.rendezvousTimeout > 0)
        ::setenv("LLMF_RENDEZVOUS_TIMEOUT_S", std::to_string(o.rendezvousTimeout).c_str(), 1);
    const auto env = DistributedEnvironment::fromEnvironment();
    if (!env && (o.launch.nprocPerNode > 1 || o.launch.nnodes > 1))
        return launch(o);
    const bool distributed = env && env->worldSize > 1;
    const bool quiet = env && env->rank != 0; // rank 0 speaks for the group
    const Config config = resolveConfig(o);

    const SystemInfo system = systemInfo();
    if (distributed && resolveDeviceName(config.training.device).rfind("cpu", 0) == 0)
        setThreads(env->threadsPerWorker(system.physicalCores));
    if (!quiet) {
        std::fprintf(stderr, "Device: %s | LibTorch %s | BLAS %s | %d threads%s\n",
                     resolveDeviceName(config.training.device).c_str(), system.torchVersion.c_str(),
                     system.blasName.c_str(),
                     distributed ? env->threadsPerWorker(system.physicalCores) : system.torchThreads,
                     distributed ? (" per process x " + std::to_string(env->worldSize) + " processes").c_str() : "");
        if (const std::string warning = blasWarning(system); !warning.empty())
            std::fprintf(stderr, "WARNING: %s\n", warning.c_str());
        const int64_t params = countParameters(config.model).total;
        std::printf("Model parameters: %s (%lld)\n", humanCount(params).c_str(), static_cast<long long>(params));
    }
    requireFp32Weights(config);
    requireTrainingMemory(config); // before the corpus is read and a tokenizer trained for nothing

    const auto progress = [quiet](const std::string &line) {
        if (!quiet)
            std::fprintf(stderr, "%s\n", line.c_str());
    };
    TrainingData data = prepareTrainingData(config, defaultCacheDirectory(), progress);

    std::shared_ptr<ProcessGroup> group;
    if (distributed)
        group = joinProcessGroup(*env, config.training.device);
    std::unique_ptr<Trainer> trainer;
    if (o.resume.empty()) {
        const std::string out = o.out.empty() ? defaultRunDirectory(o.config) : o.out;
        trainer = std::make_unique<Trainer>(config, std::move(data), out, group);
    } else {
        trainer = Trainer::resume(o.resume, config, std::move(data), group);
        if (!quiet)
            std::fprintf(stderr, "Resuming %s at step %lld\n", o.resume.c_str(),
                         static_cast<long long>(trainer->currentStep()));
    }
    ConsoleObserver observer(config.training.max_iters, o.stopAt, g_stopRequested);
    if (!quiet)
        trainer->setObserver(&observer);
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    trainer->run(&g_stopRequested);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!quiet)
        std::printf("Training %s in %.2fs (step %lld of %lld). Run directory: %s\n",
                    trainer->finished() ? "finished" : "stopped", seconds,
                    static_cast<long long>(trainer->currentStep()), static_cast<long long>(config.training.max_iters),
                    trainer->runDirectory().c_str());
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
    cmd->add_option("--nproc-per-node", o->launch.nprocPerNode,
                    "Data-parallel training: start this many worker processes here (c10d, Gloo)")
        ->check(CLI::Range(1, 256));
    cmd->add_option("--nnodes", o->launch.nnodes, "Machines taking part (each runs this command)")
        ->check(CLI::Range(1, 1024));
    cmd->add_option("--node-rank", o->launch.nodeRank, "This machine's number, 0 … nnodes-1 (0 hosts the rendezvous)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--master-addr", o->launch.masterAddr, "Address of the machine with --node-rank 0")
        ->capture_default_str();
    cmd->add_option("--master-port", o->launch.masterPort, "Rendezvous port (default: a free one, one machine only)")
        ->check(CLI::Range(1, 65535));
    cmd->add_option("--rendezvous-timeout", o->rendezvousTimeout,
                    "Seconds a worker waits for the others to join, or for a peer later, before it gives up naming "
                    "it (default 60; $LLMF_RENDEZVOUS_TIMEOUT_S)")
        ->check(CLI::Range(1, 86400));
    cmd->callback([o, cmd] {
        o->configGiven = cmd->count("--config") > 0;
        run(*o);
    });
}

} // namespace llmf::cli
