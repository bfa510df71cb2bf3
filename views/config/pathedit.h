#pragma once

#include <QWidget>

class QAction;
class QLineEdit;
class QToolButton;

namespace llmf::views {

// A path field: a line edit for typing or pasting, plus "Browse…" for picking. With `allowFolder` the button's
// arrow also offers a folder (a corpus can be a folder of .txt files). The owner sets the file dialog's filter.
class PathEdit final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PathEdit)

public:
    explicit PathEdit(bool allowFolder, QWidget *parent = nullptr);

    QLineEdit *lineEdit() const { return m_line; }
    QToolButton *browseButton() const { return m_browse; }
    void setFileFilter(const QString &filter) { m_filter = filter; } // "Text files (*.txt);;All files (*)"

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void browse(bool folder);

    QString m_filter;
    QLineEdit *m_line = nullptr;
    QToolButton *m_browse = nullptr;
    QAction *m_chooseFile = nullptr; // in the button's menu when a folder is allowed
    QAction *m_chooseFolder = nullptr;
};

} // namespace llmf::views
