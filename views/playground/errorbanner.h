#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace llmf::views {

// A red strip for errors (an unreadable run, invalid settings, a failed generation). It stays until dismissed or
// until the next action succeeds, and it lives in the page rather than in a dialog, so reading it never blocks
// trying again.
class ErrorBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ErrorBanner)

public:
    explicit ErrorBanner(QWidget *parent = nullptr);

    void showError(const QString &text);
    void dismiss();
    QString text() const { return m_message; } // empty while dismissed

protected:
    void changeEvent(QEvent *event) override;

private:
    QLabel *m_text = nullptr;
    QToolButton *m_close = nullptr;
    QString m_message;
};

} // namespace llmf::views
