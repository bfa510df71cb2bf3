#pragma once

#include "llmf/config/config.h"
#include "llmf/config/configschema.h"
#include "llmf/config/validation.h"

#include <QString>
#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QGridLayout;
class QLabel;

namespace llmf::views {

class WheelGuard;

// The schema-driven editor: one group box per section and one row per entry of llmf::configFields(), so a key
// added to the schema appears here without touching this file. The form owns the edited Config; every change a
// user makes goes through llmf::setField() and is announced with edited().
class ConfigForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigForm)

public:
    explicit ConfigForm(QWidget *parent = nullptr);
    ~ConfigForm() override;

    const llmf::Config &config() const { return m_config; }
    // Refills every widget; emits nothing (the caller knows what it set) and forgets half-typed text.
    void setConfig(const llmf::Config &config);
    // Sets one field (e.g. an applied fix) without touching what is being typed elsewhere; emits nothing.
    void setFieldValue(const QString &path, const llmf::FieldValue &value);

    // Text that cannot be read as its field's type ("3e-", "abc"). The config keeps the last readable value, so
    // these are issues of their own: a page must not train or save what the user does not see.
    std::vector<llmf::ValidationIssue> inputIssues() const;
    // Shows each issue next to its field (plus any input issue); fields without an issue are cleared.
    void setIssues(const std::vector<llmf::ValidationIssue> &issues);

    QWidget *editorFor(const QString &path) const;

Q_SIGNALS:
    void edited(const QString &path);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Row
    {
        const llmf::FieldSpec *spec = nullptr;
        QWidget *editor = nullptr;         // QSpinBox, Int64SpinBox, QLineEdit, QCheckBox or QComboBox
        QCheckBox *off = nullptr;          // optional fields: checked means null
        QLabel *caption = nullptr;         // the schema's description
        QLabel *message = nullptr;         // validation message, hidden while the field is fine
        std::optional<QString> unreadable; // a number's text that is not one yet ("3e-")
        QString inputError;                // what setField() refused
        QString issue;
    };

    void retranslate();
    static QString inputError(const Row &row); // worded when asked for, so it follows the UI language
    QWidget *createEditor(Row &row);
    void onEdited(size_t index);
    void writeToWidgets(Row &row, const llmf::FieldValue &value);
    void updateMessage(Row &row);
    void applyColours();

    llmf::Config m_config;
    std::vector<Row> m_rows;
    std::vector<QGridLayout *> m_grids; // one per section, in configSections() order
    WheelGuard *m_wheelGuard = nullptr;
};

} // namespace llmf::views
