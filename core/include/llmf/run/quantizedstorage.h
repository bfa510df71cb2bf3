#pragma once

// How quantised matrices are stored in a safetensors file and rebuilt from one (format: llmf/quant/quantize.h).

#include "llmf/kernels/quantizedweights.h"
#include "llmf/run/safetensors.h"

#include <memory>
#include <string>

namespace llmf {

// The model's tensors for model.safetensors: each matrix `quantized` holds becomes <name>.qweight + <name>.scales,
// every other parameter is saved as it is.
NamedTensors quantizedTensorsForSaving(const MiniLLM &model, const QuantizedWeights &quantized);

// Loads a quantised model.safetensors into `model`: the int8/int4 matrices are rebuilt and checked (dtype I8 for
// int8 / U8 for int4, shapes, scales), their dequantised values copied into the parameters with loadIntoModel's
// checks and messages, and the matrices attached to the model for decoding. Tensors still stored as fp32 are
// loaded as usual. llmf::Error naming `path` and the tensor on any defect; the model is unchanged then.
std::shared_ptr<const QuantizedWeights> loadQuantizedIntoModel(MiniLLM &model, const SafetensorsFile &file,
                                                               const std::string &path, QuantType type);

} // namespace llmf
