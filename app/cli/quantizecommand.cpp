// llmf quantize: a trained run → a run directory with int8 or int4 weights (llmf/quant/quantize.h).
#include "commands.h"

#include "llmf/quant/quantize.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace llmf::cli {

namespace {

struct QuantizeArgs
{
    std::string run;
    std::string type;
    std::string out;
    bool keepOutput = false;
    bool json = false;
};

std::string mebibytes(int64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return text;
}

void quantizeCommand(const QuantizeArgs &a)
{
    QuantizeOptions options;
    options.type = parseQuantType(a.type);
    options.quantizeOutput = !a.keepOutput;
    const QuantizeSummary s = quantizeRunDirectory(a.run, a.out, options);
    if (a.json) {
        std::cout << nlohmann::json{{"run", a.run},
                                    {"out", a.out},
                                    {"type", a.type},
                                    {"quantized_matrices", s.quantizedMatrices},
                                    {"kept_fp32", s.keptFp32},
                                    {"fp32_bytes", s.fp32Bytes},
                                    {"quantized_bytes", s.quantizedBytes}}
                         .dump(2)
                  << "\n";
        return;
    }
    std::printf("Quantised %s to %s in %s: %lld matrices, model.safetensors %s → %s (%.1f %%)\n", a.run.c_str(),
                a.type.c_str(), a.out.c_str(), static_cast<long long>(s.quantizedMatrices),
                mebibytes(s.fp32Bytes).c_str(), mebibytes(s.quantizedBytes).c_str(),
                100.0 * static_cast<double>(s.quantizedBytes) / static_cast<double>(s.fp32Bytes));
    for (const std::string &kept : s.keptFp32)
        std::printf("  kept in fp32: %s\n", kept.c_str());
    std::printf("Try it: llmf generate --run %s   ·   llmf eval --run %s --data FILE\n", a.out.c_str(), a.out.c_str());
}

} // namespace

void addQuantizeCommand(CLI::App &app)
{
    auto a = std::make_shared<QuantizeArgs>();
    auto *cmd = app.add_subcommand("quantize", "Write a copy of a run with int8 or int4 weights (for inference)");
    cmd->add_option("-r,--run", a->run, "Run directory (fp32)")->required();
    cmd->add_option("-t,--type", a->type, "int8 (one scale per 32 weights, like Q8_0) or int4 (like Q4_0)")
        ->required()
        ->check(CLI::IsMember({"int8", "int4"}));
    cmd->add_option("-o,--out", a->out, "New run directory to write")->required();
    cmd->add_flag("--keep-output", a->keepOutput, "Leave lm_head and the embeddings in fp32");
    cmd->add_flag("--json", a->json, "Print JSON");
    cmd->callback([a] { quantizeCommand(*a); });
}

} // namespace llmf::cli
