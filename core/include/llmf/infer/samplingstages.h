#pragma once

// What the sampler did to one row of logits, as plain data (no torch here): the Playground and the server hold
// these as values. The pipeline itself is described in sampler.h.

#include "llmf/config/generationconfig.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace llmf {

struct Candidate
{
    int32_t id;
    float probability;
};

// The most likely tokens after each stage, best first. Tokens a stage removed (probability 0) are left out, so
// topK holds at most k entries and, for greedy decoding, tempered/topK/topP hold exactly one.
struct SamplingStages
{
    std::vector<Candidate> raw;       // softmax of the logits as the model produced them
    std::vector<Candidate> penalized; // after the repetition penalty
    std::vector<Candidate> tempered;  // after the temperature
    std::vector<Candidate> topK;      // after top-k, renormalised
    std::vector<Candidate> topP;      // after top-p, renormalised: the distribution the token is drawn from
};

// Sampler::stages() for a logits row held as plain floats (V): the Playground recomputes the stages of a stored
// row when a slider moves. Throws llmf::Error when the settings are invalid.
SamplingStages samplingStages(const float *logits, size_t count, const GenerationConfig &config,
                              const std::vector<int32_t> &context, int topN = 10);

} // namespace llmf
