#pragma once

// The embedding map: every token's vector (a row of embed_tokens, or of lm_head) projected to 2-D by PCA, so a
// learner can see which tokens the model has put near each other; and nearest neighbours by cosine similarity in the
// full space. Over a run's snapshots the maps are aligned frame to frame (orthogonal Procrustes), because PCA's axes
// may flip or turn between two trainings steps while the cloud itself barely moves. Plain data, no torch here.

#include <cstdint>
#include <string>
#include <vector>

namespace llmf {

struct LoadedRun;

enum class EmbeddingTable { Input, Output }; // embed_tokens rows / lm_head rows (the same matrix when tied)

struct Projection2D
{
    std::vector<float> points;         // (n, 2): the coordinates on the first two principal components
    float explained[2] = {0.0f, 0.0f}; // share of the total variance each component carries
};

// PCA of `rows` (n × dim, row-major) onto its first two principal components (centred). llmf::Error for n < 2.
Projection2D projectPca(const std::vector<float> &rows, int n, int dim);

// `points` (n, 2) turned/reflected about the origin to lie as close as possible to `reference` (n, 2) in the least
// squares sense (the orthogonal Procrustes problem, solved in closed form for 2-D). Both must be centred.
std::vector<float> alignTo(const std::vector<float> &points, const std::vector<float> &reference);

struct Neighbour
{
    int32_t id = 0;
    float cosine = 0.0f;
};
// The k rows most similar to row `id` by cosine similarity (itself excluded), best first.
std::vector<Neighbour> nearestRows(const std::vector<float> &rows, int n, int dim, int32_t id, int k);

struct EmbeddingMap
{
    int64_t step = 0;
    EmbeddingTable table = EmbeddingTable::Input;
    int tokens = 0; // rows of the table (the tokenizer's tokens; unused padding rows left out)
    int dim = 0;
    std::vector<float> rows;         // (tokens, dim) the vectors, for neighbour searches
    Projection2D projection;         // (tokens, 2)
    std::vector<std::string> labels; // displayToken() of every token
    // Tokens worth a label on the map: the first merged tokens of the BPE (it merges the most frequent pairs first,
    // so they are among the most frequent tokens), words of two or more characters only.
    std::vector<int32_t> labelled;
};

// The map of one loaded run (its current weights). `labelCount` tokens get a label.
EmbeddingMap probeEmbeddingMap(const LoadedRun &run, EmbeddingTable table, int labelCount = 40);

} // namespace llmf
