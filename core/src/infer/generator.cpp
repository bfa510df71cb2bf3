#include "llmf/infer/generator.h"

#include "llmf/common/error.h"
#include "llmf/common/threadtuner.h"
#include "llmf/infer/sampler.h"
#include "llmf/infer/utf8streamdecoder.h"
#include "llmf/model/minillm.h"
#include "llmf/run/rundirectory.h"

#include <algorithm>
#include <chrono>
#include <optional>

namespace llmf {

namespace {

using Clock = std::chrono::steady_clock;

double secondsBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double>(to - from).count();
}

// Generation needs eval mode (no dropout); the caller's mode comes back afterwards, so generating from a model
// between training steps does not silently switch its dropout off.
class EvalScope
{
public:
    explicit EvalScope(MiniLLM model) : m_model(std::move(model)), m_wasTraining(m_model->is_training())
    {
        m_model->eval();
    }
    ~EvalScope()
    {
        if (m_wasTraining)
            m_model->train();
    }
    EvalScope(const EvalScope &) = delete;
    EvalScope &operator=(const EvalScope &) = delete;

private:
    MiniLLM m_model;
    bool m_wasTraining;
};

// The next-token logits (V) from a forward's (1, T, V): the one device → host copy per step. Always a copy, so
// a TokenEvent holding it does not keep the whole (1, T, V) prefill output alive.
torch::Tensor lastRow(const torch::Tensor &logits)
{
    return logits.select(0, 0).select(0, logits.size(1) - 1).to(torch::kCPU, torch::kFloat32, false, true); // (V)
}

} // namespace

struct Generator::Impl
{
    MiniLLM model{nullptr};
    Tokenizer tokenizer;
    bool collectStages = true;
    bool collectLogits = true;
    // Decoding adapts its thread count to what else runs (threadtuner.h); it lives as long as the Generator, so
    // what one generate() learned serves the next.
    std::optional<ThreadTuner> threads;
};

Generator::Generator(MiniLLM model, Tokenizer tokenizer) : d(std::make_unique<Impl>())
{
    d->model = std::move(model);
    d->tokenizer = std::move(tokenizer);
    if (d->model->embed_tokens->weight.device().is_cpu() && ThreadTuner::enabledByEnvironment())
        d->threads.emplace(torch::get_num_threads());
}

Generator::Generator(const LoadedRun &run) : Generator(run.model(), run.tokenizer) {}

Generator::~Generator() = default;
Generator::Generator(Generator &&) noexcept = default;
Generator &Generator::operator=(Generator &&) noexcept = default;

MiniLLM Generator::model() const
{
    return d->model;
}

const Tokenizer &Generator::tokenizer() const
{
    return d->tokenizer;
}

std::string Generator::deviceName() const
{
    return d->model->embed_tokens->weight.device().str();
}

void Generator::setCollectStages(bool on)
{
    d->collectStages = on;
}

bool Generator::collectStages() const
{
    return d->collectStages;
}

void Generator::setCollectLogits(bool on)
{
    d->collectLogits = on;
}

bool Generator::collectLogits() const
{
    return d->collectLogits;
}

GenerationResult Generator::generate(const std::string &prompt, const GenerationConfig &config,
                                     const TokenCallback &onToken)
{
    return generate(d->tokenizer.encode(prompt), config, onToken);
}

GenerationResult Generator::generate(const std::vector<int32_t> &promptIds, const GenerationConfig &config,
                                     const TokenCallback &onToken)
{
    MiniLLM &model = d->model;
    const Tokenizer &tokenizer = d->tokenizer;
    const ModelConfig &mc = model->config();
    const int64_t maxSeq = mc.max_seq_len;
    const std::optional<int32_t> eos = tokenizer.specialId(Tokenizer::kEndOfText);

    GenerationResult result;
    result.promptIds = promptIds;
    if (result.promptIds.empty()) {
        // GPT-2 style: documents are separated by "<|endoftext|>", so it is also what "start of a document" means.
        if (!eos)
            throw Error("An empty prompt needs the \"<|endoftext|>\" token to start from, and this tokenizer has none.",
                        "Type a few words as the prompt.");
        result.promptIds = {*eos};
    }
    const auto promptLength = static_cast<int64_t>(result.promptIds.size());
    if (promptLength > maxSeq)
        throw Error("The prompt has " + std::to_string(promptLength) + " tokens but the model's context holds " +
                        std::to_string(maxSeq) + ".",
                    "Shorten the prompt to at most " + std::to_string(maxSeq) +
                        " tokens, or train a model with a larger max_seq_len.");
    for (const int32_t id : result.promptIds) {
        if (id < 0 || id >= mc.vocab_size)
            throw Error("The prompt contains token id " + std::to_string(id) + " but the model's vocabulary has " +
                            std::to_string(mc.vocab_size) + " tokens.",
                        "Use the tokenizer the model was trained with (the tokenizer.json of its run directory).");
    }
    if (config.max_new_tokens < 0)
        throw Error("max_new_tokens must be >= 0 (got " + std::to_string(config.max_new_tokens) + ").");
    Sampler sampler(config); // validates the sampling settings
    if (config.max_new_tokens == 0)
        return result;

    // Grad mode is per thread: the guard must live in the thread that runs the forward passes, i.e. here.
    c10::InferenceMode inferenceMode;
    EvalScope evalScope(model);
    const torch::Device dev = model->embed_tokens->weight.device();

    std::vector<int32_t> tokens = result.promptIds; // prompt + generated so far
    tokens.reserve(tokens.size() + static_cast<size_t>(config.max_new_tokens));
    result.generatedIds.reserve(static_cast<size_t>(config.max_new_tokens));
    // The model sees tokens[windowStart, end). When the window would outgrow the context it jumps forward to keep
    // the last 3/4: the cache cannot simply drop its oldest entry, because RoPE rotated every cached key by its
    // absolute position; after a shift all positions change, so the window is re-prefilled from position 0.
    // Jumping by a quarter (instead of sliding one token per step) keeps that re-prefill rare. The path without
    // the cache uses the same windows so that both give the same tokens.
    int64_t windowStart = 0;
    const int64_t keep = std::max<int64_t>(1, maxSeq * 3 / 4);

    KVCache cache;
    if (config.use_kv_cache)
        cache = model->makeCache(1); // preallocated to max_seq_len: decoding writes in place

    // Forward over the whole window; with the cache this also refills it from position 0.
    const auto forwardWindow = [&]() {
        const auto n = static_cast<int64_t>(tokens.size()) - windowStart;
        const auto idx = torch::from_blob(tokens.data() + windowStart, {1, n}, torch::kInt32)
                             .to(dev, torch::kInt64); // (1, T) copied, so `tokens` may grow afterwards
        if (!config.use_kv_cache)
            return lastRow(model->forward(idx)); // (V)
        cache.reset();
        return lastRow(model->forward(idx, cache)); // (V)
    };

    const Clock::time_point start = Clock::now();
    torch::Tensor logits = forwardWindow(); // (V)
    const Clock::time_point prefilled = Clock::now();
    result.prefillSeconds = secondsBetween(start, prefilled);

    // Decode steps are timed in groups of kTunedTokens (~20 ms): one token takes well under a millisecond, too little
    // to tell a busier machine from the scheduler's noise.
    constexpr int kTunedTokens = 32;
    ThreadTuner *tuner = d->threads ? &*d->threads : nullptr;
    double tunedSeconds = 0.0;
    int tunedTokens = 0;
    if (tuner)
        tuner->apply();

    const bool penalize = config.repetition_penalty != 1.0;
    const std::vector<int32_t> noContext;
    std::vector<int32_t> context;
    Utf8StreamDecoder utf8;
    double callbackSeconds = 0.0;
    while (true) {
        // 1. Sample the next token from the last logits.
        if (penalize)
            context.assign(tokens.begin() + windowStart, tokens.end());
        SamplingStages stages;
        float probability = 0.0f;
        const int32_t next = sampler.sample(logits, penalize ? context : noContext,
                                            onToken && d->collectStages ? &stages : nullptr, &probability);
        if (eos && next == *eos) {
            result.stoppedByEos = true;
            break;
        }
        tokens.push_back(next);
        result.generatedIds.push_back(next);

        // 2. Stream it. A model whose vocabulary is larger than its tokenizer's may pick an id with no bytes.
        const std::string piece =
            utf8.push(next < tokenizer.vocabSize() ? tokenizer.tokenBytes(next) : std::string("\xEF\xBF\xBD"));
        result.text += piece;
        if (onToken) {
            TokenEvent event;
            event.id = next;
            event.piece = piece;
            event.probability = probability;
            event.stages = std::move(stages);
            event.position = static_cast<int64_t>(tokens.size()) - 1;
            if (d->collectLogits) {
                const torch::Tensor row = logits.contiguous(); // (V) float32 on the CPU (lastRow)
                event.logits.assign(row.data_ptr<float>(), row.data_ptr<float>() + row.numel());
            }
            const Clock::time_point before = Clock::now();
            const bool goOn = onToken(event);
            callbackSeconds += secondsBetween(before, Clock::now());
            if (!goOn) {
                result.cancelled = true;
                break;
            }
        }
        if (static_cast<int64_t>(result.generatedIds.size()) >= config.max_new_tokens)
            break;

        // 3. Feed it to the model for the next logits.
        if (static_cast<int64_t>(tokens.size()) - windowStart > maxSeq) {
            windowStart = static_cast<int64_t>(tokens.size()) - keep;
            logits = forwardWindow(); // (V)
        } else if (config.use_kv_cache) {
            const Clock::time_point before = Clock::now();
            const auto idx = torch::full({1, 1}, static_cast<int64_t>(next),
                                         torch::TensorOptions(dev).dtype(torch::kInt64)); // (1, 1)
            logits = lastRow(model->forward(idx, cache));                                 // (V)
            if (tuner) {
                tunedSeconds += secondsBetween(before, Clock::now());
                if (++tunedTokens == kTunedTokens) {
                    tuner->record(tunedSeconds);
                    tuner->apply();
                    tunedSeconds = 0.0;
                    tunedTokens = 0;
                }
            }
        } else {
            logits = forwardWindow(); // (V)
        }
    }
    result.text += utf8.finish();

    result.decodeSeconds = std::max(0.0, secondsBetween(prefilled, Clock::now()) - callbackSeconds);
    if (result.decodeSeconds > 0.0)
        result.tokensPerSecond = static_cast<double>(result.generatedIds.size()) / result.decodeSeconds;
    return result;
}

} // namespace llmf
