// int4 × Q8_0: a group's dot product as integers, like GGML's Q4_0 × Q8_0.
//
// With fp32 activations an int4 group costs what an int8 one does: three 512-bit multiply-adds per 32 weights once
// the codes are floats, so int4 was no faster than int8 when the weights sit in cache. Rounding the activations to
// 8 bits as well lets one `vpdpbusd` multiply 64 unsigned nibbles by 64 signed activation codes and add them in
// fours into 32-bit lanes: a chunk of four groups is two of those, a subtraction (the nibbles hold q + 8, see
// Q8Row::offsets) and one float multiply-add with the lanes' two scales. The integer sums are exact, so the result
// is Σ_g d_w · d_x · Σ q·x up to the rounding of the float steps — what the model's float paths compute from the
// dequantised weights and roundActivationsToQ8, which the tests hold it to.
#include "int4kernels.h"

#include "../common/simd.h"
#include "llmf/kernels/quantizedmatrix.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace llmf {

namespace {

// The last chunk of a row with fewer than four groups, padded with zero weights (the AVX2 kernel always reads 64
// code bytes and 4 scales per chunk).
struct PaddedChunk // 80 bytes: an array of them is rows of codes and scales at a fixed stride
{
    uint8_t codes[64];
    float scales[4];

    PaddedChunk() = default;
    PaddedChunk(const QuantizedMatrix &m, int64_t row, int64_t chunk)
    {
        const int64_t groups = m.groupsPerRow(), present = groups - chunk * 4;
        std::memset(codes, 0x88, sizeof codes); // nibble 8 is the weight 0
        std::fill(scales, scales + 4, 0.0f);
        std::memcpy(codes, m.codes().data() + row * m.codeBytesPerRow() + chunk * 64,
                    static_cast<size_t>(present * 16));
        std::copy_n(m.scales().data() + row * groups + chunk * 4, present, scales);
    }
};

static_assert(sizeof(PaddedChunk) == 80 && offsetof(PaddedChunk, scales) == 64, "rows of a PaddedChunk array");

} // namespace

void int4RowsPortable(const QuantizedMatrix &m, const Q8Row &x, int64_t rowBegin, int64_t rowEnd, float *y)
{
    const int64_t groups = m.groupsPerRow();
    for (int64_t r = rowBegin; r < rowEnd; ++r) {
        const uint8_t *codes = m.codes().data() + r * m.codeBytesPerRow();
        const float *scales = m.scales().data() + r * groups;
        float total = 0.0f;
        for (int64_t g = 0; g < groups; ++g) {
            const int8_t *firstHalf = x.codes + (g / 4) * 128 + (g % 4) * 16, *secondHalf = firstHalf + 64;
            int32_t sum = 0;
            for (int64_t j = 0; j < 16; ++j) {
                const uint8_t c = codes[g * 16 + j];
                sum += ((c & 0x0f) - 8) * firstHalf[j] + ((c >> 4) - 8) * secondHalf[j];
            }
            total += scales[g] * x.scales[(g / 4) * 16 + (g % 4) * 4] * static_cast<float>(sum);
        }
        y[r] = total;
    }
}

#ifdef LLMF_HAVE_X86_SIMD

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized" // GCC 12's AVX-512 headers (see quantkernels.cpp)
#pragma GCC diagnostic ignored "-Wuninitialized"

namespace {

// One chunk (four groups, 128 weights) of R rows: two vpdpbusd, the offsets, one multiply-add with the scales. A
// row's partial last chunk loads only its `groups` groups (masked loads give zero codes and scales past them).
template <int R>
LLMF_AVX512_VNNI inline void chunkAvx512(const Q8Row &x, int64_t c, const uint8_t *codes, int64_t codeStride,
                                         const float *scales, int64_t scaleStride, __m512 *acc, int groups = 4)
{
    const auto codeMask = static_cast<__mmask64>(groups == 4 ? ~0ull : (1ull << (16 * groups)) - 1);
    const auto scaleMask = static_cast<__mmask8>((1u << groups) - 1);
    const __m512i nibble = _mm512_set1_epi8(0x0f);
    const __m512i lanesOfGroup = _mm512_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
    const __m512i firstHalves = _mm512_loadu_si512(x.codes + c * 128);
    const __m512i secondHalves = _mm512_loadu_si512(x.codes + c * 128 + 64);
    const __m512i offsets = _mm512_loadu_si512(x.offsets + c * 16);
    const __m512 activationScales = _mm512_loadu_ps(x.scales + c * 16);
#pragma GCC unroll 4 // unrolled, the R accumulators stay in registers
    for (int i = 0; i < R; ++i) {
        const __m512i packed = _mm512_maskz_loadu_epi8(codeMask, codes + i * codeStride);
        const __m512i low = _mm512_and_si512(packed, nibble);
        const __m512i high = _mm512_and_si512(_mm512_srli_epi16(packed, 4), nibble);
        __m512i dot = _mm512_dpbusd_epi32(_mm512_setzero_si512(), low, firstHalves);
        dot = _mm512_sub_epi32(_mm512_dpbusd_epi32(dot, high, secondHalves), offsets);
        const __m512 weightScales = _mm512_permutexvar_ps(
            lanesOfGroup, _mm512_castps128_ps512(_mm_maskz_loadu_ps(scaleMask, scales + i * scaleStride)));
        acc[i] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_mul_ps(weightScales, activationScales), acc[i]);
    }
}

// The same per half chunk (two groups per 256-bit register), with AVX2's u8 × s8 → 16-bit → 32-bit products.
template <int R>
LLMF_AVX2 inline void chunkAvx2(const Q8Row &x, int64_t c, const uint8_t *codes, int64_t codeStride,
                                const float *scales, int64_t scaleStride, __m256 *acc)
{
    const __m256i nibble = _mm256_set1_epi8(0x0f), ones = _mm256_set1_epi16(1);
    const __m256i lanesOfGroup = _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1);
    for (int half = 0; half < 2; ++half) {
        const auto *xc = reinterpret_cast<const __m256i *>(x.codes + c * 128 + 32 * half);
        const __m256i firstHalves = _mm256_loadu_si256(xc), secondHalves = _mm256_loadu_si256(xc + 2);
        const __m256i offsets = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(x.offsets + c * 16 + 8 * half));
        const __m256 activationScales = _mm256_loadu_ps(x.scales + c * 16 + 8 * half);
#pragma GCC unroll 4 // unrolled, the R accumulators stay in registers
        for (int i = 0; i < R; ++i) {
            const __m256i packed =
                _mm256_loadu_si256(reinterpret_cast<const __m256i *>(codes + i * codeStride + 32 * half));
            const __m256i low = _mm256_and_si256(packed, nibble);
            const __m256i high = _mm256_and_si256(_mm256_srli_epi16(packed, 4), nibble);
            // u8 × s8 pairs into 16 bits (at most 2 · 15 · 127, no saturation), then fours into 32 bits.
            const __m256i dot =
                _mm256_sub_epi32(_mm256_add_epi32(_mm256_madd_epi16(_mm256_maddubs_epi16(low, firstHalves), ones),
                                                  _mm256_madd_epi16(_mm256_maddubs_epi16(high, secondHalves), ones)),
                                 offsets);
            const __m128 twoScales =
                _mm_castpd_ps(_mm_load_sd(reinterpret_cast<const double *>(scales + i * scaleStride + 2 * half)));
            const __m256 weightScales = _mm256_permutevar8x32_ps(_mm256_castps128_ps256(twoScales), lanesOfGroup);
            acc[i] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_mul_ps(weightScales, activationScales), acc[i]);
        }
    }
}

// R rows from r on (R = 4 shares the final lane sums, simd::sumFour; R = 1 for the remainder).
template <int R> LLMF_AVX512_VNNI void rowBlockAvx512(const QuantizedMatrix &m, const Q8Row &x, int64_t r, float *y)
{
    const int64_t groups = m.groupsPerRow(), fullChunks = groups / 4, rowBytes = m.codeBytesPerRow();
    const uint8_t *codes = m.codes().data() + r * rowBytes;
    const float *scales = m.scales().data() + r * groups;
    __m512 acc[R];
    for (int i = 0; i < R; ++i)
        acc[i] = _mm512_setzero_ps();
    for (int64_t c = 0; c < fullChunks; ++c)
        chunkAvx512<R>(x, c, codes + c * 64, rowBytes, scales + c * 4, groups, acc);
    if (fullChunks < x.chunks)
        chunkAvx512<R>(x, fullChunks, codes + fullChunks * 64, rowBytes, scales + fullChunks * 4, groups, acc,
                       static_cast<int>(groups - fullChunks * 4));
    if constexpr (R == 4)
        _mm_storeu_ps(y + r, simd::sumFour(acc[0], acc[1], acc[2], acc[3]));
    else
        y[r] = _mm512_reduce_add_ps(acc[0]);
}

template <int R> LLMF_AVX2 void rowBlockAvx2(const QuantizedMatrix &m, const Q8Row &x, int64_t r, float *y)
{
    const int64_t groups = m.groupsPerRow(), fullChunks = groups / 4, rowBytes = m.codeBytesPerRow();
    const uint8_t *codes = m.codes().data() + r * rowBytes;
    const float *scales = m.scales().data() + r * groups;
    __m256 acc[R];
    for (int i = 0; i < R; ++i)
        acc[i] = _mm256_setzero_ps();
    for (int64_t c = 0; c < fullChunks; ++c)
        chunkAvx2<R>(x, c, codes + c * 64, rowBytes, scales + c * 4, groups, acc);
    if (fullChunks < x.chunks) {
        PaddedChunk padded[R];
        for (int i = 0; i < R; ++i)
            padded[i] = PaddedChunk(m, r + i, fullChunks);
        chunkAvx2<R>(x, fullChunks, padded[0].codes, sizeof(PaddedChunk), padded[0].scales,
                     sizeof(PaddedChunk) / sizeof(float), acc);
    }
    if constexpr (R == 4)
        _mm_storeu_ps(y + r, simd::sumFour(acc[0], acc[1], acc[2], acc[3]));
    else
        y[r] = simd::sum(acc[0]);
}

} // namespace

void int4RowsAvx512(const QuantizedMatrix &m, const Q8Row &x, int64_t rowBegin, int64_t rowEnd, float *y)
{
    int64_t r = rowBegin;
    for (; r + 4 <= rowEnd; r += 4)
        rowBlockAvx512<4>(m, x, r, y);
    for (; r < rowEnd; ++r)
        rowBlockAvx512<1>(m, x, r, y);
}

void int4RowsAvx2(const QuantizedMatrix &m, const Q8Row &x, int64_t rowBegin, int64_t rowEnd, float *y)
{
    int64_t r = rowBegin;
    for (; r + 4 <= rowEnd; r += 4)
        rowBlockAvx2<4>(m, x, r, y);
    for (; r < rowEnd; ++r)
        rowBlockAvx2<1>(m, x, r, y);
}

#pragma GCC diagnostic pop

#else
void int4RowsAvx512(const QuantizedMatrix &m, const Q8Row &x, int64_t rowBegin, int64_t rowEnd, float *y)
{
    int4RowsPortable(m, x, rowBegin, rowEnd, y);
}

void int4RowsAvx2(const QuantizedMatrix &m, const Q8Row &x, int64_t rowBegin, int64_t rowEnd, float *y)
{
    int4RowsPortable(m, x, rowBegin, rowEnd, y);
}
#endif

} // namespace llmf
