// QuantizedMatrix: quantising, storage and dequantising (the kernels that multiply are in quantkernels.cpp).
#include "llmf/kernels/quantizedmatrix.h"

#include "llmf/common/error.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace llmf {

const char *quantTypeName(QuantType type)
{
    switch (type) {
    case QuantType::Int8:
        return "int8";
    case QuantType::Int4:
        return "int4";
    case QuantType::None:
        break;
    }
    return "none";
}

QuantType parseQuantType(const std::string &name)
{
    if (name == "int8")
        return QuantType::Int8;
    if (name == "int4")
        return QuantType::Int4;
    if (name == "none" || name == "fp32")
        return QuantType::None;
    throw Error("Unknown quantisation type '" + name + "'.", "Use int8, int4 or none (fp32).");
}

uint16_t floatToHalf(float value)
{
    uint32_t f = 0;
    std::memcpy(&f, &value, sizeof f);
    const uint32_t sign = (f >> 16) & 0x8000u;
    const uint32_t exponent = (f >> 23) & 0xffu;
    uint32_t mantissa = f & 0x7fffffu;
    if (exponent == 0xffu) // inf or NaN (kept a NaN)
        return static_cast<uint16_t>(sign | 0x7c00u | (mantissa ? 0x200u : 0u));
    const int e = static_cast<int>(exponent) - 127 + 15;
    if (e >= 31)
        return static_cast<uint16_t>(sign | 0x7c00u);
    if (e <= 0) { // a half subnormal: value = m · 2^-24
        if (e < -10)
            return static_cast<uint16_t>(sign);
        mantissa |= 0x800000u;
        const int shift = 14 - e;
        uint32_t half = mantissa >> shift;
        const uint32_t rest = mantissa & ((1u << shift) - 1u), halfway = 1u << (shift - 1);
        if (rest > halfway || (rest == halfway && (half & 1u)))
            ++half;
        return static_cast<uint16_t>(sign | half);
    }
    uint32_t half = (static_cast<uint32_t>(e) << 10) | (mantissa >> 13);
    const uint32_t rest = mantissa & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (half & 1u)))
        ++half; // a carry into the exponent is the correct rounding (up to infinity)
    return static_cast<uint16_t>(sign | half);
}

float halfToFloat(uint16_t bits)
{
    const uint32_t sign = static_cast<uint32_t>(bits & 0x8000u) << 16;
    const uint32_t exponent = (bits >> 10) & 0x1fu, mantissa = bits & 0x3ffu;
    if (exponent == 0) {
        const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
        return sign ? -magnitude : magnitude;
    }
    const uint32_t f =
        exponent == 31 ? sign | 0x7f800000u | (mantissa << 13) : sign | ((exponent + 112u) << 23) | (mantissa << 13);
    float out = 0.0f;
    std::memcpy(&out, &f, sizeof out);
    return out;
}

namespace {

// One group of up to 32 weights (`count`; the rest are zero padding) → its half scale and codes (32 bytes for int8,
// 16 for int4).
uint16_t quantizeGroup(const float *weights, int64_t count, QuantType type, uint8_t *codes)
{
    float w[kQuantGroupSize] = {};
    std::copy(weights, weights + count, w);
    if (type == QuantType::Int8) {
        float amax = 0.0f;
        for (int64_t j = 0; j < kQuantGroupSize; ++j)
            amax = std::max(amax, std::fabs(w[j]));
        const uint16_t half = floatToHalf(amax / 127.0f);
        const float d = halfToFloat(half), inverse = d != 0.0f ? 1.0f / d : 0.0f;
        for (int64_t j = 0; j < kQuantGroupSize; ++j) {
            const float q = std::clamp(std::round(w[j] * inverse), -127.0f, 127.0f);
            codes[j] = static_cast<uint8_t>(static_cast<int8_t>(q));
        }
        return half;
    }
    float extreme = 0.0f; // the weight of largest magnitude, sign included
    for (int64_t j = 0; j < kQuantGroupSize; ++j)
        if (std::fabs(w[j]) > std::fabs(extreme))
            extreme = w[j];
    const uint16_t half = floatToHalf(extreme / -8.0f);
    const float d = halfToFloat(half), inverse = d != 0.0f ? 1.0f / d : 0.0f;
    const auto code = [&](float x) {
        return static_cast<uint8_t>(std::clamp(static_cast<int>(std::floor(x * inverse + 8.5f)), 0, 15));
    };
    for (int64_t j = 0; j < kQuantGroupSize / 2; ++j)
        codes[j] = static_cast<uint8_t>(code(w[j]) | (code(w[j + kQuantGroupSize / 2]) << 4));
    return half;
}

} // namespace

QuantizedMatrix QuantizedMatrix::quantize(const float *weights, int64_t rows, int64_t cols, QuantType type)
{
    if (type == QuantType::None)
        throw Error("QuantizedMatrix::quantize needs int8 or int4.");
    if (rows <= 0 || cols <= 0)
        throw Error("Cannot quantise an empty matrix (" + std::to_string(rows) + " x " + std::to_string(cols) + ").");
    QuantizedMatrix m;
    m.m_type = type;
    m.m_rows = rows;
    m.m_cols = cols;
    const int64_t groups = m.groupsPerRow(), groupBytes = m.codeBytesPerRow() / groups;
    m.m_codes.resize(static_cast<size_t>(rows * m.codeBytesPerRow()));
    m.m_halfScales.resize(static_cast<size_t>(rows * groups));
    m.m_scales.resize(static_cast<size_t>(rows * groups));
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t g = 0; g < groups; ++g) {
            const auto i = static_cast<size_t>(r * groups + g);
            const int64_t begin = g * kQuantGroupSize, count = std::min(kQuantGroupSize, cols - begin);
            m.m_halfScales[i] = quantizeGroup(weights + r * cols + begin, count, type,
                                              m.m_codes.data() + static_cast<int64_t>(i) * groupBytes);
            m.m_scales[i] = halfToFloat(m.m_halfScales[i]);
        }
    return m;
}

QuantizedMatrix QuantizedMatrix::fromStorage(QuantType type, int64_t rows, int64_t cols, std::vector<uint8_t> codes,
                                             std::vector<uint16_t> halfScales, const std::string &what)
{
    if (type == QuantType::None || rows <= 0 || cols <= 0)
        throw Error(what + ": a " + std::string(quantTypeName(type)) + " matrix of " + std::to_string(rows) + " x " +
                    std::to_string(cols) + " cannot be stored.");
    QuantizedMatrix m;
    m.m_type = type;
    m.m_rows = rows;
    m.m_cols = cols;
    const auto expectedCodes = static_cast<size_t>(rows * m.codeBytesPerRow());
    const auto expectedScales = static_cast<size_t>(rows * m.groupsPerRow());
    if (codes.size() != expectedCodes || halfScales.size() != expectedScales)
        throw Error(what + ": " + std::to_string(codes.size()) + " code bytes and " +
                    std::to_string(halfScales.size()) + " scales, but a " + quantTypeName(type) + " matrix of " +
                    std::to_string(rows) + " x " + std::to_string(cols) + " has " + std::to_string(expectedCodes) +
                    " and " + std::to_string(expectedScales) + ".");
    m.m_codes = std::move(codes);
    m.m_halfScales = std::move(halfScales);
    m.m_scales.resize(m.m_halfScales.size());
    for (size_t i = 0; i < m.m_scales.size(); ++i) {
        m.m_scales[i] = halfToFloat(m.m_halfScales[i]);
        if (!std::isfinite(m.m_scales[i]))
            throw Error(what + ": scale " + std::to_string(i) + " is not a finite number.");
    }
    return m;
}

int64_t QuantizedMatrix::storageBytes() const
{
    return static_cast<int64_t>(m_codes.size() + m_halfScales.size() * sizeof(uint16_t));
}

void QuantizedMatrix::dequantizeRow(int64_t row, float *out) const
{
    const uint8_t *codes = m_codes.data() + row * codeBytesPerRow();
    const float *scales = m_scales.data() + row * groupsPerRow();
    float group[kQuantGroupSize];
    for (int64_t g = 0; g < groupsPerRow(); ++g) {
        const float d = scales[g];
        if (m_type == QuantType::Int8) {
            for (int64_t j = 0; j < kQuantGroupSize; ++j)
                group[j] = d * static_cast<float>(static_cast<int8_t>(codes[j]));
            codes += kQuantGroupSize;
        } else {
            for (int64_t j = 0; j < kQuantGroupSize / 2; ++j) {
                group[j] = d * static_cast<float>((codes[j] & 0x0f) - 8);
                group[j + kQuantGroupSize / 2] = d * static_cast<float>((codes[j] >> 4) - 8);
            }
            codes += kQuantGroupSize / 2;
        }
        const int64_t begin = g * kQuantGroupSize;
        std::copy(group, group + std::min(kQuantGroupSize, m_cols - begin), out + begin);
    }
}

void QuantizedMatrix::dequantize(float *out) const
{
    for (int64_t r = 0; r < m_rows; ++r)
        dequantizeRow(r, out + r * m_cols);
}

} // namespace llmf
