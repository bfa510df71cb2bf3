// Quantising a run: in memory (the Precision tab, benchmarks) and to a run directory (llmf quantize).
#include "llmf/quant/quantize.h"

#include "llmf/common/error.h"
#include "llmf/config/configio.h"
#include "llmf/run/quantizedstorage.h"
#include "llmf/run/rundirectory.h"

#include <filesystem>

namespace llmf {

namespace {

namespace fs = std::filesystem;

bool isOutputMatrix(const std::string &name)
{
    return name == "lm_head.weight" || name == "model.embed_tokens.weight";
}

// Quantises `model`'s matrices in place: each parameter afterwards holds its dequantised value.
std::shared_ptr<QuantizedWeights> quantizeParameters(MiniLLM &model, const QuantizeOptions &options,
                                                     QuantizeSummary &summary)
{
    torch::NoGradGuard noGrad;
    auto weights = std::make_shared<QuantizedWeights>();
    weights->type = options.type;
    for (const auto &[name, parameter] : model->namedParametersHF()) {
        if (parameter.dim() != 2)
            continue; // RMSNorm gains: a few hundred floats, kept exact
        if (isOutputMatrix(name) && !options.quantizeOutput) {
            summary.keptFp32.push_back(name + " (output layer kept)");
            continue;
        }
        const torch::Tensor w = parameter.detach().to(torch::kCPU, torch::kFloat32).contiguous();
        auto matrix = std::make_shared<QuantizedMatrix>(
            QuantizedMatrix::quantize(w.data_ptr<float>(), w.size(0), w.size(1), options.type));
        torch::Tensor dequantized = torch::empty_like(w);
        matrix->dequantize(dequantized.data_ptr<float>());
        parameter.copy_(dequantized);
        weights->set(name, std::move(matrix));
        ++summary.quantizedMatrices;
    }
    if (model->config().tie_embeddings)
        weights->output = weights->embeddings;
    return weights;
}

std::map<std::string, std::string> weightsMetadata(const LoadedRun &run, const std::string &source)
{
    std::map<std::string, std::string> metadata{{"step", std::to_string(run.step)}};
    if (run.config.model.quantization != "none") {
        metadata["quantization"] = run.config.model.quantization;
        metadata["group_size"] = std::to_string(kQuantGroupSize);
    }
    if (!source.empty())
        metadata["quantized_from"] = source;
    return metadata;
}

NamedTensors tensorsForSaving(const LoadedRun &run)
{
    const MiniLLM model = run.model();
    const QuantizedWeights *quantized = model->quantizedWeights();
    return quantized ? quantizedTensorsForSaving(model, *quantized) : modelTensorsForSaving(model);
}

} // namespace

LoadedRun quantizeLoadedRun(const LoadedRun &run, const QuantizeOptions &options, QuantizeSummary *summary)
{
    if (options.type == QuantType::None)
        throw Error("Choose int8 or int4 to quantise a run.");
    if (run.config.model.quantization != "none")
        throw Error("This run is already quantised (" + run.config.model.quantization + ").",
                    "Quantise the fp32 run it was made from.");
    QuantizeSummary local;
    QuantizeSummary &s = summary ? *summary : local;
    s = QuantizeSummary{};
    s.type = options.type;
    // A new model with the run's weights copied in, not clone(): Cloneable swaps the modules inside `layers`, which
    // leaves MiniLLM's typed block views pointing at the discarded ones.
    MiniLLM model(run.config.model);
    {
        torch::NoGradGuard noGrad;
        const auto source = run.model()->namedParametersHF(), target = model->namedParametersHF();
        for (size_t i = 0; i < target.size(); ++i)
            target[i].second.copy_(source[i].second);
    }
    model->eval();
    const auto copy = model.ptr();
    model->setQuantizedWeights(quantizeParameters(model, options, s));
    LoadedRun out = run;
    out.config.model.quantization = quantTypeName(options.type);
    out.net = copy;
    s.fp32Bytes = weightsFileBytes(run);
    s.quantizedBytes = weightsFileBytes(out);
    return out;
}

int64_t weightsFileBytes(const LoadedRun &run)
{
    return static_cast<int64_t>(serializeSafetensors(tensorsForSaving(run), weightsMetadata(run, {})).size());
}

QuantizeSummary quantizeRunDirectory(const std::string &runDir, const std::string &outDir,
                                     const QuantizeOptions &options)
{
    std::error_code ec;
    if (fs::exists(outDir, ec) && fs::equivalent(runDir, outDir, ec))
        throw Error("The output folder '" + outDir + "' is the run itself.",
                    "Write the quantised run to a new folder, e.g. " + runDir + "-" + quantTypeName(options.type) +
                        ".");
    if (fs::exists(RunDirectory(outDir).weightsPath(), ec))
        throw Error("'" + outDir + "' already holds a model.safetensors.",
                    "Choose an empty or new folder, or remove that one first.");
    const LoadedRun run = loadRun(runDir, "cpu");
    QuantizeSummary summary;
    const LoadedRun quantized = quantizeLoadedRun(run, options, &summary);
    const RunDirectory out(outDir);
    out.create();
    saveConfig(quantized.config, out.configPath());
    quantized.tokenizer.save(out.tokenizerPath());
    saveSafetensors(out.weightsPath(), tensorsForSaving(quantized), weightsMetadata(quantized, runDir));
    summary.quantizedBytes = static_cast<int64_t>(fs::file_size(out.weightsPath()));
    return summary;
}

} // namespace llmf
