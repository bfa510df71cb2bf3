#pragma once

// Quantising a trained run: `llmf quantize`, the Playground's Precision tab and `llmf bench --quantize`.
//
// A quantised run directory holds config.yaml (model.quantization: int8 or int4), tokenizer.json and a
// model.safetensors where each quantised matrix "<name>.weight" is replaced by two tensors:
//     <name>.qweight   I8 [rows, cols] (int8) or U8 [rows, cols / 2] (int4, two codes per byte: Q4_0's layout)
//     <name>.scales    F16 [rows, cols / 32]: one scale per group of 32 weights of a row
// and fp32 for everything else (the norms' gains; the output layer and the embeddings when they were kept). Metadata:
// "quantization", "group_size", "quantized_from". Torch-free: the CLI and the views hold LoadedRun values.

#include "llmf/kernels/quantizedmatrix.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llmf {

struct Config;
struct LoadedRun;

struct QuantizeOptions
{
    QuantType type = QuantType::Int8;
    // Also lm_head and the token embeddings (the output layer is ~40 % of a small model's decode reads).
    bool quantizeOutput = true;
};

struct QuantizeSummary
{
    QuantType type = QuantType::None;
    int64_t quantizedMatrices = 0;
    std::vector<std::string> keptFp32; // matrices left in fp32, with the reason: "lm_head.weight (output layer kept)"
    int64_t fp32Bytes = 0;             // model.safetensors before
    int64_t quantizedBytes = 0;        // and after
};

// A quantised copy of `run` (its model cloned; `run` is unchanged): config.model.quantization set, parameters
// holding the dequantised weights, the int8/int4 matrices attached for decoding. llmf::Error when `run` is already
// quantised or options.type is None.
LoadedRun quantizeLoadedRun(const LoadedRun &run, const QuantizeOptions &options, QuantizeSummary *summary = nullptr);

// The size model.safetensors has (or would have) for this run: fp32 or quantised.
int64_t weightsFileBytes(const LoadedRun &run);

// llmf quantize: loads `runDir`, writes `outDir` (created; refused when it is `runDir` or a folder that already
// holds a model.safetensors) with config.yaml, tokenizer.json and the quantised model.safetensors, each atomically.
QuantizeSummary quantizeRunDirectory(const std::string &runDir, const std::string &outDir,
                                     const QuantizeOptions &options);

} // namespace llmf
