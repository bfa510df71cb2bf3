#pragma once

#include "llmf/config/config.h"
#include "llmf/kernels/quantizedmatrix.h"

#include <cstdint>
#include <functional>
#include <set>
#include <string>

namespace llmf {

// What `llmf bench` and `make bench` measure, on this machine, with the app's real code paths: the Trainer's step
// (forward + backward + AdamW + clipping), the Generator with and without the KV cache, a prefill forward, the BPE
// trainer, and an fp32 matmul as the machine's yardstick. Ratios against the PyTorch reference are computed by
// tests/benchmarks/compare.py from this JSON.
struct BenchOptions
{
    int64_t batchSize = 0;     // 0 = the config's
    int64_t seqLen = 0;        // 0 = the config's max_seq_len
    int64_t steps = 10;        // timed training steps (after warmupSteps untimed ones)
    int64_t warmupSteps = 8;   // untimed: allocation, and the thread tuner's first look (threadtuner.h)
    int64_t newTokens = 200;   // generation at batch 1
    int64_t promptTokens = 16; // prompt for the generation runs
    int64_t prefillTokens = 256;
    int tokenizerVocab = 8192;
    // Busy processes started beside a second round of the training and generation measurements (0 = none): the
    // "*Loaded" results. They stop by themselves and are reaped before runBenchmarks() returns.
    int backgroundLoad = 0;
    // Also generation with the same weights quantised (int8/int4), measured right after the fp32 run.
    QuantType quantize = QuantType::None;
    // train, generate, prefill, tokenizer, matmul
    std::set<std::string> parts = {"train", "generate", "prefill", "tokenizer", "matmul"};
};

struct BenchResult
{
    int threads = 1;
    std::string blas;
    bool referenceBlas = false;
    std::string device = "cpu";
    int64_t parameters = 0;
    int64_t batchSize = 0;
    int64_t seqLen = 0;

    double trainTokensPerSecond = 0.0;
    double trainStepSeconds = 0.0;
    double trainFlopsPerToken = 0.0; // 6·N (matmul weights) + 12·L·T·C (attention scores and mix), per token
    double trainGflops = 0.0;        // achieved
    double matmulPeakGflops = 0.0;   // best fp32 n×n matmul on this machine, same threads

    int64_t newTokens = 0;
    double generateTokensPerSecondKv = 0.0;
    double generateTokensPerSecondNoCache = 0.0;
    double prefillMs = 0.0;
    // The same measurements with BenchOptions::backgroundLoad busy processes running (0 when not measured), and the
    // thread count the adaptive tuner ended on in each.
    int backgroundLoad = 0;
    double trainTokensPerSecondLoaded = 0.0;
    double generateTokensPerSecondKvLoaded = 0.0;
    int trainThreadsLoaded = 0;
    int trainThreadsIdle = 0;
    int64_t prefillTokens = 0; // min(requested, max_seq_len)
    // BenchOptions::quantize: its name, the generation speed and model.safetensors' size before and after.
    std::string quantization;
    std::string quantKernel; // "avx512", "avx2" or "portable"
    double generateTokensPerSecondQuantized = 0.0;
    int64_t fp32WeightsBytes = 0;
    int64_t quantizedWeightsBytes = 0;

    double tokenizerTrainSeconds = 0.0;
    int64_t tokenizerTextBytes = 0;
    std::string tokenizerCorpus;

    int64_t peakRssBytes = 0; // of this process, at the end
};

using BenchLog = std::function<void(const std::string &)>;

BenchResult runBenchmarks(const Config &config, const BenchOptions &options, const BenchLog &log = {});

// Best GFLOP/s of an n×n×n fp32 matmul over `repeats` runs (2·n³ flops each).
double measureMatmulGflops(int64_t n = 1024, int repeats = 10);
// Training FLOPs per token for a model at context length T (Kaplan/PaLM accounting).
double trainingFlopsPerToken(const ModelConfig &model, int64_t seqLen);
// Peak resident set size of this process (getrusage).
int64_t peakRssBytes();

} // namespace llmf
