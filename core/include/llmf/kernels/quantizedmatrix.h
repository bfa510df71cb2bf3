#pragma once

// Weight-only quantisation of one matrix, in groups of 32 consecutive weights of a row (GGML's block size):
//
//   int8  each weight w ≈ d · q with q ∈ [-127, 127] and d = max|w| / 127 per group          (like GGML's Q8_0)
//   int4  each weight w ≈ d · q with q ∈ [-8, 7] and d = m / -8, m the group's weight of largest magnitude
//         (sign included, so the extreme lands exactly on -8 and the range is used whole)        (like GGML's Q4_0)
//
// d is stored as IEEE half, as GGML does, and the codes are rounded with that stored d, so what is kept in memory
// and on disk is exactly what the kernels multiply with. Storage per weight: int8 1 + 2/32 bytes, int4 0.5 + 2/32.
// int4 packs a group into 16 bytes: byte j holds q[j] + 8 in its low nibble and q[j + 16] + 8 in its high nibble,
// GGML's Q4_0 layout, so a GGUF export copies blocks unchanged.
// A row whose width is not a multiple of 32 (`small`'s down_proj reads 682 values) ends in a partial group, padded
// with zero codes in storage; the kernels never read inputs past the row's width.
//
// Torch-free: the Playground, the CLI and the GGUF writer use it as a value type.

#include <cstdint>
#include <string>
#include <vector>

namespace llmf {

enum class QuantType { None, Int8, Int4 };

// "none", "int8", "int4" (what config.yaml's model.quantization holds).
const char *quantTypeName(QuantType type);
// Accepts those names (and "fp32" for None). Throws llmf::Error naming the allowed values.
QuantType parseQuantType(const std::string &name);

constexpr int64_t kQuantGroupSize = 32;

// The matrix-vector kernels, from slowest to fastest; each computes the same function (see multiply()).
enum class QuantKernel { Portable, Avx2, Avx512 };
const char *quantKernelName(QuantKernel kernel); // "portable", "avx2", "avx512"
// The kernels this CPU can run (Portable always).
std::vector<QuantKernel> supportedQuantKernels();
// What multiply() uses: the fastest supported kernel, or LLMF_QUANT_KERNEL=portable|avx2|avx512 when that names a
// supported one (to compare kernels in `llmf bench`).
QuantKernel activeQuantKernel();

class QuantizedMatrix
{
public:
    QuantizedMatrix() = default;

    // `weights` is row-major (rows, cols).
    static QuantizedMatrix quantize(const float *weights, int64_t rows, int64_t cols, QuantType type);
    // From stored codes and half-precision scales (a file): checks every size, llmf::Error naming `what` if wrong.
    static QuantizedMatrix fromStorage(QuantType type, int64_t rows, int64_t cols, std::vector<uint8_t> codes,
                                       std::vector<uint16_t> halfScales, const std::string &what);

    QuantType type() const { return m_type; }
    int64_t rows() const { return m_rows; }
    int64_t cols() const { return m_cols; }
    int64_t groupsPerRow() const { return (m_cols + kQuantGroupSize - 1) / kQuantGroupSize; }
    int64_t codeBytesPerRow() const { return groupsPerRow() * (m_type == QuantType::Int4 ? 16 : 32); }
    const std::vector<uint8_t> &codes() const { return m_codes; }            // rows × codeBytesPerRow()
    const std::vector<uint16_t> &halfScales() const { return m_halfScales; } // rows × groupsPerRow(), IEEE half bits
    const std::vector<float> &scales() const { return m_scales; }            // the same, widened
    int64_t storageBytes() const;

    // The weights this matrix stands for: (rows, cols) row-major, or one row.
    void dequantize(float *out) const;
    void dequantizeRow(int64_t row, float *out) const;

    // y (n, rows) = x (n, cols) · Wᵀ, dequantising inside the dot products (no float copy of W is made), split over
    // the intra-op threads by rows, with activeQuantKernel(). int8 multiplies the fp32 inputs; int4 first rounds
    // them to 8 bits per group of 32 (roundActivationsToQ8) and multiplies integers, as GGML's Q4_0 × Q8_0 does.
    void multiply(const float *x, int64_t n, float *y) const;
    // The same with a chosen kernel (one of supportedQuantKernels(); tests compare them all).
    void multiplyWith(QuantKernel kernel, const float *x, int64_t n, float *y) const;

private:
    QuantType m_type = QuantType::None;
    int64_t m_rows = 0, m_cols = 0;
    std::vector<uint8_t> m_codes;
    std::vector<uint16_t> m_halfScales;
    std::vector<float> m_scales;
};

// What an int4 matrix multiplies with: each group of 32 consecutive values of every row of x (n, cols) rounded to
// 8 bits as GGML's Q8_0 does (d = max|v| / 127, v → d · round(v · (1/d)), ties to even), written to out (may be x). The
// model applies it before every int4 matrix on its float paths (prefill, eval, the Inspector), so they compute
// what decoding computes.
void roundActivationsToQ8(const float *x, int64_t n, int64_t cols, float *out);

// The name of activeQuantKernel(), for benchmarks and `llmf info`.
const char *quantKernelName();

// IEEE 754 half ↔ float (round to nearest even), as GGML stores its scales.
uint16_t floatToHalf(float value);
float halfToFloat(uint16_t bits);

} // namespace llmf
