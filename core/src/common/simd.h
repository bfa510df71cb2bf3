#pragma once

// Helpers for the hand-vectorised kernels (quantised matrix-vector products, attention over the KV cache). The
// library is compiled for baseline x86-64, so each SIMD function carries a target attribute and is only called after
// a CPUID check (cpuHasAvx512()); the portable code stays the reference the tests compare with.

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include <cstdint>

#define LLMF_HAVE_X86_SIMD 1
#define LLMF_AVX2 __attribute__((target("avx2,fma")))
#define LLMF_AVX512 __attribute__((target("avx512f,avx2,fma")))
#define LLMF_AVX512_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma")))

namespace llmf::simd {

inline bool cpuHasAvx2()
{
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return has;
}

inline bool cpuHasAvx512()
{
    // The int4 kernel multiplies bytes with AVX-512 VNNI (Ice Lake, Zen 4 and later); older AVX-512 CPUs take AVX2.
    static const bool has = cpuHasAvx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                            __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
    return has;
}

// Load masks for a group of 32 floats of which only the first `count` exist (the end of a row): its two 16-lane
// halves. Masked-off lanes are neither read nor faulted on, and load as zero.
struct GroupMasks
{
    __mmask16 firstHalf, secondHalf;
    explicit GroupMasks(int64_t count)
        : firstHalf(static_cast<__mmask16>(count >= 16 ? 0xffff : (1u << count) - 1u)),
          secondHalf(static_cast<__mmask16>(count >= 32  ? 0xffff
                                            : count > 16 ? (1u << (count - 16)) - 1u
                                                         : 0u))
    {}
};

// The two 256-bit halves of v, added.
LLMF_AVX512 inline __m256 addHalves(__m512 v)
{
    return _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
}

// [Σ a, Σ b, Σ c, Σ d] over each vector's 16 lanes: four reductions for the price of about two.
LLMF_AVX512 inline __m128 sumFour(__m512 a, __m512 b, __m512 c, __m512 d)
{
    // Two rounds of pairwise adds leave [a, b, c, d] partial sums in each 128-bit lane.
    const __m256 sums =
        _mm256_hadd_ps(_mm256_hadd_ps(addHalves(a), addHalves(b)), _mm256_hadd_ps(addHalves(c), addHalves(d)));
    return _mm_add_ps(_mm256_castps256_ps128(sums), _mm256_extractf128_ps(sums, 1));
}

// [Σ a, Σ b, Σ c, Σ d] over each vector's 8 lanes.
LLMF_AVX2 inline __m128 sumFour(__m256 a, __m256 b, __m256 c, __m256 d)
{
    const __m256 sums = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
    return _mm_add_ps(_mm256_castps256_ps128(sums), _mm256_extractf128_ps(sums, 1));
}

// Σ of v's 8 lanes.
LLMF_AVX2 inline float sum(__m256 v)
{
    const __m128 pair = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 two = _mm_add_ps(pair, _mm_movehl_ps(pair, pair));
    return _mm_cvtss_f32(_mm_add_ss(two, _mm_shuffle_ps(two, two, 1)));
}

} // namespace llmf::simd

#else
namespace llmf::simd {
inline bool cpuHasAvx2()
{
    return false;
}
inline bool cpuHasAvx512()
{
    return false;
}
} // namespace llmf::simd
#endif
