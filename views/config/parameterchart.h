#pragma once

#include "common/qcustomplot.h"

#include <QStringList>
#include <QVector>

#include <vector>

namespace llmf::views {

// Horizontal bars, one per component in data-flow order (embedding at the top, lm_head at the bottom), each
// labelled with its value just past its end. Colours come from the palette, so it follows the theme.
class ParameterChart final : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParameterChart)

public:
    explicit ParameterChart(QWidget *parent = nullptr);

    // names, values and labels have the same length; an empty list clears the chart.
    void setBars(const QStringList &names, const QVector<double> &values, const QStringList &labels);

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColours();

    QCPBars *m_bars = nullptr;
    std::vector<QCPItemText *> m_labels;
};

} // namespace llmf::views
