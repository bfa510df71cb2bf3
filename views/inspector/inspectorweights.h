#pragma once

#include "llmf/inspect/ropeprobe.h"
#include "llmf/inspect/weightprobe.h"
#include "llmf/run/rundirectory.h"

namespace llmf::views {

// A loaded run as the Inspector shows it: the model, and what the RoPE and Anatomy tabs draw from its weights alone.
// Immutable once loaded, so the GUI thread may read the config and step while the worker probes the model.
struct InspectorWeights
{
    llmf::LoadedRun run;
    llmf::WeightStats weights;
    llmf::RopeTables tables;
    llmf::RopeRelativeCurve relative;
};

} // namespace llmf::views
