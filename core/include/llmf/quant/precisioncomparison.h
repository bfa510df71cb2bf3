#pragma once

// The Playground's Precision tab as a library call: one run's weights in fp32, int8 and int4, side by side on the
// same prompt and seed — size on disk, decoding speed, perplexity on the run's validation split, how often each
// picks fp32's next token, and the three continuations. Torch-free.

#include "llmf/config/generationconfig.h"
#include "llmf/kernels/quantizedmatrix.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace llmf {

struct PrecisionRow
{
    QuantType type = QuantType::None; // None = fp32
    int64_t weightsBytes = 0;         // model.safetensors at this precision
    double tokensPerSecond = 0.0;     // decoding, batch 1, KV cache
    double perplexity = 0.0;          // on the validation tokens; 0 when the run's data could not be read
    double topOneAgreement = 1.0;     // share of validation positions where it ranks fp32's top token first
    std::string continuation;         // the generated text
    std::vector<int32_t> ids;
    int64_t firstDifference = -1; // first generated token that differs from fp32's; -1 when all agree
};

struct PrecisionOptions
{
    std::string prompt;
    GenerationConfig generation;     // the same settings and seed for every precision (use_kv_cache is forced on)
    int64_t validationTokens = 8192; // scored for perplexity and agreement (0 = skip both)
};

// Called with each row as it is ready (fp32 first).
using PrecisionProgress = std::function<void(const PrecisionRow &)>;

// llmf::Error when the run cannot be loaded or is itself quantised (compare from its fp32 run). When the run's
// training data cannot be read, perplexity and agreement stay 0 / 1 and `note` (if given) says why. `cancel` is
// checked between steps; a cancelled comparison returns the rows finished so far.
std::vector<PrecisionRow> comparePrecisions(const std::string &runDir, const PrecisionOptions &options,
                                            const PrecisionProgress &progress = {},
                                            const std::atomic_bool *cancel = nullptr, std::string *note = nullptr);

} // namespace llmf
