#pragma once

#include "llmf/run/trainingmetrics.h"

#include <QString>
#include <QVector>

namespace llmf::views {

// The steps and evaluations of the run the Training dashboard shows: appended as training reports them, replayed
// from a run directory when a run resumes, and exported as CSV. A value type; the charts draw what it holds.
class MetricsHistory
{
public:
    void clear();
    void addSteps(const QVector<llmf::StepMetrics> &steps) { m_steps += steps; }
    void addEval(const llmf::EvalMetrics &eval) { m_evals.push_back(eval); }

    // A resumed run continues its curves: metrics.jsonl replayed up to the checkpoint it resumes from (lines written
    // after it, by a run that crashed, are redone and skipped here). Returns false when the run has no checkpoint.
    bool loadRun(const QString &runDir);

    // One row per step: step, loss, lr, grad_norm, tokens_per_s, elapsed_s, and the evaluation at that step if any.
    bool writeCsv(const QString &path) const;

    const QVector<llmf::StepMetrics> &steps() const { return m_steps; }
    const QVector<llmf::EvalMetrics> &evals() const { return m_evals; }

private:
    QVector<llmf::StepMetrics> m_steps;
    QVector<llmf::EvalMetrics> m_evals;
};

} // namespace llmf::views
