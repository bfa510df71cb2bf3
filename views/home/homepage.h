#pragma once

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace llmf::views {

// The first page: what the app is, where to start, one-click Quick start, and the recent runs with their best
// validation loss.
class HomePage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HomePage)

public:
    explicit HomePage(QWidget *parent = nullptr);

    void setRecentRuns(const QStringList &runDirs);
    QListWidget *recentRunsList() const { return m_recent; }

Q_SIGNALS:
    void quickStartRequested();
    void startHereRequested();
    void runActivated(const QString &runDir);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    QLabel *m_title = nullptr;
    QLabel *m_intro = nullptr;
    QLabel *m_recentTitle = nullptr;
    QPushButton *m_quickStart = nullptr;
    QPushButton *m_startHere = nullptr;
    QListWidget *m_recent = nullptr;
    QStringList m_runDirs;
};

} // namespace llmf::views
