#pragma once

// Statistics of a model's weights for the Inspector's Anatomy tab: how the RMSNorm gains and the size of each
// weight matrix differ from layer to layer. At initialisation every gain is 1 and every matrix is N(0, 0.02), so
// any structure these charts show was learned. Plain data, no torch here.

#include <cstddef>
#include <string>
#include <vector>

namespace llmf {

class MiniLLM;
struct LoadedRun;

struct GainStats
{
    double mean = 0.0;
    double min = 0.0;
    double max = 0.0;
};

struct WeightStats
{
    int layers = 0;
    // The seven matrices of a block in data-flow order, under their HF names: q_proj k_proj v_proj o_proj
    // gate_proj up_proj down_proj.
    std::vector<std::string> matrixNames;
    // Frobenius norm sqrt(sum w²) of each matrix of each layer. (layers, matrixNames.size()) row-major
    std::vector<double> matrixNorms;
    // Root mean square sqrt(mean w²): comparable between matrices of different shapes (k_proj is smaller than
    // q_proj under GQA); 0.02 at initialisation. Same layout as matrixNorms.
    std::vector<double> matrixRms;
    std::vector<GainStats> inputNormGains;         // input_layernorm per layer (before attention)
    std::vector<GainStats> postAttentionNormGains; // post_attention_layernorm per layer (before the FFN)
    GainStats finalNormGain;                       // model.norm

    double matrixNorm(int layer, int matrix) const
    {
        return matrixNorms[static_cast<size_t>(layer) * matrixNames.size() + static_cast<size_t>(matrix)];
    }
    double matrixRootMeanSquare(int layer, int matrix) const
    {
        return matrixRms[static_cast<size_t>(layer) * matrixNames.size() + static_cast<size_t>(matrix)];
    }
};

WeightStats probeWeights(MiniLLM &model);
WeightStats probeWeights(const LoadedRun &run);

} // namespace llmf
