#pragma once

#include <cstdint>
#include <optional>

namespace llmf {

// How to sample. The "balanced" preset of the guide: T 0.8, top-k 50, top-p 0.9.
struct GenerationConfig
{
    double temperature = 0.8;          // 0 = greedy; higher = flatter distribution
    std::optional<int64_t> top_k = 50; // keep the k most likely tokens; null = off
    std::optional<double> top_p = 0.9; // keep the smallest set with probability mass >= p; null = off
    int64_t max_new_tokens = 200;      // tokens to generate
    double repetition_penalty = 1.0;   // > 1 discourages tokens already in the context; 1 = off
    int64_t seed = 42;                 // sampling RNG seed
    bool use_kv_cache = true;          // false recomputes the whole context each step (for comparison)
};

} // namespace llmf
