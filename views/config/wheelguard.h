#pragma once

#include <QObject>

class QWidget;

namespace llmf::views {

// Lets the wheel scroll a long form instead of changing the spin box or combo box that passes under the cursor: an
// editor it guards takes wheel events only while it has the focus.
class WheelGuard final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WheelGuard)

public:
    explicit WheelGuard(QObject *parent = nullptr);

    // Filters `editor`'s events and makes it take the focus on click or Tab (not on the wheel).
    void guard(QWidget *editor);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
};

} // namespace llmf::views
