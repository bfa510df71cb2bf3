#include "llmf/kernels/quantizedweights.h"

#include <utility>

namespace llmf {

namespace {

const char *const kEmbeddings = "model.embed_tokens.weight";
const char *const kOutput = "lm_head.weight";

} // namespace

bool projectionOf(const std::string &hfName, size_t &layer, ProjectionSlot &projection)
{
    static const std::string prefix = "model.layers.";
    static const std::pair<const char *, ProjectionSlot> suffixes[] = {
        {".self_attn.q_proj.weight", ProjectionSlot::Query}, {".self_attn.k_proj.weight", ProjectionSlot::Key},
        {".self_attn.v_proj.weight", ProjectionSlot::Value}, {".self_attn.o_proj.weight", ProjectionSlot::Output},
        {".mlp.gate_proj.weight", ProjectionSlot::Gate},     {".mlp.up_proj.weight", ProjectionSlot::Up},
        {".mlp.down_proj.weight", ProjectionSlot::Down}};
    if (hfName.rfind(prefix, 0) != 0)
        return false;
    size_t i = prefix.size(), index = 0;
    for (; i < hfName.size() && i < prefix.size() + 6 && hfName[i] >= '0' && hfName[i] <= '9'; ++i)
        index = index * 10 + static_cast<size_t>(hfName[i] - '0');
    if (i == prefix.size())
        return false;
    const std::string rest = hfName.substr(i);
    for (const auto &[suffix, p] : suffixes)
        if (rest == suffix) {
            layer = index;
            projection = p;
            return true;
        }
    return false;
}

std::shared_ptr<const QuantizedMatrix> QuantizedWeights::byName(const std::string &hfName) const
{
    size_t layer = 0;
    ProjectionSlot projection{};
    if (projectionOf(hfName, layer, projection))
        return layer < layers.size() ? layers[layer][static_cast<size_t>(projection)] : nullptr;
    if (hfName == kOutput)
        return output;
    if (hfName == kEmbeddings)
        return embeddings;
    return nullptr;
}

bool QuantizedWeights::set(const std::string &hfName, std::shared_ptr<const QuantizedMatrix> matrix)
{
    size_t layer = 0;
    ProjectionSlot projection{};
    if (projectionOf(hfName, layer, projection)) {
        if (layers.size() <= layer)
            layers.resize(layer + 1);
        layers[layer][static_cast<size_t>(projection)] = std::move(matrix);
        return true;
    }
    if (hfName == kOutput) {
        output = std::move(matrix);
        return true;
    }
    if (hfName == kEmbeddings) {
        embeddings = std::move(matrix);
        return true;
    }
    return false;
}

} // namespace llmf
