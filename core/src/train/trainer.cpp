#include "llmf/train/trainer.h"

#include "llmf/common/device.h"
#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/common/threadtuner.h"
#include "llmf/config/configio.h"
#include "llmf/config/configschema.h"
#include "llmf/config/validation.h"
#include "llmf/model/memoryfit.h"
#include "llmf/model/minillm.h"
#include "llmf/run/checkpoint.h"
#include "llmf/run/rundirectory.h"
#include "llmf/run/runlock.h"
#include "llmf/run/safetensors.h"
#include "llmf/train/datastreams.h"
#include "llmf/train/lrschedule.h"
#include "llmf/train/mixedprecision.h"
#include "llmf/train/objective.h"
#include "llmf/train/pretrainingobjective.h"
#include "llmf/train/processgroup.h"
#include "llmf/train/stepclock.h"

#include <chrono>
#include <filesystem>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

namespace llmf {

namespace {

using Clock = std::chrono::steady_clock;

// AdamW decays only matrices (weights of linear layers and embeddings): decaying RMSNorm gains would pull them
// towards zero, i.e. towards switching a channel off, which is not the regularisation we want.
std::unique_ptr<torch::optim::AdamW> makeOptimizer(const std::vector<torch::Tensor> &parameters, const TrainConfig &t)
{
    std::vector<torch::Tensor> decay, noDecay;
    for (const auto &p : parameters)
        (p.dim() >= 2 ? decay : noDecay).push_back(p);
    auto options = [&](double wd) {
        return std::make_unique<torch::optim::AdamWOptions>(
            torch::optim::AdamWOptions(t.learning_rate).betas({t.beta1, t.beta2}).weight_decay(wd).eps(1e-8));
    };
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, options(t.weight_decay));
    groups.emplace_back(noDecay, options(0.0));
    return std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(t.learning_rate));
}

std::string describe(double v)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4f", v);
    return buffer;
}

} // namespace

struct Trainer::Impl
{
    Config config;
    std::unique_ptr<Objective> objective;
    RunDirectory run;
    torch::Device device{torch::kCPU};
    std::optional<torch::ScalarType> autocast;
    MiniLLM model{nullptr};
    std::vector<torch::Tensor> parameters; // what the optimiser updates: the model's and the objective's extras
    NamedTensors extras;                   // the objective's own parameters (checkpointed in objective.safetensors)
    std::unique_ptr<torch::optim::AdamW> optimizer;
    std::shared_ptr<ProcessGroup> group; // null for a single process
    LossScaler scaler;
    TrainObserver *observer = nullptr;
    std::unique_ptr<RunLock> lock;      // the process that writes the run holds it until the Trainer is gone
    std::optional<ThreadTuner> threads; // CPU training adapts its thread count to what else runs (threadtuner.h)

    TrainerState state;
    StepClock clock; // for the ETA
    Clock::time_point sessionStart = Clock::now();
    double elapsedBefore = 0.0; // training time of earlier sessions (resume)
    bool evaluatedAtStart = false;
    int64_t savedStep = -1; // the step of the checkpoint on disk

    Impl(const Config &c, std::unique_ptr<Objective> o, const std::string &runDir,
         std::shared_ptr<ProcessGroup> processGroup)
        : config(c), objective(std::move(o)), run(runDir), group(std::move(processGroup)),
          scaler(config.training.dtype == "float16")
    {
        requireFp32Weights(config);
        if (writesFiles()) { // before anything is written or read back: a second trainer must not touch the run
            run.create();
            lock = std::make_unique<RunLock>(run.path());
            run.recoverInterruptedSave(); // of a save a crash or kill -9 cut short; the lock says no one writes
        }
        // Before the first allocation: an oversized model is refused with numbers, not an allocator backtrace.
        requireTrainingMemory(config);
        device = resolveDevice(config.training.device);
        autocast = autocastDtype(config.training.dtype, device);
        // Adapting threads per worker would unbalance the ranks, and the slowest sets the pace: fixed there.
        if (device.is_cpu() && ThreadTuner::enabledByEnvironment() && worldSize() == 1)
            threads.emplace(torch::get_num_threads());
        model = objective->createModel(config);
        model->to(device);
        model->train();
        parameters = model->parameters();
        for (auto &[name, tensor] : objective->extraParameters()) {
            extras.emplace_back(name, tensor);
            parameters.push_back(tensor);
        }
        if (group) {
            requireSameSetup(*group, configToYaml(config, /*full=*/true) + "\n# objective " + objective->name() + "\n" +
                                         objective->setupFingerprint());
            group->broadcast(parameters); // rank 0's initial weights everywhere, the objective's too
            // Each rank its own dropout masks (rank 0 keeps the seed's, as a single process would).
            if (rank() > 0)
                torch::manual_seed(streamSeed(config.training.seed, -rank()));
        }
        optimizer = makeOptimizer(parameters, config.training);
        objective->prepare(config, TrainingTopology{rank(), worldSize(), config.training.grad_accum_steps});
        state.objective = objective->name();
        state.dataFingerprint = objective->dataFingerprint();
    }

    int rank() const { return group ? group->rank() : 0; }
    int worldSize() const { return group ? group->size() : 1; }
    bool writesFiles() const { return rank() == 0; } // rank 0 alone writes the run directory

    void message(const std::string &text)
    {
        if (observer)
            observer->onMessage(text);
    }

    EvalMetrics evaluate()
    {
        torch::NoGradGuard noGrad;
        model->eval();
        EvalMetrics m;
        m.step = state.step;
        torch::Tensor sums;
        {
            AutocastScope scope(autocast, device);
            sums = objective->evaluationLossSums(model, device); // (2) float64: this rank's share
        }
        if (group) {
            torch::Tensor shared = sums.to(group->device());
            group->allReduceSum(shared);
            sums = shared.cpu();
        }
        m.trainLoss = sums[0].item<double>() / static_cast<double>(config.training.eval_iters);
        m.valLoss = sums[1].item<double>() / static_cast<double>(config.training.eval_iters);
        model->train();
        if (m.valLoss < state.bestValLoss)
            state.bestValLoss = m.valLoss;
        if (writesFiles())
            run.appendMetric(evalMetricJson(m));
        if (observer)
            observer->onEval(m);
        return m;
    }

    StepMetrics trainStep()
    {
        if (threads)
            threads->apply();
        const int threadsUsed = threads ? threads->threads() : 0;
        const auto start = Clock::now();
        const TrainConfig &t = config.training;
        const double lr = learningRateAt(t, state.step);
        for (auto &group : optimizer->param_groups())
            static_cast<torch::optim::AdamWOptions &>(group.options()).lr(lr);

        optimizer->zero_grad();
        const std::vector<std::string> metricNames = objective->metricNames();
        const auto accum = static_cast<double>(t.grad_accum_steps);
        // Loss first, then the objective's metrics: summed over the micro-batches on the device, read once.
        torch::Tensor sums = torch::zeros({1 + static_cast<int64_t>(metricNames.size())},
                                          torch::TensorOptions().device(device).dtype(torch::kFloat32));
        int64_t rankTokens = 0;
        for (int64_t micro = 0; micro < t.grad_accum_steps; ++micro) {
            MicroBatchLoss out;
            {
                AutocastScope scope(autocast, device);
                out = objective->microBatchLoss(model, micro, device);
            }
            sums[0] += out.loss.detach();
            for (size_t i = 0; i < out.metrics.size() && i < metricNames.size(); ++i)
                sums[static_cast<int64_t>(i) + 1] += out.metrics[i].detach().to(sums.dtype());
            rankTokens += out.tokens;
            scaler.scale(out.loss / accum).backward();
        }
        std::vector<double> means(static_cast<size_t>(sums.numel()));
        const torch::Tensor hostSums = sums.to(torch::kCPU, torch::kFloat64);
        for (size_t i = 0; i < means.size(); ++i)
            means[i] = hostSums[static_cast<int64_t>(i)].item<double>() / accum;
        const double computeSeconds = std::chrono::duration<double>(Clock::now() - start).count();
        double allReduceSeconds = 0.0;
        std::vector<double> rankSeconds;
        if (group) {
            // Mean gradient over the ranks (clipping and the AdamW step below then act identically everywhere),
            // and each rank's loss, metrics and compute time, so all report the global step.
            const auto syncStart = Clock::now();
            group->averageGradients(parameters);
            allReduceSeconds = std::chrono::duration<double>(Clock::now() - syncStart).count();
            const int n = worldSize();
            const auto k = static_cast<int64_t>(means.size());
            torch::Tensor stats = torch::zeros({(k + 1) * n}, torch::TensorOptions().dtype(torch::kFloat64));
            for (int64_t i = 0; i < k; ++i)
                stats[i * n + rank()] = means[static_cast<size_t>(i)];
            stats[k * n + rank()] = computeSeconds;
            stats = stats.to(group->device());
            group->allReduceSum(stats);
            stats = stats.cpu();
            for (int64_t i = 0; i < k; ++i)
                means[static_cast<size_t>(i)] = stats.narrow(0, i * n, n).mean().item<double>();
            for (int r = 0; r < n; ++r)
                rankSeconds.push_back(stats[k * n + r].item<double>());
        }
        const double loss = means[0];
        if (!std::isfinite(loss))
            throw Error("Training stopped: the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") +
                            " at step " + std::to_string(state.step + 1) +
                            ". The last good checkpoint in the run directory was kept.",
                        "Lower training.learning_rate (now " + formatFieldValue(t.learning_rate) +
                            ") or keep training.grad_clip at 1.0.");

        const bool finite = scaler.unscale(parameters);
        // clip_grad_norm_ returns the norm *before* clipping; with clipping off, an infinite bound only measures.
        const double maxNorm = t.grad_clip > 0 ? t.grad_clip : std::numeric_limits<double>::infinity();
        const double gradNorm =
            finite ? torch::nn::utils::clip_grad_norm_(parameters, maxNorm) : std::numeric_limits<double>::infinity();
        if (finite)
            optimizer->step();
        scaler.update(finite);
        ++state.step;

        const int64_t tokens = rankTokens * worldSize();
        state.tokensSeen += tokens;
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        if (threads)
            threads->record(seconds);
        clock.record(seconds);

        StepMetrics m;
        m.threads = threadsUsed;
        m.step = state.step;
        m.maxSteps = t.max_iters;
        m.loss = loss;
        for (size_t i = 0; i < metricNames.size(); ++i)
            m.objectiveMetrics[metricNames[i]] = means[i + 1];
        m.learningRate = lr;
        m.gradNorm = gradNorm;
        m.tokensPerSecond = seconds > 0 ? tokens / seconds : 0.0;
        m.elapsedSeconds = elapsed();
        m.etaSeconds = clock.etaSeconds(state.step, t.max_iters);
        m.tokensSeen = state.tokensSeen;
        m.worldSize = worldSize();
        m.allReduceSeconds = allReduceSeconds;
        m.stepSeconds = seconds;
        for (double rs : rankSeconds)
            m.rankTokensPerSecond.push_back(rs > 0 ? static_cast<double>(rankTokens) / rs : 0.0);
        return m;
    }

    double elapsed() const
    {
        return elapsedBefore + std::chrono::duration<double>(Clock::now() - sessionStart).count();
    }

    void save()
    {
        if (state.step == savedStep) {
            // Already on disk (a resume of a finished run, Stop right after a checkpoint): saving again would only
            // repeat its metrics line. Every rank skips alike, so no collective is left waiting.
            if (observer && writesFiles())
                observer->onCheckpoint(run.path(), state.step);
            return;
        }
        state.elapsedSeconds = elapsed();
        state.lossScale = scaler.scaleValue();
        state.worldSize = worldSize();
        // Rank 0 writes every rank's data streams and dropout RNG, so a resume continues bit for bit.
        RankStates ranks = gatherRankStates(group.get(), objective->streamStates());
        state.samplerRngs = std::move(ranks.streams);
        state.rankCpuRngs = std::move(ranks.cpuRngs);
        savedStep = state.step;
        if (!writesFiles())
            return;
        llmf::saveCheckpoint(run, model, *optimizer, state, extras);
        saveHistory();
        if (observer)
            observer->onCheckpoint(run.path(), state.step);
    }

    // A weights-only snapshot for the Inspector's slider over the run's life (the full checkpoint keeps only the
    // latest state, for resuming).
    void saveHistory()
    {
        if (config.training.keep_checkpoints <= 0 || !writesFiles())
            return;
        std::error_code ignored;
        std::filesystem::create_directories(std::filesystem::path(run.path()) / "checkpoints", ignored);
        saveModelSafetensors(model, run.historyPath(state.step), {{"step", std::to_string(state.step)}});
        run.pruneHistory(config.training.keep_checkpoints);
    }
};

Trainer::Trainer(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}

Trainer::Trainer(const Config &config, std::unique_ptr<Objective> objective, const std::string &runDir,
                 std::shared_ptr<ProcessGroup> group)
    : d(std::make_unique<Impl>(config, std::move(objective), runDir, std::move(group)))
{
    if (!d->writesFiles())
        return;
    saveConfig(d->config, d->run.configPath(), /*full=*/true);
    d->objective->tokenizer().save(d->run.tokenizerPath());
    d->run.truncateMetricsAfter(-1);
}

Trainer::Trainer(const Config &config, TrainingData data, const std::string &runDir,
                 std::shared_ptr<ProcessGroup> group)
    : Trainer(config, std::make_unique<PretrainingObjective>(std::move(data)), runDir, std::move(group))
{}

Trainer::~Trainer() = default;

std::unique_ptr<Trainer> Trainer::resume(const std::string &runDir, const Config &config,
                                         std::unique_ptr<Objective> objective, std::shared_ptr<ProcessGroup> group)
{
    auto impl = std::make_unique<Impl>(config, std::move(objective), runDir, std::move(group));
    RunDirectory &run = impl->run;
    if (tokenizerFingerprint(impl->objective->tokenizer()) != tokenizerFingerprint(run.loadTokenizer()))
        throw Error("The data was tokenised with another tokenizer than the run's tokenizer.json.",
                    "Resume through Trainer::resumeConfig(), which points data.tokenizer_path at the run's tokenizer.");
    const std::string fingerprint = impl->state.dataFingerprint;
    // The objective first: another one's optimizer state would not even match its parameters.
    const std::string savedObjective = parseTrainerState(readFile(run.statePath()), run.statePath()).objective;
    if (savedObjective != impl->objective->name())
        throw Error("'" + runDir + "' was trained with the " + savedObjective + " objective; it cannot resume as " +
                        impl->objective->name() + ".",
                    "Resume it with the command that started it, or start a new run from it.");
    impl->state = llmf::loadCheckpoint(run, impl->model, *impl->optimizer, impl->extras);
    if (!impl->state.dataFingerprint.empty() && impl->state.dataFingerprint != fingerprint)
        throw Error("The training text of '" + runDir + "' changed since its last checkpoint (step " +
                        std::to_string(impl->state.step) + "): resuming would continue on other data than the " +
                        "weights and the data order were saved with.",
                    "Put the original text back at data.file_path (or the same corpus), or start a new run on the "
                    "new text.");
    impl->state.dataFingerprint = fingerprint;
    impl->savedStep = impl->state.step;
    impl->objective->restoreStreams(impl->state.samplerRngs, impl->state.worldSize);
    restoreRankRng(impl->rank(), impl->state.worldSize, impl->state.rankCpuRngs);
    impl->scaler.setScaleValue(impl->state.lossScale);
    impl->elapsedBefore = impl->state.elapsedSeconds;
    if (impl->writesFiles()) {
        run.truncateMetricsAfter(impl->state.step);
        saveConfig(impl->config, run.configPath(), /*full=*/true);
    }
    return std::unique_ptr<Trainer>(new Trainer(std::move(impl)));
}

std::unique_ptr<Trainer> Trainer::resume(const std::string &runDir, const Config &config, TrainingData data,
                                         std::shared_ptr<ProcessGroup> group)
{
    return resume(runDir, config, std::make_unique<PretrainingObjective>(std::move(data)), std::move(group));
}

void Trainer::setObserver(TrainObserver *observer)
{
    d->observer = observer;
}

StepMetrics Trainer::trainStep()
{
    const StepMetrics m = d->trainStep();
    const TrainConfig &t = d->config.training;
    if (d->writesFiles() && (m.step % t.log_interval == 0 || m.step == 1 || m.step == t.max_iters))
        d->run.appendMetric(stepMetricJson(m));
    if (d->observer)
        d->observer->onStep(m);
    return m;
}

EvalMetrics Trainer::evaluate()
{
    return d->evaluate();
}

StepMetrics Trainer::advance()
{
    const TrainConfig &t = d->config.training;
    if (d->state.step == 0 && !d->evaluatedAtStart) {
        d->evaluatedAtStart = true;
        d->evaluate();    // step 0: the loss before learning, ~ln(vocab_size)
        d->saveHistory(); // and the untrained weights, the first frame of the Inspector's slider
    }
    const StepMetrics m = trainStep();
    if (m.step % t.eval_interval == 0 || m.step == t.max_iters)
        d->evaluate();
    if (t.checkpoint_interval > 0 && m.step % t.checkpoint_interval == 0 && m.step != t.max_iters)
        d->save();
    return m;
}

void Trainer::run(const std::atomic_bool *stop)
{
    const TrainConfig &t = d->config.training;
    while (d->state.step < t.max_iters) {
        bool stopNow = stop && stop->load();
        if (d->group)
            stopNow = d->group->anyTrue(stopNow); // every rank stops after the same step, or none does
        if (stopNow) {
            d->message("Stopped at step " + std::to_string(d->state.step) + "; saving a checkpoint.");
            break;
        }
        advance();
    }
    d->save();
    if (d->state.step >= t.max_iters)
        d->message("Finished " + std::to_string(t.max_iters) + " steps; best val loss " +
                   describe(d->state.bestValLoss) + ".");
}

void Trainer::saveCheckpoint()
{
    d->save();
}

void Trainer::saveSnapshot(const std::string &dir) const
{
    RunDirectory snapshot(dir);
    snapshot.create();
    saveConfig(d->config, snapshot.configPath(), /*full=*/true);
    d->objective->tokenizer().save(snapshot.tokenizerPath());
    saveModelSafetensors(d->model, snapshot.weightsPath(), {{"step", std::to_string(d->state.step)}});
}

int64_t Trainer::currentStep() const
{
    return d->state.step;
}
bool Trainer::finished() const
{
    return d->state.step >= d->config.training.max_iters;
}
const Config &Trainer::config() const
{
    return d->config;
}
const Tokenizer &Trainer::tokenizer() const
{
    return d->objective->tokenizer();
}
MiniLLM Trainer::model() const
{
    return d->model;
}
LoadedRun Trainer::liveModel() const
{
    LoadedRun live;
    live.config = d->config;
    live.tokenizer = d->objective->tokenizer();
    live.net = d->model.ptr();
    live.step = d->state.step;
    return live;
}
std::string Trainer::deviceName() const
{
    return d->device.str();
}
const std::string &Trainer::runDirectory() const
{
    return d->run.path();
}

} // namespace llmf
