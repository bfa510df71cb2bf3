#pragma once

#include <cstdint>
#include <vector>

namespace llmf {

class MiniLLM;
struct LoadedRun;

struct TextEvaluation
{
    double meanLoss = 0.0;   // mean next-token cross-entropy in nats
    double perplexity = 0.0; // exp(meanLoss): "as unsure as a uniform choice among this many tokens"
    int64_t predictedTokens = 0;
};

// Scores every token of `tokens` after the first exactly once: consecutive windows of up to max_seq_len + 1
// tokens, each predicting its last max_seq_len tokens from the ones before (a text shorter than the context is
// one window). Runs under InferenceMode in eval mode. llmf::Error when there are fewer than 2 tokens.
TextEvaluation evaluateTokens(MiniLLM &model, const std::vector<int32_t> &tokens);
TextEvaluation evaluateTokens(const LoadedRun &run, const std::vector<int32_t> &tokens);

} // namespace llmf
