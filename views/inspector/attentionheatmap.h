#pragma once

#include "common/qcustomplot.h"

#include <QStringList>

#include <vector>

namespace llmf::views {

// One attention map as a heatmap: query tokens down the left (first token at the top), key tokens along the bottom,
// colour = attention probability on a fixed 0..1 scale so maps of different heads compare by eye. Above the
// diagonal every cell is exactly 0: a causal model cannot look at tokens that come later. Hovering a cell shows
// its exact weight.
class AttentionHeatmap final : public QCustomPlot
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttentionHeatmap)

public:
    explicit AttentionHeatmap(QWidget *parent = nullptr);

    // `weights`: (T, T) row-major, row = query, column = key. `tokens`: T axis labels.
    void setMap(const std::vector<float> &weights, const QStringList &tokens, const QString &title);
    void clearMap();
    int tokenCount() const { return static_cast<int>(m_tokens.size()); }
    // The weight the map displays for (query, key); NaN outside the map.
    double value(int query, int key) const;
    // What hovering (query, key) shows, e.g. "query 3 “fox” → key 0 “The”: 0.4312".
    QString describeCell(int query, int key) const;
    QString hoverText() const { return m_hoverText; }
    void retranslate();

Q_SIGNALS:
    void hovered(const QString &text); // empty when the mouse leaves the map

protected:
    void changeEvent(QEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateTicks();
    void setHover(const QString &text);

    QCPColorMap *m_map = nullptr;
    QCPColorScale *m_scale = nullptr;
    QCPTextElement *m_title = nullptr;
    QCPItemText *m_futureLabel = nullptr;
    QStringList m_tokens;
    QString m_titleText;
    QString m_hoverText;
};

} // namespace llmf::views
