// llmf info: the resolved configuration, its parameter breakdown and memory estimate, and the machine.
#include "commands.h"

#include "llmf/common/systeminfo.h"
#include "llmf/config/configio.h"
#include "llmf/config/presets.h"
#include "llmf/config/validation.h"
#include "llmf/model/accounting.h"
#include "llmf/model/memoryfit.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace llmf::cli {

namespace {

struct InfoOptions
{
    std::string config = "small";
    bool json = false;
};

std::string grouped(int64_t n)
{
    std::string digits = std::to_string(n), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

nlohmann::json systemJson(const SystemInfo &s)
{
    return {{"torch_version", s.torchVersion},   {"blas", s.blasName},
            {"blas_library", s.blasLibrary},     {"reference_blas", s.referenceBlas},
            {"physical_cores", s.physicalCores}, {"torch_threads", s.torchThreads},
            {"cuda_available", s.cudaAvailable}, {"cuda_devices", s.cudaDevices}};
}

void run(const InfoOptions &options)
{
    const Config config = loadConfigOrPreset(options.config, DataPathRule::AsWritten);
    validateOrThrow(config, options.config);
    const ParameterBreakdown params = countParameters(config.model);
    const int64_t seqLen = config.trainingSeqLen();
    const std::string actDtype = config.training.dtype;
    const MemoryEstimate memory = estimateMemory(config.model, config.training.batch_size, seqLen, actDtype);
    const SystemInfo system = systemInfo();
    const MemoryFit fit = checkTrainingMemory(config);

    if (options.json) {
        nlohmann::json parameters = nlohmann::json::object();
        for (const auto &[name, count] : params.rows())
            parameters[name] = count;
        nlohmann::json out{{"config_source", options.config},
                           {"config_yaml", configToYaml(config, true)},
                           {"total_parameters", params.total},
                           {"parameters", parameters},
                           {"per_layer",
                            {{"attention", params.perLayer.attention},
                             {"feed_forward", params.perLayer.feedForward},
                             {"norms", params.perLayer.norms}}},
                           {"head_dim", config.model.headDim()},
                           {"ffn_hidden_dim", config.model.resolvedFfnHiddenDim()},
                           {"memory_bytes",
                            {{"batch_size", config.training.batch_size},
                             {"seq_len", seqLen},
                             {"weights", memory.weights},
                             {"gradients", memory.gradients},
                             {"optimizer", memory.optimizer},
                             {"activations", memory.activations},
                             {"activations_explicit_attention", memory.activationsExplicitAttention},
                             {"total", memory.total()},
                             {"available", fit.available},
                             {"fits", fit.fits()}}},
                           {"kv_cache_bytes",
                            {{"mha", memory.kvCache.mha},
                             {"gqa", memory.kvCache.gqa},
                             {"mqa", memory.kvCache.mqa},
                             {"max_seq_len", config.model.max_seq_len}}},
                           {"system", systemJson(system)}};
        std::cout << out.dump(2) << "\n";
        return;
    }

    std::cout << "# " << options.config << " (resolved)\n" << configToYaml(config, true) << "\n";
    std::printf("Parameters (head_dim %lld, FFN hidden %lld)\n", static_cast<long long>(config.model.headDim()),
                static_cast<long long>(config.model.resolvedFfnHiddenDim()));
    for (const auto &[name, count] : params.rows())
        std::printf("  %-14s %14s  %5.1f%%\n", name.c_str(), grouped(count).c_str(), 100.0 * count / params.total);
    std::printf("  %-14s %14s  (%s)\n\n", "total", grouped(params.total).c_str(), humanCount(params.total).c_str());

    std::printf("Training memory estimate (batch %lld x %lld tokens, %s activations)\n",
                static_cast<long long>(config.training.batch_size), static_cast<long long>(seqLen), actDtype.c_str());
    const std::pair<const char *, int64_t> rows[] = {{"weights", memory.weights},
                                                     {"gradients", memory.gradients},
                                                     {"AdamW state", memory.optimizer},
                                                     {"activations", memory.activations},
                                                     {"total", memory.total()}};
    for (const auto &[name, bytes] : rows)
        std::printf("  %-14s %14s\n", name, humanBytes(bytes).c_str());
    if (memory.activationsExplicitAttention > memory.activations)
        std::printf("  (activations with attention's T x T maps kept, as without memory-efficient attention: %s)\n",
                    humanBytes(memory.activationsExplicitAttention).c_str());
    if (!fit.fits())
        std::printf("WARNING: %s\n  %s\n", fit.message().c_str(), fit.hint().c_str());
    else if (fit.available > 0)
        std::printf("  fits in %s: %s available\n", fit.where.c_str(), humanBytes(fit.available).c_str());
    std::printf("\nKV cache for one sequence of %lld tokens: MHA %s, GQA (%lld kv heads) %s, MQA %s\n\n",
                static_cast<long long>(config.model.max_seq_len), humanBytes(memory.kvCache.mha).c_str(),
                static_cast<long long>(config.model.n_kv_heads), humanBytes(memory.kvCache.gqa).c_str(),
                humanBytes(memory.kvCache.mqa).c_str());

    std::printf("System: LibTorch %s, BLAS %s, %d threads on %d physical cores, CUDA %s\n", system.torchVersion.c_str(),
                system.blasName.c_str(), system.torchThreads, system.physicalCores,
                system.cudaAvailable ? ("yes (" + std::to_string(system.cudaDevices) + " devices)").c_str() : "no");
    if (const std::string warning = blasWarning(system); !warning.empty())
        std::printf("WARNING: %s\n", warning.c_str());
}

} // namespace

void addInfoCommand(CLI::App &app)
{
    auto options = std::make_shared<InfoOptions>();
    auto *cmd = app.add_subcommand("info", "Show a configuration's parameters, memory estimate and this machine");
    cmd->add_option("-c,--config", options->config, "YAML file or preset name (tiny, small, medium, rtx5060)")
        ->capture_default_str();
    cmd->add_flag("--json", options->json, "Print JSON (key total_parameters holds the total)");
    cmd->callback([options] { run(*options); });
}

} // namespace llmf::cli
