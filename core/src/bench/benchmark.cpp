#include "llmf/bench/benchmark.h"

#include "llmf/bench/backgroundload.h"

#include "llmf/common/error.h"
#include "llmf/common/systeminfo.h"
#include "llmf/data/corpus.h"
#include "llmf/data/trainingdata.h"
#include "llmf/infer/generator.h"
#include "llmf/model/accounting.h"
#include "llmf/model/minillm.h"
#include "llmf/quant/quantize.h"
#include "llmf/tokenizer/bpetrainer.h"
#include "llmf/run/rundirectory.h"
#include "llmf/train/trainer.h"

#include <torch/torch.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>

namespace llmf {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// A scratch run directory for the Trainer (it writes config.yaml and tokenizer.json), removed afterwards.
struct ScratchDirectory
{
    std::filesystem::path path;
    ScratchDirectory()
    {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("llmf-bench-" + std::to_string(rd()));
    }
    ~ScratchDirectory()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

void measureTraining(const Config &config, const TrainingData &data, const BenchOptions &options, BenchResult &r)
{
    ScratchDirectory scratch;
    Config c = config;
    c.training.max_iters = options.warmupSteps + options.steps;
    c.training.eval_interval = c.training.max_iters + 1; // no evaluations inside the timed steps
    c.training.checkpoint_interval = 0;
    Trainer trainer(c, data, scratch.path.string());
    for (int64_t i = 0; i < options.warmupSteps; ++i)
        trainer.trainStep(); // first steps allocate the optimiser state and warm the allocator
    const auto start = Clock::now();
    StepMetrics last;
    for (int64_t i = 0; i < options.steps; ++i)
        last = trainer.trainStep(); // ends with .item() on the loss: the step is really done
    const double seconds = secondsSince(start);
    r.trainThreadsIdle = last.threads;
    r.trainStepSeconds = seconds / static_cast<double>(options.steps);
    r.trainTokensPerSecond =
        static_cast<double>(options.steps * c.training.batch_size * c.training.grad_accum_steps * r.seqLen) / seconds;
    r.trainFlopsPerToken = trainingFlopsPerToken(c.model, r.seqLen);
    r.trainGflops = r.trainTokensPerSecond * r.trainFlopsPerToken / 1e9;
    r.device = trainer.deviceName();
}

// Generation speed of the app's Generator at batch 1. Untrained weights can sample <|endoftext|> early; a seed whose
// run reaches all `newTokens` is used so both variants decode the same full-length sequence.
void measureGeneration(const Config &config, const Tokenizer &tokenizer, const std::vector<int32_t> &prompt,
                       const BenchOptions &options, BenchResult &r, bool kvCacheOnly = false)
{
    torch::manual_seed(config.training.seed);
    MiniLLM model(config.model);
    model->eval();
    if (options.quantize != QuantType::None) { // the same weights, quantised: KV-cache decoding only
        LoadedRun fp32{config, tokenizer, model.ptr(), 0};
        QuantizeSummary summary;
        const LoadedRun quantized = quantizeLoadedRun(fp32, {options.quantize, true}, &summary);
        model = quantized.model();
        kvCacheOnly = true;
        r.quantization = quantTypeName(options.quantize);
        r.quantKernel = quantKernelName();
        r.fp32WeightsBytes = summary.fp32Bytes;
        r.quantizedWeightsBytes = summary.quantizedBytes;
    }
    Generator generator(model, tokenizer);
    generator.setCollectStages(false); // as the CLI does: stages are for the Playground's charts
    GenerationConfig g = config.generation;
    for (bool cache : {true, false}) {
        if (!cache && kvCacheOnly)
            break;
        g.use_kv_cache = cache;
        g.max_new_tokens = std::min<int64_t>(8, options.newTokens);
        generator.generate(prompt, g); // warm-up: thread pool, allocator, first-call dispatch
        g.max_new_tokens = options.newTokens;
        int64_t seed = 1;
        for (; seed <= 20; ++seed) {
            g.seed = seed;
            if (static_cast<int64_t>(generator.generate(prompt, g).generatedIds.size()) == options.newTokens)
                break;
        }
        // A cached run takes a fraction of a second, so one run is at the mercy of the machine: median of 3.
        std::vector<double> speeds;
        for (int run = 0; run < (cache ? 3 : 1); ++run) {
            const GenerationResult result = generator.generate(prompt, g);
            speeds.push_back(result.tokensPerSecond);
            r.newTokens = static_cast<int64_t>(result.generatedIds.size());
        }
        std::sort(speeds.begin(), speeds.end());
        (cache ? r.generateTokensPerSecondKv : r.generateTokensPerSecondNoCache) = speeds[speeds.size() / 2];
    }
}

void measurePrefill(const Config &config, const BenchOptions &options, BenchResult &r)
{
    torch::InferenceMode inference;
    MiniLLM model(config.model);
    model->eval();
    const int64_t tokens = std::min(options.prefillTokens, config.model.max_seq_len);
    const torch::Tensor idx = torch::randint(config.model.vocab_size, {1, tokens}, torch::kLong);
    std::vector<double> times;
    for (int i = 0; i < 7; ++i) {
        KVCache cache = model->makeCache(1);
        const auto start = Clock::now();
        const torch::Tensor logits = model->forward(idx, cache);
        (void)logits.sum().item<float>();
        times.push_back(secondsSince(start));
    }
    std::sort(times.begin(), times.end());
    r.prefillMs = times[times.size() / 2] * 1e3; // median: the first runs also allocate
    r.prefillTokens = tokens;
}

void measureTokenizer(const BenchOptions &options, BenchResult &r)
{
    std::string corpus;
    const std::string text = defaultCorpusText(&corpus);
    const auto start = Clock::now();
    BpeTrainer trainer;
    trainer.addText(text);
    trainer.train(options.tokenizerVocab);
    r.tokenizerTrainSeconds = secondsSince(start);
    r.tokenizerTextBytes = static_cast<int64_t>(text.size());
    r.tokenizerCorpus = corpus;
}

} // namespace

double measureMatmulGflops(int64_t n, int repeats)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor a = torch::randn({n, n});
    const torch::Tensor b = torch::randn({n, n});
    torch::Tensor c = torch::empty({n, n});
    torch::mm_out(c, a, b); // warm-up: BLAS thread pool and buffers
    double best = 0.0;
    for (int i = 0; i < repeats; ++i) {
        const auto start = Clock::now();
        torch::mm_out(c, a, b);
        best = std::max(best, 2.0 * static_cast<double>(n * n * n) / secondsSince(start) / 1e9);
    }
    return best;
}

double trainingFlopsPerToken(const ModelConfig &model, int64_t seqLen)
{
    // Every weight used in a matmul costs 2 flops per token forward and 4 backward; the embedding is a lookup.
    const ParameterBreakdown p = countParameters(model);
    const double matmulWeights =
        static_cast<double>(p.layers - p.nLayers * p.perLayer.norms + (p.lmHead > 0 ? p.lmHead : p.embedding));
    // Attention: QKᵀ and PV, each 2·T·(H·D) per token per layer forward, ×3 with backward (causal half not skipped).
    const double attention = 12.0 * static_cast<double>(model.n_layers * seqLen * model.n_heads * model.headDim());
    return 6.0 * matmulWeights + attention;
}

int64_t peakRssBytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<int64_t>(usage.ru_maxrss) * 1024; // Linux reports KiB
}

BenchResult runBenchmarks(const Config &configIn, const BenchOptions &options, const BenchLog &log)
{
    const auto say = [&log](const std::string &line) {
        if (log)
            log(line);
    };
    Config config = configIn;
    if (options.batchSize > 0)
        config.training.batch_size = options.batchSize;
    if (options.seqLen > 0)
        config.model.max_seq_len = options.seqLen;
    const SystemInfo info = systemInfo();
    BenchResult r;
    r.threads = info.torchThreads;
    r.blas = info.blasName;
    r.referenceBlas = info.referenceBlas;
    r.parameters = countParameters(config.model).total;
    r.batchSize = config.training.batch_size;
    r.seqLen = config.model.max_seq_len;
    const auto wants = [&options](const char *part) { return options.parts.count(part) > 0; };

    if (wants("matmul")) {
        say("matmul peak (fp32 1024³)…");
        r.matmulPeakGflops = measureMatmulGflops();
    }
    if (wants("train") || wants("generate")) {
        say("preparing data (tokenizer and token ids are cached)…");
        const TrainingData data = prepareTrainingData(config);
        const auto n = std::min<size_t>(data.tokens.size(), static_cast<size_t>(options.promptTokens));
        const std::vector<int32_t> prompt(data.tokens.begin(), data.tokens.begin() + n);
        if (wants("train")) {
            say("training: " + std::to_string(options.warmupSteps) + " warm-up + " + std::to_string(options.steps) +
                " timed steps…");
            measureTraining(config, data, options, r);
        }
        if (wants("generate")) {
            say("generation: " + std::to_string(options.newTokens) + " tokens with and without the KV cache…");
            BenchOptions fp32 = options;
            fp32.quantize = QuantType::None;
            measureGeneration(config, data.tokenizer, prompt, fp32, r);
            if (options.quantize != QuantType::None) {
                say(std::string("generation with the weights quantised to ") + quantTypeName(options.quantize) + "…");
                BenchResult quantized;
                measureGeneration(config, data.tokenizer, prompt, options, quantized);
                r.quantization = quantized.quantization;
                r.quantKernel = quantized.quantKernel;
                r.generateTokensPerSecondQuantized = quantized.generateTokensPerSecondKv;
                r.fp32WeightsBytes = quantized.fp32WeightsBytes;
                r.quantizedWeightsBytes = quantized.quantizedWeightsBytes;
            }
        }
        if (options.backgroundLoad > 0) {
            say("the same with " + std::to_string(options.backgroundLoad) + " busy process(es) running beside…");
            // The children stop by themselves after 10 minutes should this process die before reaping them.
            BackgroundLoad load(options.backgroundLoad, 600.0);
            r.backgroundLoad = load.processes();
            BenchOptions loaded = options;
            loaded.quantize = QuantType::None;
            loaded.warmupSteps = std::max<int64_t>(options.warmupSteps, 10); // the tuner moves, then checks once
            BenchResult scratch;
            scratch.seqLen = r.seqLen;
            if (wants("train")) {
                measureTraining(config, data, loaded, scratch);
                r.trainTokensPerSecondLoaded = scratch.trainTokensPerSecond;
                r.trainThreadsLoaded = scratch.trainThreadsIdle;
            }
            if (wants("generate")) {
                measureGeneration(config, data.tokenizer, prompt, loaded, scratch, /*kvCacheOnly=*/true);
                r.generateTokensPerSecondKvLoaded = scratch.generateTokensPerSecondKv;
            }
        }
    }
    if (wants("prefill")) {
        say("prefill of a " + std::to_string(options.prefillTokens) + "-token prompt…");
        measurePrefill(config, options, r);
    }
    if (wants("tokenizer")) {
        say("BPE training to " + std::to_string(options.tokenizerVocab) + " tokens on the default corpus…");
        measureTokenizer(options, r);
    }
    r.peakRssBytes = peakRssBytes();
    return r;
}

} // namespace llmf
