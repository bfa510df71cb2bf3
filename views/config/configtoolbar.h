#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace llmf::views {

// The Config Studio's top bar: preset chooser, file actions, where the configuration came from, and the primary
// "Train this config" button. It only reports clicks; the page decides what they do.
class ConfigToolBar final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigToolBar)

public:
    explicit ConfigToolBar(QWidget *parent = nullptr);

    // Selects `name` in the preset list; shows the placeholder (and returns false) when it is not a preset.
    bool selectPreset(const QString &name);
    void setOrigin(const QString &richText, const QString &toolTip);
    // Save, Save As and Train need a valid config; Reset needs something to go back from.
    void setState(bool valid, bool resettable);

Q_SIGNALS:
    void presetChosen(const QString &name);
    void openRequested();
    void saveRequested();
    void saveAsRequested();
    void resetRequested();
    void trainRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    QPushButton *addButton(const QString &name, int icon);
    QString trainToolTip() const;
    void stylePrimaryButton();

    bool m_valid = true;
    QLabel *m_presetLabel = nullptr;
    QComboBox *m_presetCombo = nullptr;
    QPushButton *m_openButton = nullptr;
    QPushButton *m_saveButton = nullptr;
    QPushButton *m_saveAsButton = nullptr;
    QPushButton *m_resetButton = nullptr;
    QPushButton *m_trainButton = nullptr;
    QLabel *m_originLabel = nullptr;
};

} // namespace llmf::views
