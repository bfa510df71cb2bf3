#pragma once

#include <cstdint>
#include <string>
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

// The share of positions where two models (same vocabulary) rank the same next token first, over the windows
// evaluateTokens() scores: how often a greedy continuation of one would pick what the other picks, measured without
// letting one early difference decide the rest. What quantisation is judged by beside perplexity.
double topOneAgreement(const LoadedRun &a, const LoadedRun &b, const std::vector<int32_t> &tokens);

// The tokens a run was validated on: its config's data read again (the token cache makes that quick) with the run's
// own tokenizer.json, and the part after data.split_ratio, as the Trainer splits it. At most `maxTokens` (0 = all).
std::vector<int32_t> validationTokens(const std::string &runDir, int64_t maxTokens = 0);

} // namespace llmf
