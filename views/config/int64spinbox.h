#pragma once

#include <QAbstractSpinBox>

#include <limits>

namespace llmf::views {

// A spin box for 64-bit integers: QSpinBox stops at 2^31 - 1, and several config keys (dim, max_iters, seeds) allow
// more. Keyboard tracking is on, so valueChanged() follows the text as it is typed.
class Int64SpinBox final : public QAbstractSpinBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Int64SpinBox)

public:
    explicit Int64SpinBox(QWidget *parent = nullptr);

    qint64 value() const { return m_value; }
    qint64 minimum() const { return m_minimum; }
    qint64 maximum() const { return m_maximum; }
    void setRange(qint64 minimum, qint64 maximum);

    QValidator::State validate(QString &input, int &pos) const override;
    void fixup(QString &input) const override;
    void stepBy(int steps) override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    void setValue(qint64 value);

Q_SIGNALS:
    void valueChanged(qint64 value);

protected:
    StepEnabled stepEnabled() const override;

private:
    void onTextChanged(const QString &text);

    qint64 m_value = 0;
    qint64 m_minimum = 0;
    qint64 m_maximum = std::numeric_limits<qint64>::max();
};

} // namespace llmf::views
