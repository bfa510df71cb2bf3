#pragma once

#include "llmf/config/generationconfig.h"
#include "llmf/serve/requestchannel.h"
#include "llmf/tokenizer/tokenizer.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace llmf {

struct LoadedRun;

struct CompletionRequest
{
    std::vector<int32_t> promptIds;
    GenerationConfig sampling; // temperature, top_k, top_p, repetition_penalty, seed, max_new_tokens
    std::vector<std::string> stop;
    bool wantLogprobs = false; // fill CompletionToken::logprob (a log-softmax over the vocabulary per token)
    int logprobs = 0;          // alternatives per token in CompletionToken::top (0 = none)
    bool ignoreEos = false;    // never sample end-of-text: exactly max_new_tokens tokens (benchmarks)
};

// Continuous batching (what `llmf serve` runs). One thread owns the model; every step it
//   1. admits queued requests into free slots (a slot is a KV cache of max_seq_len) and prefills each prompt,
//   2. advances every running sequence by one token in a single batched forward (MiniLLM::decodeBatch),
//   3. samples each sequence with its own seeded Sampler and releases finished or cancelled ones at once.
// A request's tokens do not depend on what else runs: greedy output equals `llmf generate --temperature 0`, and a
// seeded request gives the same text alone or beside others.
class BatchEngine
{
public:
    struct Observer
    {
        virtual ~Observer() = default;
        virtual void onFirstToken(double /*secondsSinceSubmit*/) {}
        virtual void onNextToken(double /*secondsSincePrevious*/) {}
        virtual void onStep(int /*running*/, int /*queued*/) {}
    };

    BatchEngine(const LoadedRun &run, int maxBatch, int maxQueue, Observer *observer = nullptr);
    ~BatchEngine(); // cancels what runs and joins the thread
    BatchEngine(const BatchEngine &) = delete;
    BatchEngine &operator=(const BatchEngine &) = delete;

    // Queues a request (validated: llmf::Error naming the problem). nullptr when the queue is full or the engine
    // is shutting down.
    std::shared_ptr<RequestChannel> submit(CompletionRequest request);
    // Stops accepting; lets running and queued requests finish for up to `grace`, then cancels the rest.
    void shutdown(std::chrono::milliseconds grace);

    int running() const;
    int queued() const;
    const Tokenizer &tokenizer() const;
    int64_t contextLength() const; // the model's max_seq_len

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace llmf
