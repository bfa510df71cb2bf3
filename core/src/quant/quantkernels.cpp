// QuantizedMatrix::multiply: y = x · Wᵀ with W held as int8/int4 groups, dequantised in registers.
//
// Decoding one token reads every weight once and does two flops with it, so its speed is the speed of reading
// weights: int8 reads 1.06 bytes per weight and int4 0.56 instead of fp32's 4. The kernel widens a group of 32
// codes to floats, takes the dot product with the matching 32 inputs in fp32, and adds it times the group's scale.
// Activations stay fp32 (GGML instead rounds them to 8 bits too, which is faster still but changes the numbers); so
// every kernel equals a float matrix product with the dequantised weights up to rounding order, which is what the
// tests hold them to. Up to four input rows share each widened group (`llmf serve`'s batched decode, prefill), so the
// widening is paid once per group and row block, not once per input.
//
// Once the weights sit in cache the widening, not memory, is the cost: AVX2 needs a sign extension and an int→float
// conversion per 8 codes. The AVX-512 kernel turns int4 codes into floats with one table lookup per 16
// (vpermps reads only the low 4 bits of each index, so the nibble needs no masking and the table holds -8…7), which
// is what makes int4 cheaper per weight than int8 instead of dearer.
#include "llmf/quant/quantizedmatrix.h"

#include "../common/simd.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <type_traits>

namespace llmf {

namespace {

constexpr int64_t kHalfGroup = kQuantGroupSize / 2;

// ---- portable ---------------------------------------------------------------------------------------------------

// Rows [rowBegin, rowEnd) of y (n, rows) = x (n, cols) · Wᵀ.
void rowsPortable(const QuantizedMatrix &m, const float *x, int64_t n, int64_t rowBegin, int64_t rowEnd, float *y)
{
    const int64_t cols = m.cols(), rows = m.rows(), groups = m.groupsPerRow(), rowBytes = m.codeBytesPerRow();
    const bool int4 = m.type() == QuantType::Int4;
    float widened[kQuantGroupSize];
    for (int64_t r = rowBegin; r < rowEnd; ++r) {
        const uint8_t *codes = m.codes().data() + r * rowBytes;
        const float *scales = m.scales().data() + r * groups;
        for (int64_t i = 0; i < n; ++i) {
            const float *xi = x + i * cols;
            float total = 0.0f;
            for (int64_t g = 0; g < groups; ++g) {
                if (int4) {
                    const uint8_t *c = codes + g * kHalfGroup;
                    for (int64_t j = 0; j < kHalfGroup; ++j) {
                        widened[j] = static_cast<float>((c[j] & 0x0f) - 8);
                        widened[j + kHalfGroup] = static_cast<float>((c[j] >> 4) - 8);
                    }
                } else {
                    const uint8_t *c = codes + g * kQuantGroupSize;
                    for (int64_t j = 0; j < kQuantGroupSize; ++j)
                        widened[j] = static_cast<float>(static_cast<int8_t>(c[j]));
                }
                float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0}; // eight sums, as the vector kernel keeps them
                const int64_t count = std::min(kQuantGroupSize, cols - g * kQuantGroupSize);
                for (int64_t j = 0; j < count; ++j)
                    partial[j % 8] += widened[j] * xi[g * kQuantGroupSize + j];
                total += scales[g] * (((partial[0] + partial[1]) + (partial[2] + partial[3])) +
                                      ((partial[4] + partial[5]) + (partial[6] + partial[7])));
            }
            y[i * rows + r] = total;
        }
    }
}

// Runs `rows(K, x, y)` on the inputs in blocks of K = 4, then 2, then 1 (each widened group serves K inputs).
template <typename Rows> void inInputBlocks(const QuantizedMatrix &m, const float *x, int64_t n, float *y, Rows rows)
{
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        rows(std::integral_constant<int, 4>{}, x + i * m.cols(), y + i * m.rows());
    for (; i + 2 <= n; i += 2)
        rows(std::integral_constant<int, 2>{}, x + i * m.cols(), y + i * m.rows());
    for (; i < n; ++i)
        rows(std::integral_constant<int, 1>{}, x + i * m.cols(), y + i * m.rows());
}

// ---- AVX2 + FMA -------------------------------------------------------------------------------------------------

#ifdef LLMF_HAVE_X86_SIMD

LLMF_AVX2 inline __m256 widen8(__m128i bytes) // the low 8 signed bytes → 8 floats
{
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(bytes));
}

LLMF_AVX2 inline float horizontalSum(__m256 v)
{
    const __m128 pair = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 two = _mm_add_ps(pair, _mm_movehl_ps(pair, pair));
    return _mm_cvtss_f32(_mm_add_ss(two, _mm_shuffle_ps(two, two, 1)));
}

// Rows [rowBegin, rowEnd) for K inputs at x (stride cols), into y (stride rows).
template <int K, bool Int4>
LLMF_AVX2 void rowsAvx2(const QuantizedMatrix &m, const float *x, int64_t rowBegin, int64_t rowEnd, float *y)
{
    const int64_t cols = m.cols(), rows = m.rows(), groups = m.groupsPerRow(), rowBytes = m.codeBytesPerRow();
    const int64_t fullGroups = cols / kQuantGroupSize, tail = cols - fullGroups * kQuantGroupSize;
    const __m128i lowNibbles = _mm_set1_epi8(0x0f), eight = _mm_set1_epi8(8);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256i tailMask[4];
    for (int part = 0; part < 4; ++part)
        tailMask[part] = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(tail) - 8 * part), lanes);
    for (int64_t r = rowBegin; r < rowEnd; ++r) {
        const uint8_t *codes = m.codes().data() + r * rowBytes;
        const float *scales = m.scales().data() + r * groups;
        __m256 acc[K];
        for (int k = 0; k < K; ++k)
            acc[k] = _mm256_setzero_ps();
        for (int64_t g = 0; g < groups; ++g) {
            __m256 w0, w1, w2, w3;
            if constexpr (Int4) {
                const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i *>(codes + g * kHalfGroup));
                const __m128i low = _mm_sub_epi8(_mm_and_si128(packed, lowNibbles), eight);
                const __m128i high = _mm_sub_epi8(_mm_and_si128(_mm_srli_epi16(packed, 4), lowNibbles), eight);
                w0 = widen8(low);
                w1 = widen8(_mm_srli_si128(low, 8));
                w2 = widen8(high);
                w3 = widen8(_mm_srli_si128(high, 8));
            } else {
                const uint8_t *c = codes + g * kQuantGroupSize;
                w0 = widen8(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(c)));
                w1 = widen8(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(c + 8)));
                w2 = widen8(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(c + 16)));
                w3 = widen8(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(c + 24)));
            }
            const __m256 d = _mm256_broadcast_ss(scales + g);
            for (int k = 0; k < K; ++k) {
                const float *xg = x + k * cols + g * kQuantGroupSize;
                __m256 dot;
                if (g < fullGroups) {
                    dot = _mm256_mul_ps(w0, _mm256_loadu_ps(xg));
                    dot = _mm256_fmadd_ps(w1, _mm256_loadu_ps(xg + 8), dot);
                    dot = _mm256_fmadd_ps(w2, _mm256_loadu_ps(xg + 16), dot);
                    dot = _mm256_fmadd_ps(w3, _mm256_loadu_ps(xg + 24), dot);
                } else { // the partial last group: masked loads stop at the row's end (the codes there are zero)
                    dot = _mm256_mul_ps(w0, _mm256_maskload_ps(xg, tailMask[0]));
                    dot = _mm256_fmadd_ps(w1, _mm256_maskload_ps(xg + 8, tailMask[1]), dot);
                    dot = _mm256_fmadd_ps(w2, _mm256_maskload_ps(xg + 16, tailMask[2]), dot);
                    dot = _mm256_fmadd_ps(w3, _mm256_maskload_ps(xg + 24, tailMask[3]), dot);
                }
                acc[k] = _mm256_fmadd_ps(dot, d, acc[k]);
            }
        }
        for (int k = 0; k < K; ++k)
            y[k * rows + r] = horizontalSum(acc[k]);
    }
}

// ---- AVX-512 ----------------------------------------------------------------------------------------------------

// GCC 12's AVX-512 headers start some intrinsics from _mm512_undefined_*() and then warn about it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

// One group of 32 weights times K inputs, into acc[k].
template <int K, bool Int4>
LLMF_AVX512 inline void groupAvx512(const uint8_t *codes, float scale, const float *x, int64_t cols, bool partial,
                                    __mmask16 firstHalf, __mmask16 secondHalf, __m512 *acc)
{
    __m512 w0, w1;
    if constexpr (Int4) {
        const __m512 table = _mm512_setr_ps(-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7);
        const __m512i bytes = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(codes)));
        w0 = _mm512_permutexvar_ps(bytes, table);                       // low nibbles: weights 0…15
        w1 = _mm512_permutexvar_ps(_mm512_srli_epi32(bytes, 4), table); // high nibbles: weights 16…31
    } else {
        w0 = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(codes))));
        w1 = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(codes + 16))));
    }
    const __m512 d = _mm512_set1_ps(scale);
    for (int k = 0; k < K; ++k) {
        const float *xg = x + k * cols;
        const __m512 x0 = partial ? _mm512_maskz_loadu_ps(firstHalf, xg) : _mm512_loadu_ps(xg);
        const __m512 x1 = partial ? _mm512_maskz_loadu_ps(secondHalf, xg + 16) : _mm512_loadu_ps(xg + 16);
        acc[k] = _mm512_fmadd_ps(_mm512_fmadd_ps(w1, x1, _mm512_mul_ps(w0, x0)), d, acc[k]);
    }
}

// Four rows times one input (decoding's case). Rows of `small` are only 8 groups long, so what a row costs besides
// its groups — summing the 16 lanes of its accumulator — was half its time; four rows share one reduction here.
template <bool Int4>
LLMF_AVX512 inline __m512 rowGroupAvx512(const uint8_t *codes, float scale, __m512 x0, __m512 x1, __m512 acc)
{
    __m512 w0, w1;
    if constexpr (Int4) {
        const __m512 table = _mm512_setr_ps(-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7);
        const __m512i bytes = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(codes)));
        w0 = _mm512_permutexvar_ps(bytes, table);
        w1 = _mm512_permutexvar_ps(_mm512_srli_epi32(bytes, 4), table);
    } else {
        w0 = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(codes))));
        w1 = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(codes + 16))));
    }
    return _mm512_fmadd_ps(_mm512_fmadd_ps(w1, x1, _mm512_mul_ps(w0, x0)), _mm512_set1_ps(scale), acc);
}

template <bool Int4> LLMF_AVX512 void fourRowsAvx512(const QuantizedMatrix &m, const float *x, int64_t r, float *y)
{
    const int64_t cols = m.cols(), groups = m.groupsPerRow(), rowBytes = m.codeBytesPerRow();
    const int64_t groupBytes = Int4 ? kHalfGroup : kQuantGroupSize, fullGroups = cols / kQuantGroupSize;
    const int64_t tail = cols - fullGroups * kQuantGroupSize;
    const auto firstHalf = static_cast<__mmask16>(tail >= 16 ? 0xffff : (1u << tail) - 1u);
    const auto secondHalf = static_cast<__mmask16>(tail > 16 ? (1u << (tail - 16)) - 1u : 0u);
    const uint8_t *c0 = m.codes().data() + r * rowBytes, *c1 = c0 + rowBytes, *c2 = c1 + rowBytes, *c3 = c2 + rowBytes;
    const float *d0 = m.scales().data() + r * groups, *d1 = d0 + groups, *d2 = d1 + groups, *d3 = d2 + groups;
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0; // four rows, four independent FMA chains
    for (int64_t g = 0; g < groups; ++g) {
        const float *xg = x + g * kQuantGroupSize;
        const bool partial = g >= fullGroups; // masked loads stop at the row's end
        const __m512 x0 = partial ? _mm512_maskz_loadu_ps(firstHalf, xg) : _mm512_loadu_ps(xg);
        const __m512 x1 = partial ? _mm512_maskz_loadu_ps(secondHalf, xg + 16) : _mm512_loadu_ps(xg + 16);
        const int64_t offset = g * groupBytes;
        a0 = rowGroupAvx512<Int4>(c0 + offset, d0[g], x0, x1, a0);
        a1 = rowGroupAvx512<Int4>(c1 + offset, d1[g], x0, x1, a1);
        a2 = rowGroupAvx512<Int4>(c2 + offset, d2[g], x0, x1, a2);
        a3 = rowGroupAvx512<Int4>(c3 + offset, d3[g], x0, x1, a3);
    }
    _mm_storeu_ps(y + r, simd::sumFour(a0, a1, a2, a3));
}

template <int K, bool Int4>
LLMF_AVX512 void rowsAvx512(const QuantizedMatrix &m, const float *x, int64_t rowBegin, int64_t rowEnd, float *y)
{
    const int64_t cols = m.cols(), rows = m.rows(), groups = m.groupsPerRow(), rowBytes = m.codeBytesPerRow();
    const int64_t groupBytes = Int4 ? kHalfGroup : kQuantGroupSize, fullGroups = cols / kQuantGroupSize;
    const int64_t tail = cols - fullGroups * kQuantGroupSize;
    const auto firstHalf = static_cast<__mmask16>(tail >= 16 ? 0xffff : (1u << tail) - 1u);
    const auto secondHalf = static_cast<__mmask16>(tail > 16 ? (1u << (tail - 16)) - 1u : 0u);
    int64_t r = rowBegin;
    if constexpr (K == 1)
        for (; r + 4 <= rowEnd; r += 4)
            fourRowsAvx512<Int4>(m, x, r, y);
    for (; r < rowEnd; ++r) {
        const uint8_t *codes = m.codes().data() + r * rowBytes;
        const float *scales = m.scales().data() + r * groups;
        // Two accumulators per input, for even and odd groups: one chain of FMAs would wait on itself (4 cycles).
        __m512 even[K], odd[K];
        for (int k = 0; k < K; ++k)
            even[k] = odd[k] = _mm512_setzero_ps();
        int64_t g = 0;
        for (; g + 2 <= fullGroups; g += 2) {
            groupAvx512<K, Int4>(codes + g * groupBytes, scales[g], x + g * kQuantGroupSize, cols, false, 0, 0, even);
            groupAvx512<K, Int4>(codes + (g + 1) * groupBytes, scales[g + 1], x + (g + 1) * kQuantGroupSize, cols,
                                 false, 0, 0, odd);
        }
        for (; g < groups; ++g) // an odd last whole group, then the partial one (masked loads stop at the row's end)
            groupAvx512<K, Int4>(codes + g * groupBytes, scales[g], x + g * kQuantGroupSize, cols, g >= fullGroups,
                                 firstHalf, secondHalf, even);
        for (int k = 0; k < K; ++k)
            y[k * rows + r] = _mm512_reduce_add_ps(_mm512_add_ps(even[k], odd[k]));
    }
}

#pragma GCC diagnostic pop

#endif

} // namespace

const char *quantKernelName(QuantKernel kernel)
{
    switch (kernel) {
    case QuantKernel::Avx512:
        return "avx512";
    case QuantKernel::Avx2:
        return "avx2";
    case QuantKernel::Portable:
        break;
    }
    return "portable";
}

std::vector<QuantKernel> supportedQuantKernels()
{
    std::vector<QuantKernel> kernels = {QuantKernel::Portable};
    if (simd::cpuHasAvx2())
        kernels.push_back(QuantKernel::Avx2);
    if (simd::cpuHasAvx512())
        kernels.push_back(QuantKernel::Avx512);
    return kernels;
}

QuantKernel activeQuantKernel()
{
    static const QuantKernel active = [] {
        const std::vector<QuantKernel> supported = supportedQuantKernels();
        if (const char *wanted = std::getenv("LLMF_QUANT_KERNEL"))
            for (QuantKernel kernel : supported)
                if (std::strcmp(wanted, quantKernelName(kernel)) == 0)
                    return kernel;
        return supported.back();
    }();
    return active;
}

const char *quantKernelName()
{
    return quantKernelName(activeQuantKernel());
}

void QuantizedMatrix::multiply(const float *x, int64_t n, float *y) const
{
    multiplyWith(activeQuantKernel(), x, n, y);
}

void QuantizedMatrix::multiplyWith(QuantKernel kernel, const float *x, int64_t n, float *y) const
{
    if (kernel == QuantKernel::Avx512 && !simd::cpuHasAvx512())
        kernel = QuantKernel::Avx2;
    if (kernel == QuantKernel::Avx2 && !simd::cpuHasAvx2())
        kernel = QuantKernel::Portable;
    // Threads only pay off above ~64k multiply-adds: a 256 x 256 projection at batch 1 is faster on one core than
    // split (a parallel region costs microseconds; the whole product takes ~10 µs).
    const int64_t grain = std::max<int64_t>(16, (int64_t(1) << 16) / std::max<int64_t>(1, m_cols * n));
    const bool int4 = m_type == QuantType::Int4;
    at::parallel_for(0, m_rows, grain, [&](int64_t begin, int64_t end) {
        switch (kernel) {
#ifdef LLMF_HAVE_X86_SIMD
        case QuantKernel::Avx512:
            return inInputBlocks(*this, x, n, y, [&](auto k, const float *xk, float *yk) {
                int4 ? rowsAvx512<decltype(k)::value, true>(*this, xk, begin, end, yk)
                     : rowsAvx512<decltype(k)::value, false>(*this, xk, begin, end, yk);
            });
        case QuantKernel::Avx2:
            return inInputBlocks(*this, x, n, y, [&](auto k, const float *xk, float *yk) {
                int4 ? rowsAvx2<decltype(k)::value, true>(*this, xk, begin, end, yk)
                     : rowsAvx2<decltype(k)::value, false>(*this, xk, begin, end, yk);
            });
#endif
        default:
            return rowsPortable(*this, x, n, begin, end, y);
        }
    });
}

} // namespace llmf
