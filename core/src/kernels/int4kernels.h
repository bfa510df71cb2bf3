#pragma once

// The int4 kernels: Q4_0 weights times Q8_0-rounded activations with integer dot products (quantkernels.cpp
// dispatches to them). Rows [rowBegin, rowEnd) of y = x · Wᵀ for one input row, into y (indexed by row).

#include "q8activations.h"

#include <cstdint>

namespace llmf {

class QuantizedMatrix;

void int4RowsPortable(const QuantizedMatrix &m, const Q8Row &x, int64_t rowBegin, int64_t rowEnd, float *y);
void int4RowsAvx2(const QuantizedMatrix &m, const Q8Row &x, int64_t rowBegin, int64_t rowEnd, float *y);
void int4RowsAvx512(const QuantizedMatrix &m, const Q8Row &x, int64_t rowBegin, int64_t rowEnd, float *y);

} // namespace llmf
