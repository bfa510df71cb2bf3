#pragma once

#include <QFrame>

#include <functional>

class QLabel;
class QTimer;
class QToolButton;

namespace llmf::views {

// An inline message strip (in the spirit of KMessageWidget), the one every page uses: errors stay until closed or
// replaced, confirmations fade out by themselves. Shown in the page rather than in a dialog so that reading it does
// not block editing or trying again. Its colours come from the palette, so it reads in light and dark themes alike.
class MessageBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageBanner)

public:
    enum class Kind { Error, Info };

    explicit MessageBanner(QWidget *parent = nullptr);

    // `text` is called now and again after a language change, so a message that is showing follows the UI language.
    void showMessage(Kind kind, const std::function<QString()> &text);
    // A message that is already final text (a worker's error, a sentence with a path in it).
    void showMessage(Kind kind, const QString &text);
    QString text() const;
    Kind kind() const { return m_kind; }

protected:
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void retranslate();
    void updateIcon();

    Kind m_kind = Kind::Info;
    std::function<QString()> m_message;
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QToolButton *m_close = nullptr;
    QTimer *m_autoHide = nullptr;
};

} // namespace llmf::views
