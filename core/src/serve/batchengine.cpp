#include "llmf/serve/batchengine.h"

#include "llmf/common/error.h"
#include "llmf/infer/sampler.h"
#include "llmf/infer/utf8streamdecoder.h"
#include "llmf/model/minillm.h"
#include "llmf/run/rundirectory.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

namespace llmf {

namespace batching { // named, not anonymous: BatchEngine::Impl holds these

using Clock = std::chrono::steady_clock;

double secondsBetween(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

// One request while it runs: its slot, its own sampler (so its tokens do not depend on its neighbours), and the
// text not yet released because it may be the beginning of a stop string.
struct Sequence
{
    std::shared_ptr<RequestChannel> channel;
    CompletionRequest request;
    std::optional<Sampler> sampler;
    std::vector<int32_t> tokens; // prompt + generated
    int generated = 0;
    Utf8StreamDecoder utf8;
    std::string pending;
    Clock::time_point submitted, lastToken;
    int slot = -1;
    torch::Tensor logits; // (V) for the next token
};

// The longest suffix of `text` that is a proper prefix of some stop string: it must wait for the next token.
size_t heldBack(const std::string &text, const std::vector<std::string> &stops)
{
    size_t longest = 0;
    for (const auto &stop : stops)
        for (size_t n = std::min(stop.size() - 1, text.size()); n > longest; --n)
            if (text.compare(text.size() - n, n, stop, 0, n) == 0) {
                longest = n;
                break;
            }
    return longest;
}

} // namespace batching

using namespace batching;

struct BatchEngine::Impl
{
    MiniLLM model{nullptr};
    Tokenizer tokenizer;
    std::optional<int32_t> eos;
    int maxBatch = 1;
    int maxQueue = 0;
    Observer *observer = nullptr;

    mutable std::mutex mutex;
    std::condition_variable wake;
    std::deque<std::unique_ptr<Sequence>> queue;
    std::vector<std::unique_ptr<Sequence>> running;
    std::vector<KVCache> slots;
    std::vector<bool> slotUsed;
    bool accepting = true;
    bool stopping = false;
    Clock::time_point deadline = Clock::time_point::max();
    int runningCount = 0;
    std::thread thread;

    std::string pieceOf(int32_t id) const
    {
        return id < tokenizer.vocabSize() ? tokenizer.tokenBytes(id) : std::string("\xEF\xBF\xBD");
    }

    void finish(Sequence &s, const std::string &reason)
    {
        RequestChannel::Event event;
        event.end = true;
        event.finish.finishReason = reason;
        event.finish.promptTokens = static_cast<int>(s.request.promptIds.size());
        event.finish.completionTokens = s.generated;
        if (reason != "cancelled") {
            // Whatever was held back for a stop string that never came is released with the end.
            event.token.text = s.pending + s.utf8.finish();
        }
        s.channel->push(std::move(event));
    }

    CompletionToken describe(Sequence &s, int32_t id, const std::string &released) const
    {
        CompletionToken token;
        token.id = id;
        token.text = released;
        if (!s.request.wantLogprobs)
            return token;
        const torch::Tensor logp = torch::log_softmax(s.logits.to(torch::kFloat64), 0); // (V)
        token.logprob = logp[id].item<double>();
        if (s.request.logprobs > 0) {
            const auto top = logp.topk(std::min<int64_t>(s.request.logprobs, logp.size(0)));
            const auto values = std::get<0>(top), indices = std::get<1>(top);
            for (int64_t i = 0; i < values.size(0); ++i) {
                const auto alt = static_cast<int32_t>(indices[i].item<int64_t>());
                token.top.emplace_back(pieceOf(alt), values[i].item<double>());
            }
        }
        return token;
    }

    // Samples the next token of `s` from its logits and delivers it; false when the sequence has ended.
    bool advance(Sequence &s)
    {
        if (s.request.ignoreEos && eos)
            s.logits[*eos] = -std::numeric_limits<float>::infinity();
        const int32_t id = s.sampler->sample(
            s.logits, s.request.sampling.repetition_penalty != 1.0 ? s.tokens : std::vector<int32_t>{});
        const auto now = Clock::now();
        if (observer)
            s.generated == 0 ? observer->onFirstToken(secondsBetween(s.submitted, now))
                             : observer->onNextToken(secondsBetween(s.lastToken, now));
        s.lastToken = now;
        if (eos && id == *eos) {
            finish(s, "stop");
            return false;
        }
        s.tokens.push_back(id);
        ++s.generated;
        s.pending += s.utf8.push(pieceOf(id));
        std::string released;
        bool stopped = false;
        for (const auto &stop : s.request.stop) {
            const size_t at = s.pending.find(stop);
            if (at != std::string::npos) {
                released = s.pending.substr(0, at);
                s.pending.clear();
                stopped = true;
                break;
            }
        }
        if (!stopped) {
            const size_t keep = heldBack(s.pending, s.request.stop);
            released = s.pending.substr(0, s.pending.size() - keep);
            s.pending.erase(0, s.pending.size() - keep);
        }
        RequestChannel::Event event;
        event.token = describe(s, id, released);
        s.channel->push(std::move(event));
        if (stopped) {
            s.utf8.finish();
            finish(s, "stop");
            return false;
        }
        if (s.generated >= s.request.sampling.max_new_tokens) {
            finish(s, "length");
            return false;
        }
        return true;
    }

    void prefill(Sequence &s)
    {
        KVCache &cache = slots[static_cast<size_t>(s.slot)];
        cache.reset();
        const auto idx = torch::tensor(s.tokens, torch::kInt64).view({1, -1});
        s.logits = model->forward(idx, cache).select(0, 0).select(0, -1); // (V)
    }

    void release(Sequence &s)
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (s.slot >= 0) // queued requests cancelled at shutdown never had one
            slotUsed[static_cast<size_t>(s.slot)] = false;
        s.slot = -1;
    }

    void loop()
    {
        c10::InferenceMode inference;
        while (true) {
            std::vector<std::unique_ptr<Sequence>> admitted;
            {
                std::unique_lock<std::mutex> lock(mutex);
                if (running.empty() && queue.empty()) {
                    if (stopping)
                        break;
                    wake.wait_for(lock, std::chrono::milliseconds(50));
                    continue;
                }
                if (stopping && Clock::now() >= deadline) {
                    for (auto &s : queue)
                        running.push_back(std::move(s)); // cancelled below with the running ones
                    queue.clear();
                    for (auto &s : running)
                        s->channel->cancel();
                }
                for (size_t slot = 0; slot < slotUsed.size() && !queue.empty(); ++slot) {
                    if (slotUsed[slot])
                        continue;
                    slotUsed[slot] = true;
                    queue.front()->slot = static_cast<int>(slot);
                    admitted.push_back(std::move(queue.front()));
                    queue.pop_front();
                }
            }
            for (auto &s : admitted) {
                try {
                    if (!s->channel->cancelled())
                        prefill(*s);
                } catch (const std::exception &e) {
                    RequestChannel::Event event;
                    event.end = true;
                    event.finish.finishReason = "error";
                    event.finish.error = describeException(e);
                    s->channel->push(std::move(event));
                    release(*s);
                    continue;
                }
                running.push_back(std::move(s));
            }
            // Sample every sequence; the ones that go on take one batched step together.
            std::vector<std::unique_ptr<Sequence>> next;
            for (auto &s : running) {
                if (s->channel->cancelled()) {
                    finish(*s, "cancelled");
                    release(*s);
                } else if (!advance(*s)) {
                    release(*s);
                } else {
                    next.push_back(std::move(s));
                }
            }
            running = std::move(next);
            if (!running.empty()) {
                std::vector<int64_t> tokens;
                std::vector<KVCache *> caches;
                for (auto &s : running) {
                    tokens.push_back(s->tokens.back());
                    caches.push_back(&slots[static_cast<size_t>(s->slot)]);
                }
                const torch::Tensor logits = model->decodeBatch(tokens, caches); // (N, V)
                for (size_t i = 0; i < running.size(); ++i)
                    running[i]->logits = logits[static_cast<int64_t>(i)];
            }
            {
                std::lock_guard<std::mutex> lock(mutex);
                runningCount = static_cast<int>(running.size());
                if (observer)
                    observer->onStep(runningCount, static_cast<int>(queue.size()));
            }
        }
    }
};

BatchEngine::BatchEngine(const LoadedRun &run, int maxBatch, int maxQueue, Observer *observer)
    : d(std::make_unique<Impl>())
{
    if (maxBatch < 1 || maxQueue < 0)
        throw Error("--max-batch must be at least 1 and --max-queue at least 0.");
    d->model = run.model();
    if (!d->model->embed_tokens->weight.device().is_cpu())
        throw Error("The server runs on the CPU; load the run with device \"cpu\".");
    d->model->eval();
    d->tokenizer = run.tokenizer;
    d->eos = d->tokenizer.specialId(Tokenizer::kEndOfText);
    d->maxBatch = maxBatch;
    d->maxQueue = maxQueue;
    d->observer = observer;
    for (int i = 0; i < maxBatch; ++i)
        d->slots.push_back(d->model->makeCache(1)); // the KV-cache pool: one max_seq_len slot per sequence
    d->slotUsed.assign(static_cast<size_t>(maxBatch), false);
    d->thread = std::thread([this] { d->loop(); });
}

BatchEngine::~BatchEngine()
{
    shutdown(std::chrono::milliseconds(0));
}

std::shared_ptr<RequestChannel> BatchEngine::submit(CompletionRequest request)
{
    const ModelConfig &mc = d->model->config();
    if (request.promptIds.empty()) {
        if (!d->eos)
            throw Error("An empty prompt needs the \"<|endoftext|>\" token, and this model's tokenizer has none.");
        request.promptIds = {*d->eos};
    }
    for (const int32_t id : request.promptIds)
        if (id < 0 || id >= mc.vocab_size)
            throw Error("The prompt contains token id " + std::to_string(id) + ", outside the model's vocabulary of " +
                        std::to_string(mc.vocab_size) + ".");
    const auto total = static_cast<int64_t>(request.promptIds.size()) + request.sampling.max_new_tokens;
    if (request.sampling.max_new_tokens < 1 || total > mc.max_seq_len)
        throw Error("This model's maximum context length is " + std::to_string(mc.max_seq_len) +
                    " tokens; the prompt has " + std::to_string(request.promptIds.size()) +
                    " and max_tokens asks for " + std::to_string(request.sampling.max_new_tokens) + ".");
    for (const auto &stop : request.stop)
        if (stop.empty())
            throw Error("A stop string is empty.");
    Sampler::validate(request.sampling);

    auto s = std::make_unique<Sequence>();
    s->channel = std::make_shared<RequestChannel>();
    s->sampler.emplace(request.sampling);
    s->tokens = request.promptIds;
    s->request = std::move(request);
    s->submitted = Clock::now();
    auto channel = s->channel;
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        if (!d->accepting || static_cast<int>(d->queue.size()) >= d->maxQueue + (d->maxBatch - d->runningCount))
            return nullptr;
        d->queue.push_back(std::move(s));
    }
    d->wake.notify_all();
    return channel;
}

void BatchEngine::shutdown(std::chrono::milliseconds grace)
{
    {
        std::lock_guard<std::mutex> lock(d->mutex);
        d->accepting = false;
        d->stopping = true;
        d->deadline = std::min(d->deadline, Clock::now() + grace);
    }
    d->wake.notify_all();
    if (d->thread.joinable())
        d->thread.join();
}

int BatchEngine::running() const
{
    std::lock_guard<std::mutex> lock(d->mutex);
    return d->runningCount;
}

int BatchEngine::queued() const
{
    std::lock_guard<std::mutex> lock(d->mutex);
    return static_cast<int>(d->queue.size());
}

const Tokenizer &BatchEngine::tokenizer() const
{
    return d->tokenizer;
}

int64_t BatchEngine::contextLength() const
{
    return d->model->config().max_seq_len;
}

} // namespace llmf
