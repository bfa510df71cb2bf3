#include "llmf/inspect/weightprobe.h"

#include "llmf/model/minillm.h"
#include "llmf/run/rundirectory.h"

#include <torch/torch.h>

#include <cmath>

namespace llmf {

namespace {

GainStats gainStats(const torch::Tensor &weight)
{
    const auto w = weight.detach().to(torch::kCPU, torch::kFloat64); // (C)
    return {w.mean().item<double>(), w.min().item<double>(), w.max().item<double>()};
}

} // namespace

WeightStats probeWeights(MiniLLM &model)
{
    c10::InferenceMode inference;
    WeightStats stats;
    stats.matrixNames = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
    stats.layers = static_cast<int>(model->layers->size());
    for (const auto &module : *model->layers) {
        const auto block = module->as<BlockImpl>();
        const auto &attn = block->self_attn;
        const auto &mlp = block->mlp;
        for (const auto *linear : {&attn->q_proj, &attn->k_proj, &attn->v_proj, &attn->o_proj, &mlp->gate_proj,
                                   &mlp->up_proj, &mlp->down_proj}) {
            const auto w = (*linear)->weight.detach().to(torch::kCPU, torch::kFloat64); // (out, in)
            const double norm = w.norm().item<double>();
            stats.matrixNorms.push_back(norm);
            stats.matrixRms.push_back(norm / std::sqrt(static_cast<double>(w.numel())));
        }
        stats.inputNormGains.push_back(gainStats(block->input_layernorm->weight));
        stats.postAttentionNormGains.push_back(gainStats(block->post_attention_layernorm->weight));
    }
    stats.finalNormGain = gainStats(model->norm->weight);
    return stats;
}

WeightStats probeWeights(const LoadedRun &run)
{
    MiniLLM model = run.model();
    return probeWeights(model);
}

} // namespace llmf
