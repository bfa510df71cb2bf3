// Rounding activations to 8 bits per group of 32 (GGML's Q8_0) for the int4 kernels, and the float form of the same
// rounding that the model's other paths apply (roundActivationsToQ8), so both compute one function.
#include "q8activations.h"

#include "../common/simd.h"
#include "llmf/kernels/quantizedmatrix.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace llmf {

float roundGroupToQ8(const float *values, int64_t count, int8_t *codes)
{
    float amax = 0.0f;
    bool finite = true;
    for (int64_t j = 0; j < count; ++j) {
        finite = finite && std::isfinite(values[j]);
        amax = std::max(amax, std::fabs(values[j]));
    }
    std::fill(codes, codes + kQuantGroupSize, int8_t(0));
    if (!finite)
        return std::numeric_limits<float>::quiet_NaN();
    if (amax == 0.0f)
        return 0.0f;
    const float d = amax / 127.0f, inverse = 1.0f / d;
    // Round to nearest, ties to even, by adding and removing 1.5 · 2^23 (exact for |v| < 2^22; here |v| ≤ ~127):
    // what nearbyint does in the default rounding mode, without a library call per value.
    constexpr float kRound = 12582912.0f;
    for (int64_t j = 0; j < count; ++j) {
        const float q = (values[j] * inverse + kRound) - kRound;
        codes[j] = static_cast<int8_t>(std::clamp(q, -127.0f, 127.0f));
    }
    return d;
}

namespace {

// Where group g's 32 codes go in the chunk layout, and its lanes' offsets and scales (see Q8Row).
void placeGroup(const int8_t *group, float d, int64_t g, int8_t *codes, int32_t *offsets, float *scales)
{
    const int64_t chunk = g / 4, slot = g % 4;
    int8_t *firstHalf = codes + chunk * 128 + slot * 16, *secondHalf = firstHalf + 64;
    std::copy(group, group + 16, firstHalf);
    std::copy(group + 16, group + 32, secondHalf);
    for (int lane = 0; lane < 4; ++lane) {
        int32_t sum = 0;
        for (int t = 0; t < 4; ++t)
            sum += firstHalf[lane * 4 + t] + secondHalf[lane * 4 + t];
        offsets[chunk * 16 + slot * 4 + lane] = 8 * sum;
        scales[chunk * 16 + slot * 4 + lane] = d;
    }
}

#ifdef LLMF_HAVE_X86_SIMD
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized" // GCC 12's AVX-512 headers (see quantkernels.cpp)
#pragma GCC diagnostic ignored "-Wuninitialized"

// roundGroupToQ8 sixteen values at a time: the same maximum, scale and products, and vcvtps2dq rounds to nearest
// with ties to even as the scalar code's 1.5 · 2^23 trick does, so the codes are identical (a group holding inf
// or NaN goes to the scalar code).
LLMF_AVX512_VNNI float roundGroupAvx512(const float *values, int64_t count, int8_t *codes)
{
    const simd::GroupMasks masks(count);
    const __m512 v0 = _mm512_maskz_loadu_ps(masks.firstHalf, values);
    const __m512 v1 = _mm512_maskz_loadu_ps(masks.secondHalf, values + 16);
    const float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(v0), _mm512_abs_ps(v1)));
    if (!(amax <= std::numeric_limits<float>::max()) || amax == 0.0f)
        return roundGroupToQ8(values, count, codes);
    const float d = amax / 127.0f, inverse = 1.0f / d;
    const __m512 scale = _mm512_set1_ps(inverse);
    const __m512i low = _mm512_set1_epi32(-127), high = _mm512_set1_epi32(127);
    const __m512i q0 = _mm512_min_epi32(_mm512_max_epi32(_mm512_cvtps_epi32(_mm512_mul_ps(v0, scale)), low), high);
    const __m512i q1 = _mm512_min_epi32(_mm512_max_epi32(_mm512_cvtps_epi32(_mm512_mul_ps(v1, scale)), low), high);
    _mm_storeu_si128(reinterpret_cast<__m128i *>(codes), _mm512_cvtepi32_epi8(q0));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(codes + 16), _mm512_cvtepi32_epi8(q1));
    return d;
}

#pragma GCC diagnostic pop
#endif

} // namespace

void Q8Activations::assign(const float *x, int64_t n, int64_t cols)
{
    const auto values = static_cast<size_t>(n * cols);
    if (cols == m_cols && values == m_source.size() && std::equal(x, x + values, m_source.begin()))
        return;
    m_source.assign(x, x + values);
    m_cols = cols;
    const int64_t groups = (cols + kQuantGroupSize - 1) / kQuantGroupSize;
    m_chunks = (groups + 3) / 4;
    m_codes.assign(static_cast<size_t>(n * m_chunks * 128), 0);
    m_offsets.assign(static_cast<size_t>(n * m_chunks * 16), 0);
    m_scales.assign(static_cast<size_t>(n * m_chunks * 16), 0.0f);
    int8_t group[kQuantGroupSize];
    for (int64_t i = 0; i < n; ++i) {
        int8_t *codes = m_codes.data() + i * m_chunks * 128;
        int32_t *offsets = m_offsets.data() + i * m_chunks * 16;
        float *scales = m_scales.data() + i * m_chunks * 16;
        for (int64_t g = 0; g < groups; ++g) {
            const int64_t begin = g * kQuantGroupSize, count = std::min(kQuantGroupSize, cols - begin);
#ifdef LLMF_HAVE_X86_SIMD
            const float d = simd::cpuHasAvx512() ? roundGroupAvx512(x + i * cols + begin, count, group)
                                                 : roundGroupToQ8(x + i * cols + begin, count, group);
#else
            const float d = roundGroupToQ8(x + i * cols + begin, count, group);
#endif
            placeGroup(group, d, g, codes, offsets, scales);
        }
    }
}

Q8Row Q8Activations::row(int64_t i) const
{
    return {m_codes.data() + i * m_chunks * 128, m_offsets.data() + i * m_chunks * 16,
            m_scales.data() + i * m_chunks * 16, m_chunks};
}

void roundActivationsToQ8(const float *x, int64_t n, int64_t cols, float *out)
{
    int8_t codes[kQuantGroupSize];
    for (int64_t i = 0; i < n; ++i)
        for (int64_t begin = 0; begin < cols; begin += kQuantGroupSize) {
            const int64_t count = std::min(kQuantGroupSize, cols - begin);
            const float *values = x + i * cols + begin;
            const float d = roundGroupToQ8(values, count, codes);
            float *o = out + i * cols + begin;
            for (int64_t j = 0; j < count; ++j)
                o[j] = d * static_cast<float>(codes[j]);
        }
}

} // namespace llmf
