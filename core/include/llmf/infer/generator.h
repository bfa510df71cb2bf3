#pragma once

// Autoregressive generation: prompt → tokens, one at a time, streamed to a callback.
//
//     prefill   one forward over the prompt fills the KV cache and gives the first next-token logits
//     decode    sample a token, feed just that token (its keys/values are appended to the cache), repeat
//
// Without the KV cache every step recomputes the whole context: the same tokens, O(T) times more work per step,
// which is what the lesson comparing the two measures.

#include "llmf/config/generationconfig.h"
#include "llmf/infer/sampler.h"
#include "llmf/model/minillm.h"
#include "llmf/tokenizer/tokenizer.h"

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace llmf {

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
    // The logits row (V) the sampler saw, float32 on the CPU: Sampler::stages(logits, newSettings, context)
    // recomputes the stages when the user moves a slider, without generating again.
    torch::Tensor logits;
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

    // Throws llmf::Error for invalid settings or a prompt longer than the model's context.
    GenerationResult generate(const std::string &prompt, const GenerationConfig &config,
                              const TokenCallback &onToken = {});
    GenerationResult generate(const std::vector<int32_t> &promptIds, const GenerationConfig &config,
                              const TokenCallback &onToken = {});

    const MiniLLM &model() const { return m_model; }
    const Tokenizer &tokenizer() const { return m_tokenizer; }
    // Where the model's weights live (and so where the forward passes run).
    torch::Device device() const;

    // Whether TokenEvent::stages is filled (default on). The stages cost ~0.5 ms per token for an 8192-token
    // vocabulary; a caller that only prints the text (the CLI) turns them off.
    void setCollectStages(bool on) { m_collectStages = on; }
    bool collectStages() const { return m_collectStages; }

private:
    MiniLLM m_model;
    Tokenizer m_tokenizer;
    bool m_collectStages = true;
};

} // namespace llmf
