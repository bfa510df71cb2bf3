#include "llmf/train/trainer.h"

#include "llmf/common/error.h"
#include "llmf/common/threadtuner.h"
#include "llmf/config/configio.h"
#include "llmf/config/configschema.h"
#include "llmf/data/tokendataset.h"
#include "llmf/infer/generator.h"
#include "llmf/model/memoryfit.h"
#include "llmf/model/minillm.h"
#include "llmf/train/checkpoint.h"
#include "llmf/train/device.h"
#include "llmf/train/lrschedule.h"
#include "llmf/train/mixedprecision.h"
#include "llmf/train/rundirectory.h"
#include "llmf/train/safetensors.h"

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
    std::unique_ptr<BatchSampler> trainSampler;
    LossScaler scaler;
    TrainObserver *observer = nullptr;
    std::optional<ThreadTuner> threads; // CPU training adapts its thread count to what else runs (threadtuner.h)

    TrainerState state;
    double stepSecondsAverage = 0.0; // EMA, for the ETA
    Clock::time_point sessionStart = Clock::now();
    double elapsedBefore = 0.0; // training time of earlier sessions (resume)
    bool evaluatedAtStart = false;

    Impl(const Config &c, TrainingData d, const std::string &runDir)
        : config(c), data(std::move(d)), run(runDir), scaler(config.training.dtype == "float16")
    {
        // Before the first allocation: an oversized model is refused with numbers, not an allocator backtrace.
        requireTrainingMemory(config);
        device = resolveDevice(config.training.device);
        autocast = autocastDtype(config.training.dtype, device);
        if (device.is_cpu() && ThreadTuner::enabledByEnvironment())
            threads.emplace(torch::get_num_threads());
        if (data.tokenizer.vocabSize() > config.model.vocab_size)
            throw Error("The tokenizer has " + std::to_string(data.tokenizer.vocabSize()) +
                        " tokens but model.vocab_size is " + std::to_string(config.model.vocab_size) + ".");
        torch::manual_seed(static_cast<uint64_t>(config.training.seed));
        model = MiniLLM(config.model);
        model->to(device);
        model->train();
        optimizer = makeOptimizer(model, config.training);

        dataset = std::make_unique<TokenDataset>(data.tokens, config.data.split_ratio);
        trainSampler = std::make_unique<BatchSampler>(dataset->train(), config.training.batch_size, seqLen(),
                                                      static_cast<uint64_t>(config.training.seed), "training");
        // Fail now, not at the first evaluation, when the validation split is too short.
        BatchSampler(dataset->val(), 1, seqLen(), 0, "validation");
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
        for (int s = 0; s < 2; ++s) {
            // Fixed seeds: every evaluation sees the same batches, so the curve shows learning, not sampling noise.
            BatchSampler sampler(*splits[s], config.training.batch_size, seqLen(), 1000003ULL * (s + 1));
            torch::Tensor total = torch::zeros({}, torch::TensorOptions().device(device));
            for (int64_t i = 0; i < config.training.eval_iters; ++i) {
                const auto batch = sampler.next();
                AutocastScope scope(autocast, device);
                total += model->forwardLoss(batch.x.to(device), batch.y.to(device)).detach();
            }
            *targets[s] = total.item<double>() / static_cast<double>(config.training.eval_iters);
        }
        model->train();
        if (m.valLoss < state.bestValLoss)
            state.bestValLoss = m.valLoss;
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
            const auto batch = trainSampler->next();
            torch::Tensor loss;
            {
                AutocastScope scope(autocast, device);
                loss = model->forwardLoss(batch.x.to(device), batch.y.to(device)); // ()
            }
            lossSum += loss.detach();
            scaler.scale(loss / static_cast<double>(t.grad_accum_steps)).backward();
        }
        const double loss = lossSum.item<double>() / static_cast<double>(t.grad_accum_steps);
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

        const int64_t tokens = t.batch_size * seqLen() * t.grad_accum_steps;
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
        return m;
    }

    double elapsed() const
    {
        return elapsedBefore + std::chrono::duration<double>(Clock::now() - sessionStart).count();
    }

    void save()
    {
        state.elapsedSeconds = elapsed();
        state.samplerRng = trainSampler->rngState();
        state.lossScale = scaler.scaleValue();
        llmf::saveCheckpoint(run, model, *optimizer, state);
        saveHistory();
        if (observer)
            observer->onCheckpoint(run.path(), state.step);
    }

    // A weights-only snapshot for the Inspector's slider over the run's life (the full checkpoint keeps only the
    // latest state, for resuming).
    void saveHistory()
    {
        if (config.training.keep_checkpoints <= 0)
            return;
        std::error_code ignored;
        std::filesystem::create_directories(std::filesystem::path(run.path()) / "checkpoints", ignored);
        saveModelSafetensors(model, run.historyPath(state.step), {{"step", std::to_string(state.step)}});
        run.pruneHistory(config.training.keep_checkpoints);
    }
};

Trainer::Trainer(std::unique_ptr<Impl> impl) : d(std::move(impl)) {}

Trainer::Trainer(const Config &config, TrainingData data, const std::string &runDir)
    : d(std::make_unique<Impl>(config, std::move(data), runDir))
{
    d->run.create();
    saveConfig(d->config, d->run.configPath(), /*full=*/true);
    d->data.tokenizer.save(d->run.tokenizerPath());
    d->run.truncateMetricsAfter(-1);
}

Trainer::~Trainer() = default;

Config Trainer::resumeConfig(const std::string &runDir, const Config *requested)
{
    RunDirectory run(runDir);
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

std::unique_ptr<Trainer> Trainer::resume(const std::string &runDir, const Config &config, TrainingData data)
{
    auto impl = std::make_unique<Impl>(config, std::move(data), runDir);
    RunDirectory &run = impl->run;
    if (tokenizerFingerprint(impl->data.tokenizer) != tokenizerFingerprint(run.loadTokenizer()))
        throw Error("The data was tokenised with another tokenizer than the run's tokenizer.json.",
                    "Resume through Trainer::resumeConfig(), which points data.tokenizer_path at the run's tokenizer.");
    impl->state = llmf::loadCheckpoint(run, impl->model, *impl->optimizer);
    impl->trainSampler->setRngState(impl->state.samplerRng);
    impl->scaler.setScaleValue(impl->state.lossScale);
    impl->elapsedBefore = impl->state.elapsedSeconds;
    run.truncateMetricsAfter(impl->state.step);
    saveConfig(impl->config, run.configPath(), /*full=*/true);
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
    if (m.step % t.log_interval == 0 || m.step == 1 || m.step == t.max_iters)
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
        if (stop && stop->load()) {
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
