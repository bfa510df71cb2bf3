#include "config/floatedit.h"

#include "llmf/config/configschema.h"

#include <QDoubleValidator>
#include <QLocale>
#include <QSignalBlocker>

#include <cmath>

namespace llmf::views {

FloatEdit::FloatEdit(QWidget *parent) : QLineEdit(parent)
{
    auto *validator = new QDoubleValidator(this);
    validator->setNotation(QDoubleValidator::ScientificNotation);
    validator->setLocale(QLocale::c());
    setValidator(validator); // no range: out-of-range values are typed, then explained by validation
    connect(this, &QLineEdit::editingFinished, this, [this] {
        // Show the number in the same form as everywhere else once the user is done ("3e-4" becomes "0.0003").
        if (const auto v = value()) {
            const QSignalBlocker blocker(this);
            setText(format(*v));
        }
    });
}

std::optional<double> FloatEdit::value() const
{
    bool ok = false;
    const double v = QLocale::c().toDouble(text().trimmed(), &ok);
    if (!ok || !std::isfinite(v))
        return std::nullopt;
    return v;
}

void FloatEdit::setValue(double value)
{
    setText(format(value));
}

QString FloatEdit::format(double value)
{
    if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) >= 1 && std::fabs(value) < 1e15)
        return QString::number(static_cast<qint64>(value)) + QStringLiteral(".0");
    return QString::fromStdString(llmf::formatFieldValue(value));
}

} // namespace llmf::views
