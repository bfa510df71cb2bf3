// The quantised matrix-vector kernels on `small`'s and `rtx5060`'s matrix shapes, one input row (decoding), one
// thread, every kernel this CPU runs, in alternating rounds. Prints weights per second (G/s) per kernel, the
// median over rounds. Not part of `make test` (label "benchmark"): build/bin/bench_quantkernels [rounds].
#include "llmf/kernels/quantizedmatrix.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace llmf;

namespace {

struct Shape
{
    const char *what;
    int64_t rows, cols;
};

// Weights per second of `m` times one random input, timed over ~0.1 s after a warm-up.
double weightsPerSecond(const QuantizedMatrix &m, QuantKernel kernel, const std::vector<float> &x)
{
    std::vector<float> y(static_cast<size_t>(m.rows()));
    const int64_t calls = std::max<int64_t>(10, int64_t(20'000'000) / (m.rows() * m.cols()));
    for (int64_t i = 0; i < calls / 10; ++i)
        m.multiplyWith(kernel, x.data(), 1, y.data());
    const auto start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < calls; ++i)
        m.multiplyWith(kernel, x.data(), 1, y.data());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return double(m.rows() * m.cols()) * double(calls) / seconds;
}

} // namespace

int main(int argc, char **argv)
{
    const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
    at::set_num_threads(1); // the kernels' own speed, not the machine's core count (rows are split over threads)
    const Shape shapes[] = {{"small q/o_proj", 256, 256},       {"small gate/up_proj", 682, 256},
                            {"small down_proj", 256, 682},      {"small lm_head", 8192, 256},
                            {"rtx5060 q/k/v/o_proj", 704, 704}, {"rtx5060 down_proj", 704, 1877}};
    struct Measurement
    {
        const Shape *shape;
        QuantType type;
        QuantKernel kernel;
        std::vector<double> speeds; // one per round
    };
    std::vector<Measurement> measurements; // the same order every round
    std::mt19937 rng(1);
    std::normal_distribution<float> normal;
    for (int round = 0; round < rounds; ++round) {
        size_t next = 0;
        for (const Shape &shape : shapes) {
            std::vector<float> w(static_cast<size_t>(shape.rows * shape.cols)), x(static_cast<size_t>(shape.cols));
            for (float &v : w)
                v = normal(rng);
            for (float &v : x)
                v = normal(rng);
            for (QuantType type : {QuantType::Int8, QuantType::Int4}) {
                const QuantizedMatrix m = QuantizedMatrix::quantize(w.data(), shape.rows, shape.cols, type);
                for (QuantKernel kernel : supportedQuantKernels()) {
                    if (round == 0)
                        measurements.push_back({&shape, type, kernel, {}});
                    measurements[next++].speeds.push_back(weightsPerSecond(m, kernel, x));
                }
            }
        }
    }
    std::printf("%-22s %-11s %-5s %-9s %s\n", "matrix", "rows x cols", "type", "kernel", "G weights/s (median)");
    for (Measurement &row : measurements) {
        std::sort(row.speeds.begin(), row.speeds.end());
        const std::string size = std::to_string(row.shape->rows) + "x" + std::to_string(row.shape->cols);
        std::printf("%-22s %-11s %-5s %-9s %6.1f\n", row.shape->what, size.c_str(), quantTypeName(row.type),
                    quantKernelName(row.kernel), row.speeds[row.speeds.size() / 2] / 1e9);
    }
    return 0;
}
