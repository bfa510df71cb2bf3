#pragma once

#include <QWidget>

#include <memory>

class QCPBars;
class QCPColorMap;
class QCustomPlot;
class QLabel;
class QMouseEvent;

namespace llmf {
struct LogitLens;
}

namespace llmf::views {

// The Logit lens tab: for the Attention tab's text, a layers × positions grid whose cells show the token the
// residual stream would predict if the model stopped there (colour = its probability; the bottom row is the model's
// real output); clicking a cell shows that cell's ten best tokens as bars. Beside it, per layer, the residual
// stream's size and how much each block's attention and feed-forward sub-layers added. Shows data it is given.
class LogitLensView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogitLensView)

public:
    explicit LogitLensView(QWidget *parent = nullptr);
    ~LogitLensView() override;

    void setLens(const llmf::LogitLens &lens); // keeps the selected cell where it still exists
    void clear();
    const llmf::LogitLens *lens() const { return m_lens.get(); }

    void selectCell(int row, int position);
    int selectedRow() const { return m_row; }
    int selectedPosition() const { return m_position; }
    QString cellText(int row, int position) const; // the label drawn in a cell ("" when none)
    QStringList barLabels() const;                 // the selected cell's top tokens, best first
    QString summary() const;
    QWidget *chartArea() const { return m_charts; }
    bool exportCsv(const QString &path) const;

Q_SIGNALS:
    void cellSelected(int row, int position);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void redraw();
    void showBars();
    void onGridClick(QMouseEvent *event);

    std::unique_ptr<llmf::LogitLens> m_lens;
    int m_row = -1;
    int m_position = -1;
    QLabel *m_explanation = nullptr;
    QLabel *m_summary = nullptr;
    QWidget *m_charts = nullptr;
    QCustomPlot *m_grid = nullptr;
    QCPColorMap *m_map = nullptr;
    QCustomPlot *m_bars = nullptr;
    QCPBars *m_barData = nullptr;
    QCustomPlot *m_norms = nullptr;
};

} // namespace llmf::views
