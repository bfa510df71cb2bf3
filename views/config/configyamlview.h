#pragma once

#include "llmf/config/config.h"

#include <QWidget>

class QCheckBox;
class QPlainTextEdit;
class QPushButton;

namespace llmf::views {

// The configuration as YAML, read-only and kept in sync by the page: by default only the keys that differ from the
// defaults (exactly what Save writes), or every key with its resolved value ("Show all keys").
class ConfigYamlView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigYamlView)

public:
    explicit ConfigYamlView(QWidget *parent = nullptr);

    void setConfig(const llmf::Config &config);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void render();

    llmf::Config m_config;
    QCheckBox *m_showAllKeys = nullptr;
    QPushButton *m_copy = nullptr;
    QPlainTextEdit *m_text = nullptr;
};

} // namespace llmf::views
