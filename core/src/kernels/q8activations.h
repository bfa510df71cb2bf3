#pragma once

// Activations for the int4 kernels: each input row rounded to 8 bits per group of 32 values, as GGML's Q8_0
// (d = max|v| / 127, q = round(v · (1 / d)), ties to even), so that an int4 group's dot product is a sum of integer
// products (quantkernels.cpp explains why). The layout follows how a Q4_0 row unpacks: groups in chunks of four; a
// chunk is 64 bytes of its four groups' first halves (values 0-15 of each) then 64 bytes of their second halves,
// the order in which 64 code bytes give up their low and then their high nibbles.

#include <cstdint>
#include <vector>

namespace llmf {

// One group of up to 32 values (`count`) → its codes (32, zero past count) and scale. A group holding inf or NaN
// gets zero codes and a NaN scale, so the product is NaN as the float product would be.
float roundGroupToQ8(const float *values, int64_t count, int8_t *codes);

// One input row, ready for the kernels.
struct Q8Row
{
    const int8_t *codes;    // chunks × 128, the layout above
    const int32_t *offsets; // chunks × 16: 8 × the sum of the 8 codes that one 32-bit lane of a chunk's product
                            // covers (a lane sums 4 first-half and 4 second-half products), subtracted because the
                            // kernels multiply the stored nibbles q + 8, not q
    const float *scales;    // chunks × 16: the scale d of each lane's group
    int64_t chunks;
};

class Q8Activations
{
public:
    // Rounds the n rows of x (n, cols). Input equal to the last call's is not rounded again: decoding multiplies one
    // normed input by q, k and v (and another by gate and up), one call each.
    void assign(const float *x, int64_t n, int64_t cols);
    Q8Row row(int64_t i) const;

private:
    std::vector<float> m_source; // the input of the last call
    int64_t m_cols = 0;
    int64_t m_chunks = 0;
    std::vector<int8_t> m_codes;
    std::vector<int32_t> m_offsets;
    std::vector<float> m_scales;
};

} // namespace llmf
