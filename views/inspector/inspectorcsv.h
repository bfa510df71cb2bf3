#pragma once

#include <QString>

namespace llmf {
struct AttentionMaps;
struct ParameterBreakdown;
struct RopeRelativeCurve;
struct RopeTables;
struct WeightStats;
} // namespace llmf

namespace llmf::views {

// The numbers behind the Inspector's charts as CSV, for a spreadsheet or pandas. A tab with several tables writes
// them one after another, each introduced by a "# title" line and separated by a blank line
// (pandas.read_csv(..., comment='#') reads one section at a time with skiprows/nrows). False on I/O failure.

// One row per (layer, head, query, key).
bool writeAttentionCsv(const llmf::AttentionMaps &maps, const QString &path);
// Speeds, angles, the rotated query vector and the relative-position curves.
bool writeRopeCsv(const llmf::RopeTables &tables, const llmf::RopeRelativeCurve &relative, const QString &path);
// Parameter counts, RMSNorm gains and weight-matrix norms.
bool writeAnatomyCsv(const llmf::ParameterBreakdown &parameters, const llmf::WeightStats &weights, const QString &path);

} // namespace llmf::views
