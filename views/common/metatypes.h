#pragma once

#include "llmf/config/config.h"
#include "llmf/train/trainobserver.h"

#include <QMetaType>
#include <QVector>

// Value types that cross threads in queued signals (docs/architecture.md §7).
Q_DECLARE_METATYPE(llmf::Config)
Q_DECLARE_METATYPE(llmf::StepMetrics)
Q_DECLARE_METATYPE(llmf::EvalMetrics)
