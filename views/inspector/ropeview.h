#pragma once

#include <QPointF>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <memory>

class QCheckBox;
class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPCurve;
class QCPItemLine;
class QCPItemStraightLine;
class QCPItemText;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace llmf {
struct RopeTables;
struct RopeRelativeCurve;
} // namespace llmf

namespace llmf::views {

// The RoPE tab: how fast each dimension pair turns (log scale), the angle of every (position, pair), one pair of a
// query vector turning as its position grows (slider), and the proof of the relative-position property: q·k for a
// key at two different absolute positions, plotted against the offset, lies on one curve.
class RopeView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RopeView)

public:
    explicit RopeView(QWidget *parent = nullptr);
    ~RopeView() override;

    void setData(const llmf::RopeTables &tables, const llmf::RopeRelativeCurve &relative);
    void clear();
    bool hasData() const { return m_tables != nullptr; }

    void setPair(int pair);
    void setPosition(int position);
    int pair() const;
    int position() const;
    // Where the selected pair's arrow points in the rotation plot.
    QPointF rotationPoint() const;
    // The plotted relative-position curve 0 (first start) or 1 (second start).
    QVector<double> relativeScores(int curve) const;
    QWidget *chartArea() const { return m_charts; }

    // Every table and curve, in sections separated by a blank line and a "# title" line.
    bool exportCsv(const QString &path) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildPlots();
    void retranslate();
    void restyle();
    void updateFrequencies();
    void updateAngles();
    void updateRotation();
    void updateRelative();
    void keepRotationSquare();

    std::unique_ptr<llmf::RopeTables> m_tables;
    std::unique_ptr<llmf::RopeRelativeCurve> m_relative;
    QWidget *m_charts = nullptr;
    QCustomPlot *m_frequencyPlot = nullptr;
    QCustomPlot *m_anglePlot = nullptr;
    QCustomPlot *m_rotationPlot = nullptr;
    QCustomPlot *m_relativePlot = nullptr;
    QCPColorMap *m_angleMap = nullptr;
    QCPColorScale *m_angleScale = nullptr;
    QCPItemStraightLine *m_angleCursor = nullptr;
    QCPItemStraightLine *m_oneTurnLine = nullptr;
    QCPItemText *m_oneTurnLabel = nullptr;
    QCPCurve *m_circle = nullptr;
    QCPCurve *m_trace = nullptr;
    QCPItemLine *m_startArrow = nullptr;
    QCPItemLine *m_arrow = nullptr;
    QLabel *m_frequencyCaption = nullptr;
    QLabel *m_angleCaption = nullptr;
    QLabel *m_rotationCaption = nullptr;
    QLabel *m_relativeCaption = nullptr;
    QLabel *m_pairLabel = nullptr;
    QLabel *m_positionLabel = nullptr;
    QSpinBox *m_pairSpin = nullptr;
    QSlider *m_positionSlider = nullptr;
    QPushButton *m_play = nullptr;
    QCheckBox *m_wrap = nullptr;
    QTimer m_playTimer;
};

} // namespace llmf::views
