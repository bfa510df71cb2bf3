#pragma once

#include <QWidget>

class QLineEdit;
class QToolButton;

namespace llmf::views {

// A path field: a line edit for typing or pasting, plus "Browse…" for picking. With `allowFolder` the button's
// arrow also offers a folder (a corpus can be a folder of .txt files).
class PathEdit final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PathEdit)

public:
    explicit PathEdit(const QString &fileFilter, bool allowFolder, QWidget *parent = nullptr);

    QLineEdit *lineEdit() const { return m_line; }
    QToolButton *browseButton() const { return m_browse; }

private:
    void browse(bool folder);

    QString m_filter;
    QLineEdit *m_line = nullptr;
    QToolButton *m_browse = nullptr;
};

} // namespace llmf::views
