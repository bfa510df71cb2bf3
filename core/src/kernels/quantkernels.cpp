// QuantizedMatrix::multiply: y = x · Wᵀ with W held as int8/int4 groups, dequantised in registers.
//
// Decoding one token reads every weight once and does two flops with it, so its speed starts as the speed of reading
// weights: int8 reads 1.06 bytes per weight and int4 0.56 instead of fp32's 4. Once the weights sit in cache, the
// arithmetic per weight is the limit, and the two types take different routes:
//  - int8 widens a group of 32 codes to floats and takes the dot product with the 32 fp32 inputs, then adds it
//    times the group's scale: exactly a float product with the dequantised weights, up to rounding order.
//  - int4 rounds the inputs to 8 bits per group as well (GGML's Q8_0) and multiplies integers (int4kernels.cpp),
//    2-3x faster per weight; the model's float paths apply the same rounding (roundActivationsToQ8).
// Up to four input rows share each widened int8 group (`llmf serve`'s batched decode, prefill), and decoding's one
// input runs four weight rows at once, which share the final sum of their accumulators' lanes.
#include "llmf/kernels/quantizedmatrix.h"

#include "../common/simd.h"
#include "int4kernels.h"
#include "q8activations.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <type_traits>

namespace llmf {

namespace {

// ---- int8, portable ---------------------------------------------------------------------------------------------

// Rows [rowBegin, rowEnd) of y (n, rows) = x (n, cols) · Wᵀ.
void int8RowsPortable(const QuantizedMatrix &m, const float *x, int64_t n, int64_t rowBegin, int64_t rowEnd, float *y)
{
    const int64_t cols = m.cols(), rows = m.rows(), groups = m.groupsPerRow(), rowBytes = m.codeBytesPerRow();
    for (int64_t r = rowBegin; r < rowEnd; ++r) {
        const auto *codes = reinterpret_cast<const int8_t *>(m.codes().data() + r * rowBytes);
        const float *scales = m.scales().data() + r * groups;
        for (int64_t i = 0; i < n; ++i) {
            const float *xi = x + i * cols;
            float total = 0.0f;
            for (int64_t g = 0; g < groups; ++g) {
                float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0}; // eight sums, as the vector kernels keep them
                const int64_t count = std::min(kQuantGroupSize, cols - g * kQuantGroupSize);
                for (int64_t j = 0; j < count; ++j)
                    partial[j % 8] += static_cast<float>(codes[g * kQuantGroupSize + j]) * xi[g * kQuantGroupSize + j];
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

#ifdef LLMF_HAVE_X86_SIMD

// ---- int8, AVX2 + FMA -------------------------------------------------------------------------------------------

LLMF_AVX2 inline __m256 widen8(__m128i bytes) // the low 8 signed bytes → 8 floats
{
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(bytes));
}

// Rows [rowBegin, rowEnd) for K inputs at x (stride cols), into y (stride rows).
template <int K>
LLMF_AVX2 void int8RowsAvx2(const QuantizedMatrix &m, const float *x, int64_t rowBegin, int64_t rowEnd, float *y)
{
    const int64_t cols = m.cols(), rows = m.rows(), groups = m.groupsPerRow(), rowBytes = m.codeBytesPerRow();
    const int64_t fullGroups = cols / kQuantGroupSize, tail = cols - fullGroups * kQuantGroupSize;
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
            const uint8_t *c = codes + g * kQuantGroupSize;
            const __m256 w0 = widen8(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(c)));
            const __m256 w1 = widen8(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(c + 8)));
            const __m256 w2 = widen8(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(c + 16)));
            const __m256 w3 = widen8(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(c + 24)));
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
            y[k * rows + r] = simd::sum(acc[k]);
    }
}

// ---- int8, AVX-512 ----------------------------------------------------------------------------------------------

// GCC 12's AVX-512 headers start some intrinsics from _mm512_undefined_*() and then warn about it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

LLMF_AVX512 inline void loadGroupInputs(const float *xg, bool partial, const simd::GroupMasks &masks, __m512 &x0,
                                        __m512 &x1)
{
    x0 = partial ? _mm512_maskz_loadu_ps(masks.firstHalf, xg) : _mm512_loadu_ps(xg);
    x1 = partial ? _mm512_maskz_loadu_ps(masks.secondHalf, xg + 16) : _mm512_loadu_ps(xg + 16);
}

// acc + d · (w · x) for one group of 32 codes.
LLMF_AVX512 inline __m512 groupAvx512(const uint8_t *codes, float scale, __m512 x0, __m512 x1, __m512 acc)
{
    const __m512 w0 =
        _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(codes))));
    const __m512 w1 =
        _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(codes + 16))));
    return _mm512_fmadd_ps(_mm512_fmadd_ps(w1, x1, _mm512_mul_ps(w0, x0)), _mm512_set1_ps(scale), acc);
}

// Four rows times one input (decoding's case). Rows of `small` are only 8 groups long, so what a row costs besides
// its groups — summing the 16 lanes of its accumulator — was half its time; four rows share one reduction here.
LLMF_AVX512 void int8FourRowsAvx512(const QuantizedMatrix &m, const float *x, int64_t r, float *y)
{
    const int64_t groups = m.groupsPerRow(), rowBytes = m.codeBytesPerRow(), fullGroups = m.cols() / kQuantGroupSize;
    const simd::GroupMasks masks(m.cols() % kQuantGroupSize); // used for the partial last group only
    const uint8_t *c0 = m.codes().data() + r * rowBytes, *c1 = c0 + rowBytes, *c2 = c1 + rowBytes, *c3 = c2 + rowBytes;
    const float *d0 = m.scales().data() + r * groups, *d1 = d0 + groups, *d2 = d1 + groups, *d3 = d2 + groups;
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0; // four rows, four independent FMA chains
    for (int64_t g = 0; g < groups; ++g) {
        __m512 x0, x1;
        loadGroupInputs(x + g * kQuantGroupSize, g >= fullGroups, masks, x0, x1);
        const int64_t offset = g * kQuantGroupSize;
        a0 = groupAvx512(c0 + offset, d0[g], x0, x1, a0);
        a1 = groupAvx512(c1 + offset, d1[g], x0, x1, a1);
        a2 = groupAvx512(c2 + offset, d2[g], x0, x1, a2);
        a3 = groupAvx512(c3 + offset, d3[g], x0, x1, a3);
    }
    _mm_storeu_ps(y + r, simd::sumFour(a0, a1, a2, a3));
}

template <int K>
LLMF_AVX512 void int8RowsAvx512(const QuantizedMatrix &m, const float *x, int64_t rowBegin, int64_t rowEnd, float *y)
{
    const int64_t cols = m.cols(), rows = m.rows(), groups = m.groupsPerRow(), rowBytes = m.codeBytesPerRow();
    const int64_t fullGroups = cols / kQuantGroupSize;
    const simd::GroupMasks masks(cols % kQuantGroupSize);
    int64_t r = rowBegin;
    if constexpr (K == 1)
        for (; r + 4 <= rowEnd; r += 4)
            int8FourRowsAvx512(m, x, r, y);
    for (; r < rowEnd; ++r) {
        const uint8_t *codes = m.codes().data() + r * rowBytes;
        const float *scales = m.scales().data() + r * groups;
        // Two accumulators per input, for even and odd groups: one chain of FMAs would wait on itself.
        __m512 even[K], odd[K];
        for (int k = 0; k < K; ++k)
            even[k] = odd[k] = _mm512_setzero_ps();
        for (int64_t g = 0; g < groups; ++g)
            for (int k = 0; k < K; ++k) {
                __m512 x0, x1;
                loadGroupInputs(x + k * cols + g * kQuantGroupSize, g >= fullGroups, masks, x0, x1);
                __m512 &acc = g % 2 ? odd[k] : even[k];
                acc = groupAvx512(codes + g * kQuantGroupSize, scales[g], x0, x1, acc);
            }
        for (int k = 0; k < K; ++k)
            y[k * rows + r] = _mm512_reduce_add_ps(_mm512_add_ps(even[k], odd[k]));
    }
}

#pragma GCC diagnostic pop

#endif

// y (n, rows) = x (n, cols) · Wᵀ for an int4 matrix: each input row rounded once, then split over threads by rows.
void multiplyInt4(const QuantizedMatrix &m, QuantKernel kernel, const float *x, int64_t n, float *y, int64_t grain)
{
    thread_local Q8Activations activations; // reused: decoding calls this ~30 times a token
    activations.assign(x, n, m.cols());
    const auto rows = kernel == QuantKernel::Avx512 ? int4RowsAvx512
                      : kernel == QuantKernel::Avx2 ? int4RowsAvx2
                                                    : int4RowsPortable;
    const Q8Activations &shared = activations;
    at::parallel_for(0, m.rows(), grain, [&](int64_t begin, int64_t end) {
        for (int64_t i = 0; i < n; ++i)
            rows(m, shared.row(i), begin, end, y + i * m.rows());
    });
}

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
    if (m_type == QuantType::Int4)
        return multiplyInt4(*this, kernel, x, n, y, grain);
    at::parallel_for(0, m_rows, grain, [&](int64_t begin, int64_t end) {
        switch (kernel) {
#ifdef LLMF_HAVE_X86_SIMD
        case QuantKernel::Avx512:
            return inInputBlocks(*this, x, n, y, [&](auto k, const float *xk, float *yk) {
                int8RowsAvx512<decltype(k)::value>(*this, xk, begin, end, yk);
            });
        case QuantKernel::Avx2:
            return inInputBlocks(*this, x, n, y, [&](auto k, const float *xk, float *yk) {
                int8RowsAvx2<decltype(k)::value>(*this, xk, begin, end, yk);
            });
#endif
        default:
            return int8RowsPortable(*this, x, n, begin, end, y);
        }
    });
}

} // namespace llmf
