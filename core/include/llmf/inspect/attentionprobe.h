#pragma once

// Attention maps for the Inspector: what every head of every layer looks at when the model reads a text.
// Plain data only (no torch in this header), so Qt views can hold the result as a value.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace llmf {

class MiniLLM;
class Tokenizer;
struct LoadedRun;

struct AttentionMaps
{
    int layers = 0;  // L
    int heads = 0;   // H query heads
    int kvHeads = 0; // key/value heads (GQA); heads % kvHeads == 0
    int tokens = 0;  // T
    // (L, H, T, T) row-major: probabilities[((l * H + h) * T + q) * T + k] is how much query position q attends to
    // key position k. Each row sums to 1; k > q is exactly 0 (causal mask).
    std::vector<float> probabilities;
    std::vector<int32_t> tokenIds;
    // One display label per token: valid UTF-8 with whitespace made visible ("␣the", "↵"), bytes of a split
    // multi-byte character as "<E4>".
    std::vector<std::string> tokenTexts;
    // Non-empty when the text was cut to max_seq_len tokens: a sentence saying so.
    std::string note;

    float at(int layer, int head, int query, int key) const
    {
        return probabilities[((static_cast<size_t>(layer) * heads + head) * tokens + query) * tokens + key];
    }
    // The KV head a query head reads, as Hugging Face's repeat_kv lays them out: consecutive query heads share
    // one (n_heads 4, n_kv_heads 2 → 0, 0, 1, 1).
    int kvHeadOf(int head) const { return kvHeads > 0 && heads >= kvHeads ? head / (heads / kvHeads) : head; }
};

// Encodes `text`, runs the model's probe path (same numerics as forward) under InferenceMode and copies the
// probabilities out. Texts longer than max_seq_len tokens are truncated (see AttentionMaps::note). Throws
// llmf::Error for an empty text.
AttentionMaps probeAttention(MiniLLM &model, const Tokenizer &tokenizer, const std::string &text);
AttentionMaps probeAttention(const LoadedRun &run, const std::string &text);

// A token's bytes as a readable axis label (see AttentionMaps::tokenTexts).
std::string displayToken(const std::string &bytes);

} // namespace llmf
