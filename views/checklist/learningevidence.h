#pragma once

#include <QObject>

namespace llmf::views {

class ChecklistStore;

// Turns what the learner does in the app into checklist progress, each with the event that earned it:
//   a finished run whose validation loss fell below its step-0 loss  → "train a small model"
//   ... and that trained on the learner's own text (data.file_path)  → "train on your own data"
//   a run started with model/training settings that match no preset   → "adjust configuration"
//   a finished run trained by two or more processes (data parallel)   → "production deployment"
//   five requests answered by the Playground's Serve tab (llmf serve)  → "production deployment"
//   Playground compare finished with two or more different settings   → "sampling strategies"
//   Config Studio's parameter-count quiz answered right              → "parameter count"
//   a cell of the Inspector's logit lens chosen in an earlier block   → "Transformer architecture"
//   a head's map opened from the Inspector's Heads tab at some step   → "self-attention"
// (Passing a lesson's self-check is handled by the Lessons page.)
class LearningEvidence final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LearningEvidence)

public:
    explicit LearningEvidence(ChecklistStore *store, QObject *parent = nullptr);

public Q_SLOTS:
    void onRunStarted(const QString &runDir);
    void onRunFinished(const QString &runDir, bool completed);
    void onStrategiesCompared(const QStringList &settings);
    void onParameterQuiz(bool correct, qint64 answer, qint64 truth);
    void onRequestsServed(int finished);
    void onLogitLensCell(int row, int rows, const QString &token, const QString &prediction);
    void onHeadOpened(int layer, int head, qint64 step);

private:
    ChecklistStore *m_store;
};

} // namespace llmf::views
