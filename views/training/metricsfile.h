#pragma once

#include "llmf/run/metricslog.h"

#include <QByteArray>
#include <QString>

namespace llmf::views {

// One line of a run's metrics.jsonl: core's parser (llmf/run/metricslog.h), for QByteArray lines.
using MetricsEvent = llmf::MetricsLine;
MetricsEvent parseMetricsLine(const QByteArray &line);

// What the views need from a run's trainer_state.json: the checkpoint's step and how many processes trained it.
struct TrainerStateSummary
{
    bool found = false; // false: no checkpoint (or an unreadable one)
    qint64 step = 0;
    int worldSize = 1;
};
TrainerStateSummary readTrainerState(const QString &runDir);

} // namespace llmf::views
