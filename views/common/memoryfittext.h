#pragma once

#include "llmf/model/memoryfit.h"

#include <QString>

namespace llmf::views {

// The translated sentence for a training that does not fit (empty when it fits): what it needs, what the machine
// has, and which keys shrink it. Config Studio shows it beside the memory table, the Training page refuses with it.
QString memoryFitWarning(const llmf::MemoryFit &fit);

} // namespace llmf::views
