#pragma once

#include <cstdint>
#include <vector>

namespace llmf {

// Causal attention of one query position over KV-cache positions [0, pos], every head (decoding's attention):
//   q (H·D), keys and values (KV, maxT, D) with KV = H / G heads shared by G query heads each (GQA), out (H·D).
// `scores` is scratch space. AVX-512 when the CPU has it and D is a multiple of 16, plain loops otherwise.
void attendOverCache(const float *q, const float *keys, const float *values, int64_t pos, int64_t H, int64_t G,
                     int64_t D, int64_t maxT, float scale, float *out, std::vector<float> &scores);

} // namespace llmf
