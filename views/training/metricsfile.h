#pragma once

#include "llmf/train/trainobserver.h"

#include <QByteArray>
#include <QString>
#include <QVector>

namespace llmf::views {

// One line of a run's metrics.jsonl (docs/architecture-training.md §5) as the dashboard's value types.
struct MetricsEvent
{
    enum class Kind { None, Step, Eval, Checkpoint };
    Kind kind = Kind::None;
    llmf::StepMetrics step;
    llmf::EvalMetrics eval;
    qint64 stepNumber = 0; // the line's "step", whatever its kind
};

MetricsEvent parseMetricsLine(const QByteArray &line);

// What the views need from a run's trainer_state.json: the checkpoint's step and how many processes trained it.
struct TrainerStateSummary
{
    bool found = false; // false: no checkpoint (or an unreadable one)
    qint64 step = 0;
    int worldSize = 1;
};
TrainerStateSummary readTrainerState(const QString &runDir);

// Follows a metrics.jsonl another process appends to (data-parallel training, where rank 0 writes it): each
// poll() returns the complete lines added since the last one; a line still being written waits for the next poll.
class MetricsFollower
{
public:
    explicit MetricsFollower(QString path) : m_path(std::move(path)) {}
    QVector<MetricsEvent> poll();

private:
    QString m_path;
    qint64 m_offset = 0;
    QByteArray m_partial;
};

} // namespace llmf::views
