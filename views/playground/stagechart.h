#pragma once

#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QCPBars;
class QCPItemText;
class QCustomPlot;
class QLabel;

namespace llmf::views {

// One stage of the sampling pipeline as a bar chart of its most likely tokens, token text under each bar and its
// probability above it. The token that was actually sampled is drawn in the accent colour.
class StageChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StageChart)

public:
    struct Bar
    {
        QString label;
        double probability = 0.0;
        bool sampled = false;
    };

    explicit StageChart(QWidget *parent = nullptr);

    void setTitle(const QString &title);
    QString title() const;
    // Best first. Replots on the next event-loop pass, so a dragged slider redraws once per frame at most.
    void setBars(const QVector<Bar> &bars);
    // The four charts share one probability scale so flattening and renormalising can be compared by eye.
    void setValueRange(double upper);

    int barCount() const { return static_cast<int>(m_data.size()); }
    QStringList labels() const;
    QVector<double> values() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();
    void rebuild();
    void fitValueLabels();

    QLabel *m_title = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPBars *m_bars = nullptr;
    QCPBars *m_sampledBars = nullptr;
    QVector<QCPItemText *> m_valueLabels;
    QVector<Bar> m_data;
};

} // namespace llmf::views
