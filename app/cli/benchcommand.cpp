// llmf bench: what this machine does with a configuration — training tokens/s (and GFLOP/s against the measured
// matmul peak), generation tokens/s with and without the KV cache, prefill, BPE training, peak memory.
#include "commands.h"

#include "llmf/bench/benchmark.h"
#include "llmf/common/error.h"
#include "llmf/common/systeminfo.h"
#include "llmf/config/configio.h"
#include "llmf/config/presets.h"
#include "llmf/model/accounting.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

namespace llmf::cli {

namespace {

struct BenchArgs
{
    std::string config = "small";
    int64_t batchSize = 0;
    int64_t seqLen = 0;
    int64_t steps = 10;
    int64_t newTokens = 200;
    int threads = 0;
    std::string parts = "train,generate,prefill,tokenizer,matmul";
    std::vector<std::string> overrides;
    int backgroundLoad = 0;
    std::string quantize;
    bool json = false;
};

std::set<std::string> parseParts(const std::string &list)
{
    static const std::set<std::string> known = {"train", "generate", "prefill", "tokenizer", "matmul"};
    std::set<std::string> parts;
    std::stringstream in(list);
    for (std::string part; std::getline(in, part, ',');) {
        if (!known.count(part))
            throw Error("unknown benchmark part \"" + part + "\"",
                        "use a comma-separated list of train, generate, prefill, tokenizer, matmul");
        parts.insert(part);
    }
    return parts;
}

nlohmann::json toJson(const BenchResult &r, const std::string &configName)
{
    return {{"config", configName},
            {"threads", r.threads},
            {"blas", r.blas},
            {"reference_blas", r.referenceBlas},
            {"device", r.device},
            {"torch_version", systemInfo().torchVersion},
            {"parameters", r.parameters},
            {"batch_size", r.batchSize},
            {"seq_len", r.seqLen},
            {"train_tokens_per_s", r.trainTokensPerSecond},
            {"train_step_s", r.trainStepSeconds},
            {"train_flops_per_token", r.trainFlopsPerToken},
            {"train_gflops", r.trainGflops},
            {"matmul_peak_gflops", r.matmulPeakGflops},
            {"new_tokens", r.newTokens},
            {"generate_tokens_per_s_kv_cache", r.generateTokensPerSecondKv},
            {"generate_tokens_per_s_no_cache", r.generateTokensPerSecondNoCache},
            {"prefill_ms", r.prefillMs},
            {"prefill_tokens", r.prefillTokens},
            {"tokenizer_train_s", r.tokenizerTrainSeconds},
            {"tokenizer_text_bytes", r.tokenizerTextBytes},
            {"tokenizer_corpus", r.tokenizerCorpus},
            {"peak_rss_bytes", r.peakRssBytes},
            {"background_load", r.backgroundLoad},
            {"train_threads", r.trainThreadsIdle},
            {"train_tokens_per_s_loaded", r.trainTokensPerSecondLoaded},
            {"train_threads_loaded", r.trainThreadsLoaded},
            {"generate_tokens_per_s_kv_cache_loaded", r.generateTokensPerSecondKvLoaded},
            {"quantization", r.quantization},
            {"quant_kernel", r.quantKernel},
            {"generate_tokens_per_s_quantized", r.generateTokensPerSecondQuantized},
            {"fp32_weights_bytes", r.fp32WeightsBytes},
            {"quantized_weights_bytes", r.quantizedWeightsBytes}};
}

void printTable(const BenchResult &r, const std::string &configName)
{
    std::printf("llmf bench — %s (%s parameters), batch %lld × %lld tokens, %d thread(s), %s, device %s\n",
                configName.c_str(), humanCount(r.parameters).c_str(), static_cast<long long>(r.batchSize),
                static_cast<long long>(r.seqLen), r.threads, r.blas.c_str(), r.device.c_str());
    if (r.matmulPeakGflops > 0)
        std::printf("  %-28s %10.1f GFLOP/s\n", "fp32 matmul peak (1024³)", r.matmulPeakGflops);
    if (r.trainTokensPerSecond > 0) {
        std::printf("  %-28s %10.0f tokens/s   (%.3f s/step, %.1f GFLOP/s", "training", r.trainTokensPerSecond,
                    r.trainStepSeconds, r.trainGflops);
        if (r.matmulPeakGflops > 0)
            std::printf(" = %.0f %% of the matmul peak", 100.0 * r.trainGflops / r.matmulPeakGflops);
        std::printf(")\n");
    }
    if (r.generateTokensPerSecondKv > 0) {
        std::printf("  %-28s %10.0f tokens/s   (batch 1, %lld new tokens)\n", "generation, KV cache",
                    r.generateTokensPerSecondKv, static_cast<long long>(r.newTokens));
        std::printf("  %-28s %10.0f tokens/s   (the cache is %.1fx faster)\n", "generation, no cache",
                    r.generateTokensPerSecondNoCache, r.generateTokensPerSecondKv / r.generateTokensPerSecondNoCache);
    }
    if (r.generateTokensPerSecondQuantized > 0) {
        const std::string label = "generation, " + r.quantization;
        std::printf("  %-28s %10.0f tokens/s   (%.2fx fp32; %s kernel; weights %s instead of %s)\n", label.c_str(),
                    r.generateTokensPerSecondQuantized,
                    r.generateTokensPerSecondQuantized / r.generateTokensPerSecondKv, r.quantKernel.c_str(),
                    humanBytes(r.quantizedWeightsBytes).c_str(), humanBytes(r.fp32WeightsBytes).c_str());
    }
    if (r.prefillMs > 0)
        std::printf("  %-28s %10.1f ms         (a %lld-token prompt)\n", "prefill", r.prefillMs,
                    static_cast<long long>(r.prefillTokens));
    if (r.tokenizerTrainSeconds > 0)
        std::printf("  %-28s %10.2f s          (vocab 8192 on %s, %s)\n", "BPE tokenizer training",
                    r.tokenizerTrainSeconds, r.tokenizerCorpus.c_str(), humanBytes(r.tokenizerTextBytes).c_str());
    std::printf("  %-28s %10s\n", "peak memory (RSS)", humanBytes(r.peakRssBytes).c_str());
    if (r.backgroundLoad > 0) {
        // Each busy process takes a core; a fair scheduler leaves us at least the rest, or one process's share.
        const double n = r.backgroundLoad, cores = std::max(1, r.threads);
        const double fairShare = std::max(1.0 / (1.0 + n), std::max(0.0, cores - n) / cores);
        std::printf("with %d busy process(es) beside (idle → loaded, ratio; the fair share here is %.2f):\n",
                    r.backgroundLoad, fairShare);
        if (r.trainTokensPerSecondLoaded > 0)
            std::printf("  %-28s %10.0f → %.0f tokens/s (%.2fx; %d → %d thread(s))\n", "training",
                        r.trainTokensPerSecond, r.trainTokensPerSecondLoaded,
                        r.trainTokensPerSecondLoaded / r.trainTokensPerSecond, r.trainThreadsIdle,
                        r.trainThreadsLoaded);
        if (r.generateTokensPerSecondKvLoaded > 0)
            std::printf("  %-28s %10.0f → %.0f tokens/s (%.2fx)\n", "generation, KV cache", r.generateTokensPerSecondKv,
                        r.generateTokensPerSecondKvLoaded,
                        r.generateTokensPerSecondKvLoaded / r.generateTokensPerSecondKv);
    }
}

} // namespace

void addBenchCommand(CLI::App &app)
{
    auto args = std::make_shared<BenchArgs>();
    auto *bench = app.add_subcommand("bench", "Measure training and generation speed on this machine");
    bench->add_option("--config", args->config, "YAML file or preset name (default: small)");
    bench->add_option("--batch-size", args->batchSize, "Sequences per training step (default: the config's)");
    bench->add_option("--seq-len", args->seqLen, "Tokens per sequence (default: the config's max_seq_len)");
    bench->add_option("--steps", args->steps, "Timed training steps (after 8 warm-up steps)")
        ->check(CLI::PositiveNumber);
    bench->add_option("--new-tokens", args->newTokens, "Tokens to generate at batch 1")->check(CLI::PositiveNumber);
    bench->add_option("--threads", args->threads, "Intra-op threads (default: physical cores)");
    bench->add_option("--parts", args->parts, "Comma-separated: train,generate,prefill,tokenizer,matmul");
    bench->add_option("--set", args->overrides, "Override a config value: section.key=value (repeatable)");
    bench
        ->add_option("--background-load", args->backgroundLoad,
                     "Measure training and generation again with N busy processes beside (they stop by themselves)")
        ->check(CLI::Range(0, 64));
    bench->add_option("--quantize", args->quantize, "Also generate with the weights quantised: int8 or int4")
        ->check(CLI::IsMember({"int8", "int4"}));
    bench->add_flag("--json", args->json, "Print JSON (train_tokens_per_s, generate_tokens_per_s_kv_cache, …)");
    addServeBench(*bench);
    bench->callback([args, bench] {
        if (bench->got_subcommand("serve"))
            return; // `llmf bench serve` ran its own measurement
        Config config = loadConfigOrPreset(args->config, DataPathRule::AsWritten);
        for (const auto &o : args->overrides)
            applyOverride(config, o);
        if (args->threads > 0)
            setThreads(args->threads);
        BenchOptions options;
        options.batchSize = args->batchSize;
        options.seqLen = args->seqLen;
        options.steps = args->steps;
        options.newTokens = args->newTokens;
        options.parts = parseParts(args->parts);
        options.backgroundLoad = args->backgroundLoad;
        if (!args->quantize.empty())
            options.quantize = parseQuantType(args->quantize);
        const SystemInfo info = systemInfo();
        if (const std::string warning = blasWarning(info); !warning.empty())
            std::fprintf(stderr, "warning: %s\n", warning.c_str());
        const BenchResult result = runBenchmarks(config, options, [json = args->json](const std::string &line) {
            if (!json)
                std::fprintf(stderr, "… %s\n", line.c_str());
        });
        if (args->json)
            std::cout << toJson(result, args->config).dump(2) << "\n";
        else
            printTable(result, args->config);
    });
}

} // namespace llmf::cli
