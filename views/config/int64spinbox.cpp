#include "config/int64spinbox.h"

#include <QLineEdit>
#include <QLocale>
#include <QStyle>
#include <QStyleOptionSpinBox>

#include <algorithm>
#include <cstdlib>

namespace llmf::views {

Int64SpinBox::Int64SpinBox(QWidget *parent) : QAbstractSpinBox(parent)
{
    // textChanged, not textEdited: fixup() on focus-out changes the text programmatically and must be seen too.
    connect(lineEdit(), &QLineEdit::textChanged, this, &Int64SpinBox::onTextChanged);
    lineEdit()->setText(QString::number(m_value));
}

void Int64SpinBox::setRange(qint64 minimum, qint64 maximum)
{
    m_minimum = minimum;
    m_maximum = std::max(minimum, maximum);
    setValue(std::clamp(m_value, m_minimum, m_maximum));
    updateGeometry();
}

void Int64SpinBox::setValue(qint64 value)
{
    value = std::clamp(value, m_minimum, m_maximum);
    const QString text = QString::number(value);
    if (lineEdit()->text() != text)
        lineEdit()->setText(text); // onTextChanged() stores the value and emits
    if (m_value != value) {
        m_value = value;
        Q_EMIT valueChanged(m_value);
    }
}

QValidator::State Int64SpinBox::validate(QString &input, int &) const
{
    const QString text = input.trimmed();
    if (text.isEmpty() || text == QLatin1String("-") || text == QLatin1String("+"))
        return QValidator::Intermediate;
    bool ok = false;
    const qint64 v = QLocale::c().toLongLong(text, &ok);
    if (!ok)
        return QValidator::Invalid;
    if (v > m_maximum && v > 0)
        return QValidator::Invalid; // more digits only make it larger
    if (v < m_minimum || v > m_maximum)
        return QValidator::Intermediate; // "1" on the way to "16" when the minimum is 8
    return QValidator::Acceptable;
}

void Int64SpinBox::fixup(QString &input) const
{
    bool ok = false;
    const qint64 v = QLocale::c().toLongLong(input.trimmed(), &ok);
    input = QString::number(ok ? std::clamp(v, m_minimum, m_maximum) : m_value);
}

void Int64SpinBox::stepBy(int steps)
{
    // Saturate instead of overflowing near the ends of the 64-bit range.
    const qint64 room = steps > 0 ? m_maximum - m_value : m_value - m_minimum;
    const qint64 delta = std::min<qint64>(room, std::abs(static_cast<qint64>(steps)));
    setValue(steps > 0 ? m_value + delta : m_value - delta);
    selectAll();
}

QAbstractSpinBox::StepEnabled Int64SpinBox::stepEnabled() const
{
    StepEnabled enabled = StepNone;
    if (isReadOnly())
        return enabled;
    if (m_value < m_maximum)
        enabled |= StepUpEnabled;
    if (m_value > m_minimum)
        enabled |= StepDownEnabled;
    return enabled;
}

QSize Int64SpinBox::sizeHint() const
{
    // The base class sizes from values it does not know about; size for the widest of the range's ends instead.
    ensurePolished();
    const QFontMetrics fm(font());
    const auto digits = std::max(QString::number(m_minimum).size(), QString::number(m_maximum).size());
    const int textWidth = fm.horizontalAdvance(QString(std::min<qsizetype>(digits, 12) + 1, QLatin1Char('9')));
    QStyleOptionSpinBox option;
    initStyleOption(&option);
    const QSize content(textWidth + 4, lineEdit()->sizeHint().height());
    return style()->sizeFromContents(QStyle::CT_SpinBox, &option, content, this);
}

QSize Int64SpinBox::minimumSizeHint() const
{
    return sizeHint();
}

void Int64SpinBox::onTextChanged(const QString &text)
{
    bool ok = false;
    const qint64 v = QLocale::c().toLongLong(text.trimmed(), &ok);
    if (!ok || v < m_minimum || v > m_maximum || v == m_value)
        return;
    m_value = v;
    Q_EMIT valueChanged(m_value);
}

} // namespace llmf::views
