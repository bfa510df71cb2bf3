#include "llmf/inspect/logitlens.h"

#include "llmf/common/error.h"
#include "llmf/inspect/attentionprobe.h"
#include "llmf/model/minillm.h"
#include "llmf/run/rundirectory.h"
#include "llmf/tokenizer/tokenizer.h"

#include <torch/torch.h>

namespace llmf {

int LogitLens::firstCorrectRow(int position) const
{
    if (position + 1 >= tokens)
        return -1;
    for (int row = 0; row < rows; ++row)
        if (id(row, position) == tokenIds[static_cast<size_t>(position) + 1])
            return row;
    return -1;
}

LogitLens probeLogitLens(MiniLLM &model, const Tokenizer &tokenizer, const std::string &text, int topK)
{
    if (text.empty())
        throw Error("There is no text to inspect.", "Type a sentence for the model to read.");
    if (topK < 1)
        throw Error("The logit lens needs at least one candidate per cell.");
    std::vector<int32_t> ids = tokenizer.encode(text);
    const ModelConfig &config = model->config();
    LogitLens lens;
    if (static_cast<int64_t>(ids.size()) > config.max_seq_len) {
        lens.note = "The text has " + std::to_string(ids.size()) + " tokens; only the first " +
                    std::to_string(config.max_seq_len) + " (the model's max_seq_len) are read.";
        ids.resize(static_cast<size_t>(config.max_seq_len));
    }
    c10::InferenceMode inference;
    const bool wasTraining = model->is_training();
    model->eval();
    const auto device = model->embed_tokens->weight.device();
    const auto idx =
        torch::tensor(std::vector<int64_t>(ids.begin(), ids.end()), torch::kInt64).view({1, -1}).to(device);
    const int64_t T = idx.size(1), V = config.vocab_size;
    const int K = static_cast<int>(std::min<int64_t>(topK, V));

    // Exactly MiniLLMImpl::hidden() and BlockImpl::forward() in eval mode, stopping after each step.
    std::vector<torch::Tensor> residuals; // rows × (1, T, C)
    torch::Tensor x = model->embed_tokens(idx);
    residuals.push_back(x);
    const auto &blocks = *model->layers;
    for (size_t l = 0; l < blocks.size(); ++l) {
        auto &block = *blocks[l]->as<BlockImpl>();
        const torch::Tensor attention = block.self_attn->forward(block.input_layernorm(x), model->rope, 0);
        const torch::Tensor h = x + attention;
        const torch::Tensor feedForward = block.mlp(block.post_attention_layernorm(h));
        x = h + feedForward;
        residuals.push_back(x);
        lens.attentionAdded.push_back(attention.norm(2, -1).mean().item<float>());
        lens.feedForwardAdded.push_back(feedForward.norm(2, -1).mean().item<float>());
    }
    lens.rows = static_cast<int>(residuals.size());
    lens.tokens = static_cast<int>(T);
    lens.topK = K;
    const auto targets = idx.view({-1}).narrow(0, 1, T - 1); // (T-1) the tokens that really follow
    for (const torch::Tensor &r : residuals) {
        lens.residualNorm.push_back(r.norm(2, -1).mean().item<float>());
        const torch::Tensor normed = model->norm(r);
        const torch::Tensor logits = model->logitsOf(normed);                                  // (1, T, V)
        const torch::Tensor probabilities = torch::softmax(logits[0].to(torch::kFloat32), -1); // (T, V)
        const auto [values, indices] = probabilities.topk(K, -1);                              // (T, K)
        const torch::Tensor v = values.cpu().contiguous(), i = indices.to(torch::kInt32).cpu().contiguous();
        lens.topProbabilities.insert(lens.topProbabilities.end(), v.data_ptr<float>(), v.data_ptr<float>() + v.numel());
        lens.topIds.insert(lens.topIds.end(), i.data_ptr<int32_t>(), i.data_ptr<int32_t>() + i.numel());
        if (T > 1) {
            const torch::Tensor next =
                probabilities.narrow(0, 0, T - 1).gather(1, targets.unsqueeze(1)).view({-1}).cpu().contiguous();
            lens.nextTokenProbability.insert(lens.nextTokenProbability.end(), next.data_ptr<float>(),
                                             next.data_ptr<float>() + next.numel());
        }
    }
    if (wasTraining)
        model->train();
    lens.tokenIds = ids;
    lens.topTexts.reserve(lens.topIds.size());
    for (const int32_t id : lens.topIds)
        lens.topTexts.push_back(id < tokenizer.vocabSize() ? displayToken(tokenizer.tokenBytes(id))
                                                           : "#" + std::to_string(id));
    for (const int32_t id : ids)
        lens.tokenTexts.push_back(displayToken(tokenizer.tokenBytes(id)));
    return lens;
}

LogitLens probeLogitLens(const LoadedRun &run, const std::string &text, int topK)
{
    MiniLLM model = run.model();
    return probeLogitLens(model, run.tokenizer, text, topK);
}

} // namespace llmf
