#pragma once

// Autoregressive generation: prompt → tokens, one at a time, streamed to a callback.
//
//     prefill   one forward over the prompt fills the KV cache and gives the first next-token logits
//     decode    sample a token, feed just that token (its keys/values are appended to the cache), repeat
//
// Without the KV cache every step recomputes the whole context: the same tokens, O(T) times more work per step,
// which is what the lesson comparing the two measures.

//
// No torch in this header: the Playground's worker, the training samples and the CLI drive generation without
// compiling LibTorch (the model is held behind a pimpl).

#include "llmf/config/generationconfig.h"
#include "llmf/infer/samplingstages.h"
#include "llmf/tokenizer/tokenizer.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace llmf {

class MiniLLM;
struct LoadedRun;

// One generated token, as the callback sees it.
struct TokenEvent
{
    int32_t id = 0;
    // The text this token completes. A character split across tokens appears with its last byte (earlier pieces
    // are then ""); bytes that are not UTF-8 appear as U+FFFD.
    std::string piece;
    float probability = 0.0f; // of this token in the final (sampled-from) distribution
    SamplingStages stages;    // top 10 after each sampling stage (empty when collectStages() is off)
    int64_t position = 0;     // index of this token in promptIds + generatedIds
    // The logits row (V) the sampler saw: samplingStages(logits, newSettings, context) recomputes the stages when
    // the user moves a slider, without generating again. Empty when collectLogits() is off.
    std::vector<float> logits;
};

// Return false to stop generating (the Stop button); the token just delivered is kept.
using TokenCallback = std::function<bool(const TokenEvent &)>;

struct GenerationResult
{
    std::vector<int32_t> promptIds;    // what the model was conditioned on ("<|endoftext|>" for an empty prompt)
    std::vector<int32_t> generatedIds; // excludes the end-of-text token that stopped generation
    // The generated text only: the concatenated pieces, plus U+FFFD when generation stopped in the middle of a
    // multi-byte character.
    std::string text;
    double prefillSeconds = 0.0;  // the forward pass over the prompt
    double decodeSeconds = 0.0;   // everything after it (sampling, decode forwards, re-prefills after a slide),
                                  // not counting time spent in the callback
    double tokensPerSecond = 0.0; // generatedIds.size() / decodeSeconds
    bool stoppedByEos = false;    // the model produced "<|endoftext|>"
    bool cancelled = false;       // the callback returned false
};

class Generator
{
public:
    // The model is shared (a holder), not copied: train it elsewhere only between generate() calls.
    Generator(MiniLLM model, Tokenizer tokenizer);
    explicit Generator(const LoadedRun &run);
    ~Generator();
    Generator(Generator &&) noexcept;
    Generator &operator=(Generator &&) noexcept;

    // Throws llmf::Error for invalid settings or a prompt longer than the model's context.
    GenerationResult generate(const std::string &prompt, const GenerationConfig &config,
                              const TokenCallback &onToken = {});
    GenerationResult generate(const std::vector<int32_t> &promptIds, const GenerationConfig &config,
                              const TokenCallback &onToken = {});

    MiniLLM model() const;
    const Tokenizer &tokenizer() const;
    // Where the model's weights live (and so where the forward passes run): "cpu", "cuda:0".
    std::string deviceName() const;

    // Whether TokenEvent::stages is filled (default on). The stages cost ~0.5 ms per token for an 8192-token
    // vocabulary; a caller that only prints the text (the CLI) turns them off.
    void setCollectStages(bool on);
    bool collectStages() const;
    // Whether TokenEvent::logits is filled (default on): one copy of V floats per token.
    void setCollectLogits(bool on);
    bool collectLogits() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace llmf
