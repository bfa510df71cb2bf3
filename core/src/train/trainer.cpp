#include "llmf/train/trainer.h"
#include "llmf/train/runlock.h"

#include "llmf/common/error.h"
#include "llmf/common/threadtuner.h"
#include "llmf/config/configio.h"
#include "llmf/config/configschema.h"
#include "llmf/data/tokendataset.h"
#include "llmf/infer/generator.h"
#include "llmf/model/memoryfit.h"
#include "llmf/model/minillm.h"
#include "llmf/quant/quantize.h"
#include "llmf/train/checkpoint.h"
#include "llmf/train/device.h"
#include "llmf/train/lrschedule.h"
#include "llmf/train/mixedprecision.h"
#include "llmf/train/processgroup.h"
#include "llmf/train/rundirectory.h"
#include "llmf/train/safetensors.h"

#include <nlohmann/json.hpp>

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
std::unique_ptr<torch::optim::AdamW> makeOptimizer(MiniLLM &model, const TrainConfig &t)
{
    std::vector<torch::Tensor> decay, noDecay;
    for (auto &p : model->parameters())
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

// Data streams: every micro-batch of a global step has its own sampler, numbered rank × grad_accum_steps +
// micro-batch. Stream 0 is seeded with training.seed (so a single process without accumulation draws what it
// always drew), stream s with a seed derived from it. Two processes with grad_accum_steps 1 therefore see exactly
// the batches one process with grad_accum_steps 2 sees, and a run may resume with another process count as long
// as processes × grad_accum_steps stays the same.
uint64_t streamSeed(int64_t seed, int64_t stream)
{
    return static_cast<uint64_t>(seed) + 0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(stream);
}

std::string joinStates(const std::vector<std::string> &states)
{
    nlohmann::json json = states;
    return json.dump();
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
    TrainingData data;
    RunDirectory run;
    torch::Device device{torch::kCPU};
    std::optional<torch::ScalarType> autocast;
    MiniLLM model{nullptr};
    std::unique_ptr<torch::optim::AdamW> optimizer;
    std::unique_ptr<TokenDataset> dataset;
    std::vector<std::unique_ptr<BatchSampler>> samplers; // this rank's data streams, one per micro-batch
    std::shared_ptr<ProcessGroup> group;                 // null for a single process
    LossScaler scaler;
    TrainObserver *observer = nullptr;
    std::unique_ptr<RunLock> lock;      // the process that writes the run holds it until the Trainer is gone
    std::optional<ThreadTuner> threads; // CPU training adapts its thread count to what else runs (threadtuner.h)

    TrainerState state;
    double stepSecondsAverage = 0.0; // EMA, for the ETA
    Clock::time_point sessionStart = Clock::now();
    double elapsedBefore = 0.0; // training time of earlier sessions (resume)
    bool evaluatedAtStart = false;
    int64_t savedStep = -1; // the step of the checkpoint on disk

    Impl(const Config &c, TrainingData d, const std::string &runDir, std::shared_ptr<ProcessGroup> processGroup)
        : config(c), data(std::move(d)), run(runDir), group(std::move(processGroup)),
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
        if (data.tokenizer.vocabSize() > config.model.vocab_size)
            throw Error("The tokenizer has " + std::to_string(data.tokenizer.vocabSize()) +
                        " tokens but model.vocab_size is " + std::to_string(config.model.vocab_size) + ".");
        torch::manual_seed(static_cast<uint64_t>(config.training.seed));
        model = MiniLLM(config.model);
        model->to(device);
        model->train();
        if (group) {
            checkSameSetup();
            group->broadcast(model->parameters()); // rank 0's initial weights everywhere
            // Each rank its own dropout masks (rank 0 keeps the seed's, as a single process would).
            if (rank() > 0)
                torch::manual_seed(streamSeed(config.training.seed, -rank()));
        }
        optimizer = makeOptimizer(model, config.training);

        dataset = std::make_unique<TokenDataset>(data.tokens, config.data.split_ratio);
        const int64_t accum = config.training.grad_accum_steps;
        for (int64_t micro = 0; micro < accum; ++micro)
            samplers.push_back(std::make_unique<BatchSampler>(dataset->train(), config.training.batch_size, seqLen(),
                                                              streamSeed(config.training.seed, rank() * accum + micro),
                                                              "training"));
        state.dataFingerprint = dataFingerprint(data.tokens);
        // Fail now, not at the first evaluation, when the validation split is too short.
        BatchSampler(dataset->val(), 1, seqLen(), 0, "validation");
    }

    int rank() const { return group ? group->rank() : 0; }
    int worldSize() const { return group ? group->size() : 1; }
    bool writesFiles() const { return rank() == 0; } // rank 0 alone writes the run directory

    // Every rank must train the same model on the same tokens: compared at rendezvous, by key, so a rank
    // started with another --set or another corpus stops at once with the key that differs.
    void checkSameSetup()
    {
        const std::string mine = configToYaml(config, /*full=*/true) + "\n# tokenizer " +
                                 std::to_string(tokenizerFingerprint(data.tokenizer)) + "\n# tokens " +
                                 std::to_string(data.tokens.size()) + "\n";
        const auto all = group->allGather(mine);
        for (int r = 1; r < static_cast<int>(all.size()); ++r) {
            if (all[r] == all[0])
                continue;
            std::string detail = "its tokenizer or training text";
            try {
                const Config first = parseConfig(all[0], "rank 0"),
                             other = parseConfig(all[r], "rank " + std::to_string(r));
                for (const auto &spec : configFields())
                    if (getField(first, spec) != getField(other, spec)) {
                        detail = spec.path() + " (" + formatFieldValue(getField(other, spec)) + " on rank " +
                                 std::to_string(r) + ", " + formatFieldValue(getField(first, spec)) + " on rank 0)";
                        break;
                    }
            } catch (const Error &) {
            }
            throw Error("Rank " + std::to_string(r) + "'s configuration differs from rank 0's: " + detail + ".",
                        "Start every worker with the same --config, --set and --data; `llmf train "
                        "--nproc-per-node N` does.");
        }
    }

    int64_t seqLen() const { return config.training.seq_len > 0 ? config.training.seq_len : config.model.max_seq_len; }

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
        const torch::Tensor *splits[] = {&dataset->train(), &dataset->val()};
        double *targets[] = {&m.trainLoss, &m.valLoss};
        torch::Tensor totals = torch::zeros({2}, torch::TensorOptions().dtype(torch::kFloat64));
        for (int s = 0; s < 2; ++s) {
            // Fixed seeds: every evaluation sees the same batches, so the curve shows learning, not sampling noise.
            BatchSampler sampler(*splits[s], config.training.batch_size, seqLen(), 1000003ULL * (s + 1));
            torch::Tensor total = torch::zeros({}, torch::TensorOptions().device(device));
            for (int64_t i = 0; i < config.training.eval_iters; ++i) {
                const auto batch = sampler.next();
                if (i % worldSize() != rank())
                    continue; // the ranks share the batches out: the mean is one process's, in 1/N of the time
                AutocastScope scope(autocast, device);
                total += model->forwardLoss(batch.x.to(device), batch.y.to(device)).detach();
            }
            totals[s] = total.item<double>();
        }
        if (group) {
            torch::Tensor shared = totals.to(group->device());
            group->allReduceSum(shared);
            totals = shared.cpu();
        }
        for (int s = 0; s < 2; ++s)
            *targets[s] = totals[s].item<double>() / static_cast<double>(config.training.eval_iters);
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
        torch::Tensor lossSum = torch::zeros({}, torch::TensorOptions().device(device));
        for (int64_t micro = 0; micro < t.grad_accum_steps; ++micro) {
            const auto batch = samplers[static_cast<size_t>(micro)]->next();
            torch::Tensor loss;
            {
                AutocastScope scope(autocast, device);
                loss = model->forwardLoss(batch.x.to(device), batch.y.to(device)); // ()
            }
            lossSum += loss.detach();
            scaler.scale(loss / static_cast<double>(t.grad_accum_steps)).backward();
        }
        double loss = lossSum.item<double>() / static_cast<double>(t.grad_accum_steps);
        const double computeSeconds = std::chrono::duration<double>(Clock::now() - start).count();
        double allReduceSeconds = 0.0;
        std::vector<double> rankSeconds;
        if (group) {
            // Mean gradient over the ranks (clipping and the AdamW step below then act identically everywhere),
            // and each rank's loss and compute time, so all report the global step.
            const auto syncStart = Clock::now();
            group->averageGradients(model->parameters());
            allReduceSeconds = std::chrono::duration<double>(Clock::now() - syncStart).count();
            const int n = worldSize();
            torch::Tensor stats = torch::zeros({2 * n}, torch::TensorOptions().dtype(torch::kFloat64));
            stats[rank()] = loss;
            stats[n + rank()] = computeSeconds;
            stats = stats.to(group->device());
            group->allReduceSum(stats);
            stats = stats.cpu();
            loss = stats.narrow(0, 0, n).mean().item<double>();
            for (int r = 0; r < n; ++r)
                rankSeconds.push_back(stats[n + r].item<double>());
        }
        if (!std::isfinite(loss))
            throw Error("Training stopped: the loss became " + std::string(std::isnan(loss) ? "NaN" : "infinite") +
                            " at step " + std::to_string(state.step + 1) +
                            ". The last good checkpoint in the run directory was kept.",
                        "Lower training.learning_rate (now " + formatFieldValue(t.learning_rate) +
                            ") or keep training.grad_clip at 1.0.");

        const bool finite = scaler.unscale(model->parameters());
        // clip_grad_norm_ returns the norm *before* clipping; with clipping off, an infinite bound only measures.
        const double maxNorm = t.grad_clip > 0 ? t.grad_clip : std::numeric_limits<double>::infinity();
        const double gradNorm = finite ? torch::nn::utils::clip_grad_norm_(model->parameters(), maxNorm)
                                       : std::numeric_limits<double>::infinity();
        if (finite)
            optimizer->step();
        scaler.update(finite);
        ++state.step;

        const int64_t rankTokens = t.batch_size * seqLen() * t.grad_accum_steps;
        const int64_t tokens = rankTokens * worldSize();
        state.tokensSeen += tokens;
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        if (threads)
            threads->record(seconds);
        stepSecondsAverage = stepSecondsAverage == 0.0 ? seconds : 0.9 * stepSecondsAverage + 0.1 * seconds;

        StepMetrics m;
        m.threads = threadsUsed;
        m.step = state.step;
        m.maxSteps = t.max_iters;
        m.loss = loss;
        m.learningRate = lr;
        m.gradNorm = gradNorm;
        m.tokensPerSecond = seconds > 0 ? tokens / seconds : 0.0;
        m.elapsedSeconds = elapsed();
        m.etaSeconds = stepSecondsAverage * static_cast<double>(std::max<int64_t>(0, t.max_iters - state.step));
        m.tokensSeen = state.tokensSeen;
        m.worldSize = worldSize();
        m.allReduceSeconds = allReduceSeconds;
        m.stepSeconds = seconds;
        for (double rs : rankSeconds)
            m.rankTokensPerSecond.push_back(rs > 0 ? static_cast<double>(rankTokens) / rs : 0.0);
        return m;
    }

    // After loadCheckpoint(): this rank's data streams and dropout RNG from the saved state.
    void restoreStreams()
    {
        const auto accum = static_cast<size_t>(config.training.grad_accum_steps);
        const auto wanted = static_cast<size_t>(worldSize()) * accum;
        const auto &saved = state.samplerRngs;
        const bool versionOneWithAccumulation = saved.size() == 1 && state.worldSize == 1 && worldSize() == 1;
        if (saved.size() != wanted && !versionOneWithAccumulation) {
            const size_t savedAccum = saved.size() / static_cast<size_t>(state.worldSize);
            throw Error(
                "This run was trained with " + std::to_string(state.worldSize) + " process(es) x " +
                    "grad_accum_steps " + std::to_string(savedAccum) + " = " + std::to_string(saved.size()) +
                    " batches per step; resuming with " + std::to_string(worldSize()) + " x " + std::to_string(accum) +
                    " = " + std::to_string(wanted) + " would change the batch size and which batches follow.",
                "Resume with processes x training.grad_accum_steps = " + std::to_string(saved.size()) +
                    " (e.g. --nproc-per-node " + std::to_string(state.worldSize) +
                    ", or --set training.grad_accum_steps=" + std::to_string(saved.size()) + " in one process).");
        }
        // A version-1 state had one sampler for all micro-batches: stream 0 continues it, the others start.
        for (size_t micro = 0; micro < accum; ++micro) {
            const size_t stream = static_cast<size_t>(rank()) * accum + micro;
            if (stream < saved.size())
                samplers[micro]->setRngState(saved[stream]);
        }
        // Dropout masks continue exactly when the process count is the same; otherwise the new ranks start
        // from their seeds (with dropout 0, as in every preset, nothing changes).
        if (rank() > 0 && rank() < state.worldSize)
            setCpuRngStateHex(state.rankCpuRngs[static_cast<size_t>(rank() - 1)]);
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
        std::vector<std::string> mine;
        for (const auto &sampler : samplers)
            mine.push_back(sampler->rngState());
        state.samplerRngs = mine;
        state.rankCpuRngs.clear();
        if (group) {
            // Rank 0 writes every rank's data streams and dropout RNG, so a resume continues bit for bit.
            const auto streams = group->allGather(joinStates(mine));
            const auto rngs = group->allGather(cpuRngStateHex());
            state.samplerRngs.clear();
            for (const auto &text : streams)
                for (const auto &one : nlohmann::json::parse(text))
                    state.samplerRngs.push_back(one.get<std::string>());
            state.rankCpuRngs.assign(rngs.begin() + 1, rngs.end());
        }
        savedStep = state.step;
        if (!writesFiles())
            return;
        llmf::saveCheckpoint(run, model, *optimizer, state);
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

Trainer::Trainer(const Config &config, TrainingData data, const std::string &runDir,
                 std::shared_ptr<ProcessGroup> group)
    : d(std::make_unique<Impl>(config, std::move(data), runDir, std::move(group)))
{
    if (!d->writesFiles())
        return;
    saveConfig(d->config, d->run.configPath(), /*full=*/true);
    d->data.tokenizer.save(d->run.tokenizerPath());
    d->run.truncateMetricsAfter(-1);
}

Trainer::~Trainer() = default;

Config Trainer::resumeConfig(const std::string &runDir, const Config *requested)
{
    RunDirectory run(runDir);
    std::error_code ec;
    if (!run.hasCheckpoint() && std::filesystem::is_regular_file(run.legacyOptimizerPath(), ec))
        throw Error(
            "'" + runDir +
                "' was saved by an earlier LLM Foundry, whose optimizer state (optimizer.pt) is a "
                "LibTorch archive: loading one compiles and can run code stored in it, so this version does not "
                "read it.",
            "Its weights open everywhere (generate, the Inspector, export). To train on, start a new run; "
            "if you trust the file, resume it with the earlier version and save once more.");
    if (!run.hasCheckpoint())
        throw Error("'" + runDir + "' has no checkpoint to resume (trainer_state.json is missing).",
                    "Start a new run with --out, or pick a run directory that was saved.");
    Config config = run.loadConfig();
    if (requested) {
        Config wanted = *requested;
        wanted.model.ffn_hidden_dim = wanted.model.resolvedFfnHiddenDim();
        for (const auto &spec : configFields()) {
            if (spec.section != "model")
                continue;
            if (getField(wanted, spec) != getField(config, spec))
                throw Error("Cannot resume '" + runDir + "' with a different model: " + spec.path() + " is " +
                                formatFieldValue(getField(config, spec)) + " in the run but " +
                                formatFieldValue(getField(wanted, spec)) + " in the requested config.",
                            "The weights have the run's shape. Resume without --config, or start a new run.");
        }
        config.training = requested->training;
        config.generation = requested->generation;
        config.data.file_path = requested->data.file_path;
        config.data.corpus = requested->data.corpus;
    }
    config.data.tokenizer_path = run.tokenizerPath();
    return config;
}

std::unique_ptr<Trainer> Trainer::resume(const std::string &runDir, const Config &config, TrainingData data,
                                         std::shared_ptr<ProcessGroup> group)
{
    auto impl = std::make_unique<Impl>(config, std::move(data), runDir, std::move(group));
    RunDirectory &run = impl->run;
    if (tokenizerFingerprint(impl->data.tokenizer) != tokenizerFingerprint(run.loadTokenizer()))
        throw Error("The data was tokenised with another tokenizer than the run's tokenizer.json.",
                    "Resume through Trainer::resumeConfig(), which points data.tokenizer_path at the run's tokenizer.");
    const std::string fingerprint = impl->state.dataFingerprint;
    impl->state = llmf::loadCheckpoint(run, impl->model, *impl->optimizer);
    if (!impl->state.dataFingerprint.empty() && impl->state.dataFingerprint != fingerprint)
        throw Error("The training text of '" + runDir + "' changed since its last checkpoint (step " +
                        std::to_string(impl->state.step) + "): resuming would continue on other data than the " +
                        "weights and the data order were saved with.",
                    "Put the original text back at data.file_path (or the same corpus), or start a new run on the "
                    "new text.");
    impl->state.dataFingerprint = fingerprint;
    impl->savedStep = impl->state.step;
    impl->restoreStreams();
    impl->scaler.setScaleValue(impl->state.lossScale);
    impl->elapsedBefore = impl->state.elapsedSeconds;
    if (impl->writesFiles()) {
        run.truncateMetricsAfter(impl->state.step);
        saveConfig(impl->config, run.configPath(), /*full=*/true);
    }
    return std::unique_ptr<Trainer>(new Trainer(std::move(impl)));
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
    d->data.tokenizer.save(snapshot.tokenizerPath());
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
    return d->data.tokenizer;
}
MiniLLM Trainer::model() const
{
    return d->model;
}
Generator Trainer::generator() const
{
    return Generator(d->model, d->data.tokenizer);
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
