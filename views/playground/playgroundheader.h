#pragma once

#include "playground/generationtypes.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace llmf::views {

// The Playground's top row: its title, which run is open (or being opened) with its size, and the Live model and
// Open run… buttons. It only shows; the page decides what opening means.
class PlaygroundHeader final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlaygroundHeader)

public:
    explicit PlaygroundHeader(QWidget *parent = nullptr);

    void showOpening(const QString &runDir);
    void showRun(const RunInfo &run);
    void showNoRun();
    void setLiveAvailable(bool available);

Q_SIGNALS:
    void openRequested();
    void liveModelRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    enum class State { NoRun, Opening, Open };
    void retranslate();

    QLabel *m_title = nullptr;
    QLabel *m_runLabel = nullptr;
    QPushButton *m_live = nullptr;
    QPushButton *m_openRun = nullptr;
    State m_state = State::NoRun;
    QString m_opening;
    RunInfo m_run;
};

} // namespace llmf::views
