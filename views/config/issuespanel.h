#pragma once

#include "llmf/config/validation.h"

#include <QFrame>

#include <vector>

class QLabel;
class QListWidget;
class QPushButton;

namespace llmf::views {

// The summary of what is wrong with a configuration, above the form: one line per issue (clicking one jumps to
// its field) and, when the Config Studio can repair the issue itself, its fix with an "Apply fix" button.
class IssuesPanel final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IssuesPanel)

public:
    explicit IssuesPanel(QWidget *parent = nullptr);

    // Hides the panel when `issues` is empty; `fix` is the text of a fix applyFixRequested() can perform, or empty.
    void setIssues(const std::vector<llmf::ValidationIssue> &issues, const QString &fix);

Q_SIGNALS:
    void fieldActivated(const QString &path);
    void applyFixRequested();

protected:
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void retranslate();
    void applyColours();
    void fitListHeight();

    std::vector<llmf::ValidationIssue> m_issues; // what is shown, worded again after a language change
    QString m_fix;

    QLabel *m_title = nullptr;
    QListWidget *m_list = nullptr;
    QWidget *m_fixRow = nullptr;
    QLabel *m_fixText = nullptr;
    QPushButton *m_applyFix = nullptr;
};

} // namespace llmf::views
