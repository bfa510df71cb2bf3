#pragma once

// Tables and curves that show what rotary position embedding (RoPE) does, taken from the model's own RoPE module
// (its buffers and its forward), so the pictures are the numbers the model uses. Plain data, no torch here.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace llmf {

class MiniLLM;
struct LoadedRun;

struct RopeTables
{
    int headDim = 0;
    int pairs = 0;     // head_dim / 2: pair i rotates dimensions (i, i + head_dim/2) (HF "rotate_half" layout)
    int positions = 0; // max_seq_len
    double theta = 0.0;
    // Radians per position of each pair, theta^(-2i/head_dim): pair 0 turns by 1 rad per token, the last pair
    // barely moves. (pairs)
    std::vector<double> inverseFrequencies;
    // Rotation angle pos * inverseFrequencies[i] of every (position, pair), row-major. (positions, pairs)
    std::vector<double> angles;
    // One seeded random query vector rotated to every position by RoPE's forward: the coordinates of pair i at
    // position p are (rotated[(p * headDim) + i], rotated[(p * headDim) + i + pairs]). (positions, headDim)
    std::vector<double> rotated;

    double angle(int position, int pair) const { return angles[static_cast<size_t>(position) * pairs + pair]; }
    double rotatedX(int position, int pair) const { return rotated[static_cast<size_t>(position) * headDim + pair]; }
    double rotatedY(int position, int pair) const
    {
        return rotated[static_cast<size_t>(position) * headDim + pair + pairs];
    }
    // Tokens per full turn of a pair: 2π / inverse frequency.
    double wavelength(int pair) const;
};

RopeTables probeRopeTables(MiniLLM &model, uint64_t seed = 0);
RopeTables probeRopeTables(const LoadedRun &run, uint64_t seed = 0);

// The relative-position property: for a fixed query q and key k (seeded random), the score q·k after rotating q
// to position start + offset and k to position start. RoPE makes the score depend on the offset only, so the curves
// for two different starts coincide (up to float rounding).
struct RopeRelativeCurve
{
    int startA = 0;
    int startB = 0;
    std::vector<double> offsets; // 0 .. maxOffset: how many tokens the key lies before the query
    std::vector<double> scoresA; // q·k with the key at position startA
    std::vector<double> scoresB; // q·k with the key at position startB
    double maxAbsDifference = 0.0;
};

// Offsets go as far as both starts allow within max_seq_len (at most `maxOffset` when that is >= 0). Throws
// llmf::Error when a start lies outside [0, max_seq_len).
RopeRelativeCurve probeRopeRelative(MiniLLM &model, int startA, int startB, int maxOffset = -1, uint64_t seed = 0);
RopeRelativeCurve probeRopeRelative(const LoadedRun &run, int startA, int startB, int maxOffset = -1,
                                    uint64_t seed = 0);

} // namespace llmf
