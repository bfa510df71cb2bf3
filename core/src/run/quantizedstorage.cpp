// Quantised matrices in safetensors files (the format: llmf/quant/quantize.h).
#include "llmf/run/quantizedstorage.h"

#include "llmf/common/error.h"

#include <cstring>
#include <map>

namespace llmf {

namespace {

const std::string kCodesSuffix = ".qweight";
const std::string kScalesSuffix = ".scales";
const std::string kWeightSuffix = ".weight";

bool endsWith(const std::string &s, const std::string &suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string stem(const std::string &name, const std::string &suffix)
{
    return name.substr(0, name.size() - suffix.size());
}

// One stored matrix (<base>.qweight + <base>.scales) → QuantizedMatrix, every property checked.
// `shape` is what the model expects for <base>.weight: stored rows are padded to whole groups, so the width comes
// from the model and the stored one must be that width rounded up.
QuantizedMatrix readMatrix(const SafetensorsFile &file, const std::string &base, QuantType type,
                           const std::string &path, torch::IntArrayRef shape)
{
    const std::string codesName = base + kCodesSuffix, scalesName = base + kScalesSuffix;
    const std::string what = "'" + path + "': tensor '" + codesName + "'";
    const torch::Tensor &codes = file.tensors.at(codesName);
    const auto scalesIt = file.tensors.find(scalesName);
    if (scalesIt == file.tensors.end())
        throw Error(what + " has no '" + scalesName + "' beside it.",
                    "The file is incomplete; quantise the run again.");
    const torch::Tensor &scales = scalesIt->second;
    const bool int4 = type == QuantType::Int4;
    const auto codeType = int4 ? torch::kUInt8 : torch::kInt8;
    if (codes.scalar_type() != codeType || codes.dim() != 2)
        throw Error(what + " is " + std::string(c10::toString(codes.scalar_type())) + " " + shapeText(codes.sizes()) +
                        ", but config.yaml's model.quantization " + quantTypeName(type) + " stores a 2-D " +
                        (int4 ? "U8" : "I8") + " matrix.",
                    "Use the config.yaml written with these weights by llmf quantize.");
    const int64_t rows = shape[0], cols = shape[1];
    const int64_t groups = (cols + kQuantGroupSize - 1) / kQuantGroupSize;
    const std::vector<int64_t> codesShape{rows, groups * (int4 ? 16 : 32)}, scalesShape{rows, groups};
    if (codes.sizes() != codesShape)
        throw Error(what + " has shape " + shapeText(codes.sizes()) + " but the model built from config.yaml needs " +
                        shapeText(codesShape) + " for its " + shapeText(shape) + " matrix.",
                    "Load the weights with the config.yaml saved next to them (in the same run directory).");
    if (scales.scalar_type() != torch::kHalf || scales.sizes() != scalesShape)
        throw Error("'" + path + "': tensor '" + scalesName + "' is " +
                    std::string(c10::toString(scales.scalar_type())) + " " + shapeText(scales.sizes()) +
                    ", but its codes need F16 " + shapeText(scalesShape) + " (one scale per " +
                    std::to_string(kQuantGroupSize) + " weights of a row).");
    std::vector<uint8_t> codeBytes(static_cast<size_t>(codes.numel()));
    std::memcpy(codeBytes.data(), codes.data_ptr(), codeBytes.size());
    std::vector<uint16_t> halfScales(static_cast<size_t>(scales.numel()));
    std::memcpy(halfScales.data(), scales.data_ptr(), halfScales.size() * sizeof(uint16_t));
    return QuantizedMatrix::fromStorage(type, rows, cols, std::move(codeBytes), std::move(halfScales), what);
}

} // namespace

NamedTensors quantizedTensorsForSaving(const MiniLLM &model, const QuantizedWeights &quantized)
{
    NamedTensors out;
    for (const auto &[name, parameter] : model->namedParametersHF()) {
        const auto matrix = quantized.byName(name);
        if (!matrix) {
            out.emplace_back(name, parameter.detach());
            continue;
        }
        const std::string base = stem(name, kWeightSuffix);
        const bool int4 = matrix->type() == QuantType::Int4;
        torch::Tensor codes =
            torch::empty({matrix->rows(), matrix->codeBytesPerRow()}, int4 ? torch::kUInt8 : torch::kInt8);
        std::memcpy(codes.data_ptr(), matrix->codes().data(), matrix->codes().size());
        torch::Tensor scales = torch::empty({matrix->rows(), matrix->groupsPerRow()}, torch::kHalf);
        std::memcpy(scales.data_ptr(), matrix->halfScales().data(), matrix->halfScales().size() * sizeof(uint16_t));
        out.emplace_back(base + kCodesSuffix, codes);
        out.emplace_back(base + kScalesSuffix, scales);
    }
    return out;
}

std::shared_ptr<const QuantizedWeights> loadQuantizedIntoModel(MiniLLM &model, const SafetensorsFile &file,
                                                               const std::string &path, QuantType type)
{
    auto weights = std::make_shared<QuantizedWeights>();
    weights->type = type;
    SafetensorsFile plain; // the same file with every quantised matrix dequantised under its .weight name
    plain.metadata = file.metadata;
    std::map<std::string, std::vector<int64_t>> expectedShapes;
    for (const auto &[name, parameter] : model->namedParametersHF())
        expectedShapes[name] = parameter.sizes().vec();
    for (const auto &[name, tensor] : file.tensors) {
        if (endsWith(name, kScalesSuffix)) {
            if (!file.tensors.count(stem(name, kScalesSuffix) + kCodesSuffix))
                throw Error("'" + path + "': tensor '" + name + "' has no '" + stem(name, kScalesSuffix) +
                                kCodesSuffix + "' beside it.",
                            "The file is incomplete; quantise the run again.");
            continue;
        }
        if (!endsWith(name, kCodesSuffix)) {
            plain.tensors[name] = tensor;
            continue;
        }
        const std::string weightName = stem(name, kCodesSuffix) + kWeightSuffix;
        if (file.tensors.count(weightName))
            throw Error("'" + path + "' holds '" + weightName + "' both as fp32 and quantised ('" + name + "').",
                        "The file was not written by llmf quantize.");
        const auto shape = expectedShapes.find(weightName);
        if (shape == expectedShapes.end() || shape->second.size() != 2)
            throw Error("'" + path + "' has tensors the model has no parameter for: '" + name + "'.",
                        "Load the weights with the config.yaml saved next to them (in the same run directory).");
        auto matrix =
            std::make_shared<QuantizedMatrix>(readMatrix(file, stem(name, kCodesSuffix), type, path, shape->second));
        torch::Tensor dequantized = torch::empty({matrix->rows(), matrix->cols()});
        matrix->dequantize(dequantized.data_ptr<float>());
        plain.tensors[weightName] = dequantized;
        if (!weights->set(weightName, matrix))
            throw Error("'" + path + "': '" + name + "' is not a weight matrix this model can hold quantised.",
                        "The file was not written by llmf quantize.");
    }
    if (model->config().tie_embeddings)
        weights->output = weights->embeddings;
    loadIntoModel(model, plain, path); // shapes against config.yaml, missing and unexpected tensors
    model->setQuantizedWeights(weights);
    return weights;
}

} // namespace llmf
