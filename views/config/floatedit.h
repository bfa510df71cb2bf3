#pragma once

#include <QLineEdit>

#include <optional>

namespace llmf::views {

// A line edit for a floating-point config value. Not a QDoubleSpinBox: learning rates span 1e-6 .. 1 and read best
// as typed ("0.0003", "3e-4"), where a spin box would round them to a fixed number of decimals. Numbers use '.'
// whatever the desktop's locale, as YAML does.
class FloatEdit final : public QLineEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FloatEdit)

public:
    explicit FloatEdit(QWidget *parent = nullptr);

    // The typed number, or nothing while the text is not one (empty, "3e-").
    std::optional<double> value() const;
    void setValue(double value); // does not emit textEdited

    // "0.0003", "1e-06"; whole numbers as "10000.0" rather than the YAML writer's shortest "1e+04".
    static QString format(double value);
};

} // namespace llmf::views
