#pragma once

#include "common/metatypes.h"

#include <QTimer>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;

namespace llmf::views {

// The dashboard's live charts: loss (per step, smoothed, and the train/val evaluations), learning rate,
// gradient norm and tokens/s. Points are buffered and the plots redrawn by a ~30 Hz timer with a queued replot,
// never once per signal (docs/architecture.md §8.7).
class TrainingCharts final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrainingCharts)

public:
    explicit TrainingCharts(QWidget *parent = nullptr);

    void clear();
    // Marks the loss a model that knows nothing scores: ln(vocab_size).
    void setExpectedInitialLoss(double loss);
    void addSteps(const QVector<llmf::StepMetrics> &steps);
    void addEval(const llmf::EvalMetrics &metrics);
    // A finished run's smoothed loss drawn under the live curves, for comparing runs (the lessons' experiments).
    // clear() keeps overlays; clearOverlays() removes them.
    void addOverlay(const QString &label, const QVector<double> &steps, const QVector<double> &loss);
    void clearOverlays();
    int overlayCount() const { return static_cast<int>(m_overlays.size()); }
    QStringList overlayLabels() const;

    int lossPointCount() const;
    // Data-parallel runs: one tokens/s line per rank, and the share of rank 0's step time spent in all-reduce
    // (right axis, %). Zero and empty for a single process.
    int rankLineCount() const { return static_cast<int>(m_rankGraphs.size()); }
    double lastAllReduceShare() const;
    int evalPointCount() const;
    QCustomPlot *lossPlot() const { return m_loss; }
    // Saves all four charts side by side as one PNG. False on failure.
    bool savePng(const QString &path) const;
    void retranslate();

private:
    void replotIfDirty();
    void addRankPoints(const llmf::StepMetrics &m);
    void removeRankGraphs();
    void retranslateRankGraphs();
    QCustomPlot *makePlot(const QString &objectName);

    QCustomPlot *m_loss = nullptr;
    QCustomPlot *m_lr = nullptr;
    QCustomPlot *m_gradNorm = nullptr;
    QCustomPlot *m_throughput = nullptr;
    QCPItemStraightLine *m_expectedLine = nullptr;
    QCPItemText *m_expectedLabel = nullptr;
    QList<QCPGraph *> m_overlays;
    QList<QCPGraph *> m_rankGraphs;
    QCPGraph *m_allReduceShare = nullptr;
    double m_expectedLoss = 0.0;
    double m_smoothed = -1.0;
    bool m_dirty = false;
    QTimer m_replotTimer;
};

} // namespace llmf::views
