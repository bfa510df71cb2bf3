#include "llmf/inspect/embeddingmap.h"

#include "llmf/common/error.h"
#include "llmf/inspect/attentionprobe.h"
#include "llmf/model/minillm.h"
#include "llmf/run/rundirectory.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace llmf {

Projection2D projectPca(const std::vector<float> &rows, int n, int dim)
{
    if (n < 2 || dim < 1 || rows.size() != static_cast<size_t>(n) * static_cast<size_t>(dim))
        throw Error("A 2-D projection needs at least two vectors of the same size.");
    c10::InferenceMode inference;
    const torch::Tensor x = torch::from_blob(const_cast<float *>(rows.data()), {n, dim}).to(torch::kFloat64);
    const torch::Tensor centred = x - x.mean(0, true);                   // (n, dim)
    const torch::Tensor covariance = centred.t().mm(centred) / (n - 1);  // (dim, dim)
    const auto [values, vectors] = torch::linalg::eigh(covariance, "L"); // ascending eigenvalues
    const torch::Tensor top = vectors.narrow(1, dim - std::min(dim, 2), std::min(dim, 2)).flip({1}); // (dim, ≤2)
    torch::Tensor coordinates = centred.mm(top);                                                     // (n, ≤2)
    if (coordinates.size(1) < 2)
        coordinates = torch::cat({coordinates, torch::zeros({n, 1}, torch::kFloat64)}, 1);
    // A sign convention, so that one matrix always gives the same picture: the largest coordinate is positive.
    for (int c = 0; c < 2; ++c) {
        const torch::Tensor column = coordinates.select(1, c);
        if (column.index({column.abs().argmax()}).item<double>() < 0)
            column.neg_();
    }
    Projection2D out;
    const torch::Tensor points = coordinates.to(torch::kFloat32).contiguous();
    out.points.assign(points.data_ptr<float>(), points.data_ptr<float>() + points.numel());
    const double total = values.clamp_min(0).sum().item<double>();
    for (int c = 0; c < std::min(dim, 2); ++c)
        out.explained[c] = total > 0 ? static_cast<float>(values[dim - 1 - c].item<double>() / total) : 0.0f;
    return out;
}

std::vector<float> alignTo(const std::vector<float> &points, const std::vector<float> &reference)
{
    if (points.size() != reference.size() || points.size() % 2 != 0)
        throw Error("Aligning two maps needs the same points in both.");
    // M = Pᵀ R (2 × 2). The best rotation maximises tr(Qᵀ M): angle atan2(m21 − m12, m11 + m22); the best
    // reflection: angle atan2(m12 + m21, m11 − m22). Take whichever fits better.
    double m11 = 0, m12 = 0, m21 = 0, m22 = 0;
    for (size_t i = 0; i < points.size(); i += 2) {
        m11 += double(points[i]) * reference[i];
        m12 += double(points[i]) * reference[i + 1];
        m21 += double(points[i + 1]) * reference[i];
        m22 += double(points[i + 1]) * reference[i + 1];
    }
    const double rotationFit = std::hypot(m11 + m22, m21 - m12), reflectionFit = std::hypot(m11 - m22, m12 + m21);
    double q11, q12, q21, q22; // x' = x·Q (row vectors)
    if (rotationFit >= reflectionFit) {
        const double a = std::atan2(m21 - m12, m11 + m22), c = std::cos(a), s = std::sin(a);
        q11 = c, q12 = -s, q21 = s, q22 = c;
    } else {
        const double a = std::atan2(m12 + m21, m11 - m22), c = std::cos(a), s = std::sin(a);
        q11 = c, q12 = s, q21 = s, q22 = -c;
    }
    std::vector<float> out(points.size());
    for (size_t i = 0; i < points.size(); i += 2) {
        out[i] = static_cast<float>(points[i] * q11 + points[i + 1] * q21);
        out[i + 1] = static_cast<float>(points[i] * q12 + points[i + 1] * q22);
    }
    return out;
}

std::vector<Neighbour> nearestRows(const std::vector<float> &rows, int n, int dim, int32_t id, int k)
{
    if (id < 0 || id >= n)
        throw Error("Token id " + std::to_string(id) + " is outside the table (0 … " + std::to_string(n - 1) + ").");
    const auto norm = [&](int r) {
        double s = 0;
        for (int c = 0; c < dim; ++c)
            s += double(rows[static_cast<size_t>(r) * dim + c]) * rows[static_cast<size_t>(r) * dim + c];
        return std::sqrt(s);
    };
    const double self = norm(id);
    std::vector<Neighbour> all;
    for (int r = 0; r < n; ++r) {
        if (r == id)
            continue;
        double dot = 0;
        for (int c = 0; c < dim; ++c)
            dot += double(rows[static_cast<size_t>(r) * dim + c]) * rows[static_cast<size_t>(id) * dim + c];
        const double denominator = self * norm(r);
        all.push_back({r, denominator > 0 ? static_cast<float>(dot / denominator) : 0.0f});
    }
    const auto count = static_cast<size_t>(std::clamp(k, 0, static_cast<int>(all.size())));
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(count), all.end(),
                      [](const Neighbour &a, const Neighbour &b) { return a.cosine > b.cosine; });
    all.resize(count);
    return all;
}

EmbeddingMap probeEmbeddingMap(const LoadedRun &run, EmbeddingTable table, int labelCount)
{
    const MiniLLM model = run.model();
    c10::InferenceMode inference;
    const torch::Tensor weight =
        (table == EmbeddingTable::Output && model->lm_head ? model->lm_head->weight : model->embed_tokens->weight);
    EmbeddingMap map;
    map.step = run.step;
    map.table = table;
    map.tokens = std::min<int>(run.tokenizer.vocabSize(), static_cast<int>(weight.size(0)));
    map.dim = static_cast<int>(weight.size(1));
    const torch::Tensor rows = weight.narrow(0, 0, map.tokens).to(torch::kCPU, torch::kFloat32).contiguous();
    map.rows.assign(rows.data_ptr<float>(), rows.data_ptr<float>() + rows.numel());
    map.projection = projectPca(map.rows, map.tokens, map.dim);
    for (int32_t id = 0; id < map.tokens; ++id)
        map.labels.push_back(displayToken(run.tokenizer.tokenBytes(id)));
    for (const Merge &merge : run.tokenizer.merges()) {
        if (static_cast<int>(map.labelled.size()) >= labelCount)
            break;
        const std::string &bytes = run.tokenizer.tokenBytes(merge.token);
        int letters = 0;
        for (unsigned char c : bytes)
            letters += std::isalpha(c) || c >= 0x80 ? 1 : 0;
        if (letters >= 2 && merge.token < map.tokens)
            map.labelled.push_back(merge.token);
    }
    return map;
}

} // namespace llmf
