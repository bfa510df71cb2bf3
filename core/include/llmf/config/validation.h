#pragma once

#include "llmf/config/config.h"

#include <string>
#include <vector>

namespace llmf {

struct ValidationIssue
{
    std::string field;   // "model.n_heads"; the field the learner should change
    std::string message; // a sentence that explains the rule with the actual numbers
    std::string fix;     // a concrete suggestion, may be empty
};

// Checks every rule (divisibility for heads, even head_dim for RoPE, positive sizes, ranges). Empty = valid.
std::vector<ValidationIssue> validate(const Config &config);

// Throws llmf::Error listing every issue (one per line) when the config is invalid.
void validateOrThrow(const Config &config, const std::string &sourceName = {});

// Suggests the nearest valid (n_heads, n_kv_heads) pair for a width: used by the Config Studio to offer a fix
// for lines like the guide's rtx5060 (dim 704, 10 heads, 5 kv heads).
struct HeadSuggestion
{
    int64_t n_heads = 0;
    int64_t n_kv_heads = 0;
};
HeadSuggestion nearestValidHeads(int64_t dim, int64_t n_heads, int64_t n_kv_heads);

// Training and resuming need fp32 weights: llmf::Error for a config whose model.quantization is not none.
void requireFp32Weights(const Config &config);

} // namespace llmf
