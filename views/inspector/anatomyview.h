#pragma once

#include <QWidget>

#include <memory>

class QCheckBox;
class QCPBars;
class QCustomPlot;
class QCPItemStraightLine;
class QLabel;

namespace llmf {
struct ParameterBreakdown;
struct WeightStats;
} // namespace llmf

namespace llmf::views {

// The Anatomy tab: where the loaded model's parameters are (a bar per part), the RMSNorm gains of every layer
// (mean with a min–max bar) and the size of every weight matrix per layer, all read from the weights themselves.
class AnatomyView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AnatomyView)

public:
    explicit AnatomyView(QWidget *parent = nullptr);
    ~AnatomyView() override;

    void setData(const llmf::ParameterBreakdown &parameters, const llmf::WeightStats &weights);
    void clear();
    bool hasData() const { return m_weights != nullptr; }
    int parameterBarCount() const;
    QWidget *chartArea() const { return m_charts; }

    bool exportCsv(const QString &path) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void restyle();
    void updateParameters();
    void updateGains();
    void updateWeights();

    std::unique_ptr<llmf::ParameterBreakdown> m_parameters;
    std::unique_ptr<llmf::WeightStats> m_weights;
    QWidget *m_charts = nullptr;
    QCustomPlot *m_parameterPlot = nullptr;
    QCustomPlot *m_gainPlot = nullptr;
    QCustomPlot *m_weightPlot = nullptr;
    QCPBars *m_bars = nullptr;
    QCPItemStraightLine *m_unitGain = nullptr;
    QLabel *m_parameterCaption = nullptr;
    QLabel *m_gainCaption = nullptr;
    QLabel *m_weightCaption = nullptr;
    QCheckBox *m_perElement = nullptr;
};

} // namespace llmf::views
