// attendOverCache: decoding's attention, one query over the cache. At `small`'s size (8 heads of 32, up to 256
// positions) it was 15 % of a quantised decoding step in plain loops: baseline x86-64 code reduces a 32-float dot
// product with SSE and then sums lanes once per key. The AVX-512 path does a key's dot product in two FMAs and sums
// the lanes of four keys at once, and accumulates the weighted values sixteen floats per FMA.
#include "cacheattention.h"

#include "../common/simd.h"

#include <algorithm>
#include <cmath>

namespace llmf {

namespace {

// a · b with eight running sums: a float reduction in one accumulator must run in order (no vectorisation
// without -ffast-math); eight independent ones map onto one vector register.
float dot(const float *a, const float *b, int64_t n)
{
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int u = 0; u < 8; ++u)
            acc[u] += a[i + u] * b[i + u];
    float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; i < n; ++i)
        s += a[i] * b[i];
    return s;
}

// scores[0..n) ← exp(scores − max), returns their sum.
float exponentiate(float *scores, int64_t n)
{
    const float top = *std::max_element(scores, scores + n);
    float sum = 0.0f;
    for (int64_t j = 0; j < n; ++j)
        sum += scores[j] = std::exp(scores[j] - top);
    return sum;
}

void attendPortable(const float *q, const float *keys, const float *values, int64_t pos, int64_t H, int64_t G,
                    int64_t D, int64_t maxT, float scale, float *out, float *scores)
{
    const int64_t n = pos + 1;
    for (int64_t h = 0; h < H; ++h) {
        const float *qh = q + h * D;
        const float *kh = keys + (h / G) * maxT * D; // this head's shared KV head (GQA)
        const float *vh = values + (h / G) * maxT * D;
        for (int64_t j = 0; j < n; ++j)
            scores[j] = dot(qh, kh + j * D, D) * scale;
        const float inverseSum = 1.0f / exponentiate(scores, n);
        float *o = out + h * D;
        std::fill(o, o + D, 0.0f);
        for (int64_t j = 0; j < n; ++j) {
            const float p = scores[j] * inverseSum;
            for (int64_t i = 0; i < D; ++i)
                o[i] += p * vh[j * D + i];
        }
    }
}

#ifdef LLMF_HAVE_X86_SIMD
// GCC 12's AVX-512 headers start some intrinsics from _mm512_undefined_*() and then warn about it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

// D is a multiple of 16.
LLMF_AVX512 void attendAvx512(const float *q, const float *keys, const float *values, int64_t pos, int64_t H, int64_t G,
                              int64_t D, int64_t maxT, float scale, float *out, float *scores)
{
    const int64_t n = pos + 1;
    const __m128 scale4 = _mm_set1_ps(scale);
    for (int64_t h = 0; h < H; ++h) {
        const float *qh = q + h * D;
        const float *kh = keys + (h / G) * maxT * D;
        const float *vh = values + (h / G) * maxT * D;
        int64_t j = 0;
        for (; j + 4 <= n; j += 4) {
            const float *k0 = kh + j * D;
            __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
            for (int64_t i = 0; i < D; i += 16) {
                const __m512 qi = _mm512_loadu_ps(qh + i);
                a0 = _mm512_fmadd_ps(qi, _mm512_loadu_ps(k0 + i), a0);
                a1 = _mm512_fmadd_ps(qi, _mm512_loadu_ps(k0 + D + i), a1);
                a2 = _mm512_fmadd_ps(qi, _mm512_loadu_ps(k0 + 2 * D + i), a2);
                a3 = _mm512_fmadd_ps(qi, _mm512_loadu_ps(k0 + 3 * D + i), a3);
            }
            _mm_storeu_ps(scores + j, _mm_mul_ps(simd::sumFour(a0, a1, a2, a3), scale4));
        }
        for (; j < n; ++j) {
            __m512 a = _mm512_setzero_ps();
            for (int64_t i = 0; i < D; i += 16)
                a = _mm512_fmadd_ps(_mm512_loadu_ps(qh + i), _mm512_loadu_ps(kh + j * D + i), a);
            scores[j] = _mm512_reduce_add_ps(a) * scale;
        }
        const float inverseSum = 1.0f / exponentiate(scores, n);
        float *o = out + h * D;
        for (int64_t i = 0; i < D; i += 16) { // sixteen output values at a time, two chains of FMAs
            __m512 even = _mm512_setzero_ps(), odd = even;
            int64_t t = 0;
            for (; t + 2 <= n; t += 2) {
                even = _mm512_fmadd_ps(_mm512_set1_ps(scores[t]), _mm512_loadu_ps(vh + t * D + i), even);
                odd = _mm512_fmadd_ps(_mm512_set1_ps(scores[t + 1]), _mm512_loadu_ps(vh + (t + 1) * D + i), odd);
            }
            if (t < n)
                even = _mm512_fmadd_ps(_mm512_set1_ps(scores[t]), _mm512_loadu_ps(vh + t * D + i), even);
            _mm512_storeu_ps(o + i, _mm512_mul_ps(_mm512_add_ps(even, odd), _mm512_set1_ps(inverseSum)));
        }
    }
}
#pragma GCC diagnostic pop
#endif

} // namespace

void attendOverCache(const float *q, const float *keys, const float *values, int64_t pos, int64_t H, int64_t G,
                     int64_t D, int64_t maxT, float scale, float *out, std::vector<float> &scores)
{
    scores.resize(static_cast<size_t>(pos + 1));
#ifdef LLMF_HAVE_X86_SIMD
    if (D % 16 == 0 && simd::cpuHasAvx512())
        return attendAvx512(q, keys, values, pos, H, G, D, maxT, scale, out, scores.data());
#endif
    attendPortable(q, keys, values, pos, H, G, D, maxT, scale, out, scores.data());
}

} // namespace llmf
