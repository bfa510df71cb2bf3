#pragma once

#include <QWidget>

namespace llmf::views {

// The key to TokenView's colours: one swatch per probability bin, drawn exactly as the view draws it (the same
// translucent colour over the same base), so it stays right in dark mode.
class ProbabilityLegend final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProbabilityLegend)

public:
    explicit ProbabilityLegend(QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QString caption() const;
};

} // namespace llmf::views
