#pragma once

#include "llmf/config/config.h"

#include <QWidget>

class QLabel;
class QStackedWidget;
class QTreeWidget;

namespace llmf::views {

// The keys whose value differs from where the configuration came from (a preset or a file), like `git diff` for
// one config: key, value at the origin, value now. An empty-state message when nothing changed.
class ConfigDiffView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigDiffView)

public:
    explicit ConfigDiffView(QWidget *parent = nullptr);

    // Returns how many keys differ.
    int compare(const llmf::Config &origin, const llmf::Config &current, const QString &originName);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    llmf::Config m_origin; // the last comparison, worded again after a language change
    llmf::Config m_current;
    QString m_originName;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_heading = nullptr;
    QTreeWidget *m_table = nullptr;
};

} // namespace llmf::views
