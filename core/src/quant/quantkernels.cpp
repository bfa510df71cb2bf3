// QuantizedMatrix::multiply: y = x · Wᵀ with W held as int8/int4 groups, dequantised in registers.
//
// Decoding one token reads every weight once and does two flops with it, so its speed is the speed of reading
// weights: int8 reads 1.06 bytes per weight and int4 0.56 instead of fp32's 4. The kernel widens a group of 32
// codes to floats (four 8-lane registers), takes the dot product with the matching 32 inputs in fp32, and adds it
// times the group's scale. Activations stay fp32 (GGML instead rounds them to 8 bits too, which is faster still but
// changes the numbers); so this kernel equals a float matrix product with the dequantised weights up to rounding
// order, which is what the tests hold it to. Up to four input rows share each widened group (`llmf serve`'s batched
// decode, prefill), so the widening is paid once per group and row block, not once per input.
#include "llmf/quant/quantizedmatrix.h"

#include <ATen/Parallel.h>

#include <immintrin.h>

#include <algorithm>

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

// ---- AVX2 + FMA -------------------------------------------------------------------------------------------------

#if defined(__x86_64__) || defined(__i386__)
#define LLMF_HAVE_AVX2_KERNEL 1
#define LLMF_AVX2 __attribute__((target("avx2,fma")))

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

template <bool Int4>
LLMF_AVX2 void blockAvx2(const QuantizedMatrix &m, const float *x, int64_t n, int64_t rowBegin, int64_t rowEnd,
                         float *y)
{
    const int64_t cols = m.cols();
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        rowsAvx2<4, Int4>(m, x + i * cols, rowBegin, rowEnd, y + i * m.rows());
    for (; i + 2 <= n; i += 2)
        rowsAvx2<2, Int4>(m, x + i * cols, rowBegin, rowEnd, y + i * m.rows());
    for (; i < n; ++i)
        rowsAvx2<1, Int4>(m, x + i * cols, rowBegin, rowEnd, y + i * m.rows());
}

bool cpuHasAvx2()
{
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return has;
}
#else
bool cpuHasAvx2()
{
    return false;
}
#endif

} // namespace

const char *quantKernelName()
{
    return cpuHasAvx2() ? "avx2" : "portable";
}

void QuantizedMatrix::multiplyPortable(const float *x, int64_t n, float *y) const
{
    rowsPortable(*this, x, n, 0, m_rows, y);
}

void QuantizedMatrix::multiply(const float *x, int64_t n, float *y) const
{
    // Threads only pay off above ~64k multiply-adds: a 256 x 256 projection at batch 1 is faster on one core than
    // split (a parallel region costs microseconds; the whole product takes ~10 µs).
    const int64_t grain = std::max<int64_t>(16, (int64_t(1) << 16) / std::max<int64_t>(1, m_cols * n));
    at::parallel_for(0, m_rows, grain, [&](int64_t begin, int64_t end) {
#ifdef LLMF_HAVE_AVX2_KERNEL
        if (cpuHasAvx2()) {
            if (m_type == QuantType::Int4)
                blockAvx2<true>(*this, x, n, begin, end, y);
            else
                blockAvx2<false>(*this, x, n, begin, end, y);
            return;
        }
#endif
        rowsPortable(*this, x, n, begin, end, y);
    });
}

} // namespace llmf
