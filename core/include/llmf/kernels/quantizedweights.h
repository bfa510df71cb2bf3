#pragma once

#include "llmf/kernels/quantizedmatrix.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace llmf {

// The projections of a block, in the order decodestep.cpp runs them.
enum class ProjectionSlot { Query, Key, Value, Output, Gate, Up, Down };
constexpr size_t kProjectionCount = 7;

// The quantised matrices a model decodes with (MiniLLMImpl::setQuantizedWeights). A null entry is a matrix kept in
// fp32 (its input width is not a multiple of 32, or the output layer when it was left unquantised).
struct QuantizedWeights
{
    QuantType type = QuantType::None;
    std::vector<std::array<std::shared_ptr<const QuantizedMatrix>, kProjectionCount>> layers;
    std::shared_ptr<const QuantizedMatrix> output;     // lm_head, or the tied embeddings
    std::shared_ptr<const QuantizedMatrix> embeddings; // embed_tokens (== output when tied); only stored, never
                                                       // multiplied: a lookup reads one dequantised row

    const QuantizedMatrix *find(size_t layer, ProjectionSlot projection) const
    {
        return layer < layers.size() ? layers[layer][static_cast<size_t>(projection)].get() : nullptr;
    }
    // By Hugging Face name ("model.layers.0.self_attn.q_proj.weight", "lm_head.weight",
    // "model.embed_tokens.weight"); null when that matrix is fp32.
    std::shared_ptr<const QuantizedMatrix> byName(const std::string &hfName) const;
    // Stores `matrix` under `hfName`; false when the name is not a quantisable matrix.
    bool set(const std::string &hfName, std::shared_ptr<const QuantizedMatrix> matrix);
};

// Where a Hugging Face Llama weight name sits: "model.layers.3.mlp.up_proj.weight" → layer 3, Up. Returns false
// for tensors outside the blocks' projections (embeddings, lm_head, norms).
bool projectionOf(const std::string &hfName, size_t &layer, ProjectionSlot &projection);

} // namespace llmf
