#include "llmf/inspect/ropeprobe.h"

#include "llmf/common/error.h"
#include "llmf/model/minillm.h"
#include "llmf/run/rundirectory.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace llmf {

namespace {

constexpr double kPi = 3.14159265358979323846;

// A reproducible N(0, 1) vector that leaves torch's global generator alone (the Trainer's RNG state must not move
// because someone looked at a chart). (n)
torch::Tensor seededVector(int64_t n, uint64_t seed)
{
    std::mt19937_64 engine(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> values(static_cast<size_t>(n));
    for (float &v : values)
        v = normal(engine);
    return torch::tensor(values, torch::kFloat32);
}

std::vector<double> asDoubles(const torch::Tensor &t)
{
    const auto flat = t.to(torch::kCPU, torch::kFloat64).contiguous().view({-1});
    const double *data = flat.data_ptr<double>();
    return std::vector<double>(data, data + flat.numel());
}

} // namespace

double RopeTables::wavelength(int pair) const
{
    const double w = inverseFrequencies[static_cast<size_t>(pair)];
    return w > 0 ? 2.0 * kPi / w : std::numeric_limits<double>::infinity();
}

RopeTables probeRopeTables(MiniLLM &model, uint64_t seed)
{
    c10::InferenceMode inference;
    RotaryEmbedding &rope = model->rope;
    const int64_t D = rope->options.head_dim(), T = rope->options.max_seq_len();
    const auto device = rope->cos.device();

    RopeTables tables;
    tables.headDim = static_cast<int>(D);
    tables.pairs = static_cast<int>(D / 2);
    tables.positions = static_cast<int>(T);
    tables.theta = rope->options.theta();
    tables.inverseFrequencies = asDoubles(rope->inverseFrequencies()); // (D/2)
    tables.angles = asDoubles(rope->angles());                         // (T, D/2)

    // The same query at every position: (1, 1, T, D), rotated by the module's own forward from position 0.
    const auto q = seededVector(D, seed).to(device).view({1, 1, 1, D}).expand({1, 1, T, D}).contiguous();
    tables.rotated = asDoubles(rope->forward(q, 0)); // (1, 1, T, D)
    return tables;
}

RopeRelativeCurve probeRopeRelative(MiniLLM &model, int startA, int startB, int maxOffset, uint64_t seed)
{
    RotaryEmbedding &rope = model->rope;
    const int64_t D = rope->options.head_dim(), T = rope->options.max_seq_len();
    for (const int start : {startA, startB})
        if (start < 0 || start >= T)
            throw Error("RoPE start position " + std::to_string(start) + " lies outside the model's context of " +
                            std::to_string(T) + " tokens.",
                        "Pick a position between 0 and max_seq_len - 1.");
    int64_t N = T - std::max(startA, startB); // offsets 0 .. N-1 fit for both starts
    if (maxOffset >= 0)
        N = std::min<int64_t>(N, maxOffset + 1);

    c10::InferenceMode inference;
    const auto device = rope->cos.device();
    const auto q = seededVector(D, seed).to(device);     // (D)
    const auto k = seededVector(D, seed + 1).to(device); // (D)

    // score[d] = RoPE(q, start + d) · RoPE(k, start): the key sits d tokens before the query.
    const auto scores = [&](int start) {
        const auto queries = rope->forward(q.view({1, 1, 1, D}).expand({1, 1, N, D}).contiguous(), start); // (1,1,N,D)
        const auto key = rope->forward(k.view({1, 1, 1, D}), start);                                       // (1,1,1,D)
        return asDoubles(torch::matmul(queries, key.transpose(-2, -1)));                                   // (1,1,N,1)
    };

    RopeRelativeCurve curve;
    curve.startA = startA;
    curve.startB = startB;
    curve.scoresA = scores(startA);
    curve.scoresB = scores(startB);
    for (int64_t d = 0; d < N; ++d) {
        curve.offsets.push_back(static_cast<double>(d));
        curve.maxAbsDifference = std::max(curve.maxAbsDifference, std::abs(curve.scoresA[d] - curve.scoresB[d]));
    }
    return curve;
}

RopeTables probeRopeTables(const LoadedRun &run, uint64_t seed)
{
    MiniLLM model = run.model();
    return probeRopeTables(model, seed);
}

RopeRelativeCurve probeRopeRelative(const LoadedRun &run, int startA, int startB, int maxOffset, uint64_t seed)
{
    MiniLLM model = run.model();
    return probeRopeRelative(model, startA, startB, maxOffset, seed);
}

} // namespace llmf
