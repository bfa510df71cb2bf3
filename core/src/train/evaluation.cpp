#include "llmf/train/evaluation.h"

#include "llmf/common/error.h"
#include "llmf/data/trainingdata.h"
#include "llmf/model/minillm.h"
#include "llmf/run/rundirectory.h"

#include <cmath>

namespace llmf {

TextEvaluation evaluateTokens(MiniLLM &model, const std::vector<int32_t> &tokens)
{
    if (tokens.size() < 2)
        throw Error("The text has " + std::to_string(tokens.size()) +
                        " token(s); scoring needs at least 2 (one to read, one to predict).",
                    "Use a longer text.");
    c10::InferenceMode inference;
    const bool wasTraining = model->is_training();
    model->eval();
    const auto device = model->parameters().front().device();
    const int64_t context = model->config().max_seq_len;
    const auto all = torch::tensor(std::vector<int64_t>(tokens.begin(), tokens.end()), torch::kInt64); // (N)
    const int64_t n = all.numel();

    double lossSum = 0.0;
    int64_t predicted = 0;
    for (int64_t start = 0; start + 1 < n; start += context) {
        const int64_t len = std::min(context, n - 1 - start);                 // tokens predicted in this window
        const auto x = all.narrow(0, start, len).unsqueeze(0).to(device);     // (1, T)
        const auto y = all.narrow(0, start + 1, len).unsqueeze(0).to(device); // (1, T)
        const auto loss = MiniLLM::Impl::loss(model->forward(x), y);          // mean over T
        lossSum += loss.item<double>() * static_cast<double>(len);
        predicted += len;
    }
    if (wasTraining)
        model->train();
    TextEvaluation result;
    result.predictedTokens = predicted;
    result.meanLoss = lossSum / static_cast<double>(predicted);
    result.perplexity = std::exp(result.meanLoss);
    return result;
}

TextEvaluation evaluateTokens(const LoadedRun &run, const std::vector<int32_t> &tokens)
{
    MiniLLM model = run.model();
    return evaluateTokens(model, tokens);
}

double topOneAgreement(const LoadedRun &a, const LoadedRun &b, const std::vector<int32_t> &tokens)
{
    if (tokens.size() < 2)
        throw Error("Comparing predictions needs at least 2 tokens.");
    c10::InferenceMode inference;
    MiniLLM first = a.model(), second = b.model();
    const int64_t context = std::min(first->config().max_seq_len, second->config().max_seq_len);
    const auto all = torch::tensor(std::vector<int64_t>(tokens.begin(), tokens.end()), torch::kInt64);
    const int64_t n = all.numel();
    int64_t same = 0, total = 0;
    for (int64_t start = 0; start + 1 < n; start += context) {
        const auto x = all.narrow(0, start, std::min(context, n - 1 - start)).unsqueeze(0); // (1, T)
        const auto pickA = first->forward(x.to(first->parameters().front().device())).argmax(-1).cpu();
        const auto pickB = second->forward(x.to(second->parameters().front().device())).argmax(-1).cpu();
        same += pickA.eq(pickB).sum().item<int64_t>();
        total += x.size(1);
    }
    return static_cast<double>(same) / static_cast<double>(total);
}

std::vector<int32_t> validationTokens(const std::string &runDir, int64_t maxTokens)
{
    const RunDirectory run(runDir);
    Config config = run.loadConfig();
    config.data.tokenizer_path = run.tokenizerPath();
    const TrainingData data = prepareTrainingData(config);
    const auto n = static_cast<int64_t>(data.tokens.size());
    const auto nTrain = static_cast<int64_t>(static_cast<double>(n) * config.data.split_ratio); // as TokenDataset
    int64_t end = n;
    if (maxTokens > 0)
        end = std::min(n, nTrain + maxTokens);
    return {data.tokens.begin() + nTrain, data.tokens.begin() + end};
}

} // namespace llmf
