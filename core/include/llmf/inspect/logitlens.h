#pragma once

// The logit lens (nostalgebraist, 2020): read the residual stream after the embedding and after every block through
// the model's own final RMSNorm and output layer, as if the model stopped there. Which layer first predicts the
// next token, and how sure it is, shows how the prediction is built up layer by layer. Plain data (no torch here),
// so views hold it as a value.

#include <cstdint>
#include <string>
#include <vector>

namespace llmf {

class MiniLLM;
class Tokenizer;
struct LoadedRun;

struct LogitLens
{
    int rows = 0;   // layers + 1: row 0 reads the embeddings, row l the output of block l; the last row IS the model
    int tokens = 0; // T positions of the text
    int topK = 0;
    // (rows, T, topK), best first: the tokens the lens predicts to follow position t, and their probabilities.
    std::vector<int32_t> topIds;
    std::vector<float> topProbabilities;
    std::vector<std::string> topTexts; // displayToken() labels of topIds
    // Mean over positions of |x|₂ of the residual stream at each row (rows), and of what each block's attention and
    // feed-forward sub-layers added to it (layers each).
    std::vector<float> residualNorm;
    std::vector<float> attentionAdded;
    std::vector<float> feedForwardAdded;
    // Probability the lens of each row gives to the token that really comes next, per position (rows, T - 1).
    std::vector<float> nextTokenProbability;
    std::vector<int32_t> tokenIds;
    std::vector<std::string> tokenTexts; // displayToken() labels
    std::string note;                    // set when the text was cut to max_seq_len tokens

    int32_t id(int row, int position, int rank = 0) const
    {
        return topIds[(static_cast<size_t>(row) * tokens + position) * topK + rank];
    }
    float probability(int row, int position, int rank = 0) const
    {
        return topProbabilities[(static_cast<size_t>(row) * tokens + position) * topK + rank];
    }
    const std::string &text(int row, int position, int rank = 0) const
    {
        return topTexts[(static_cast<size_t>(row) * tokens + position) * topK + rank];
    }
    // The first row whose top token at `position` is the one that really follows it; -1 if none (or the last
    // position, which has no next token in the text).
    int firstCorrectRow(int position) const;
};

// Encodes `text` (cut to max_seq_len tokens), runs the blocks one by one under InferenceMode with the same
// numerics as forward(), and decodes every row through norm and lm_head. llmf::Error for an empty text or
// topK < 1.
LogitLens probeLogitLens(MiniLLM &model, const Tokenizer &tokenizer, const std::string &text, int topK = 10);
LogitLens probeLogitLens(const LoadedRun &run, const std::string &text, int topK = 10);

} // namespace llmf
