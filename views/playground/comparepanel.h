#pragma once

#include "llmf/config/generationconfig.h"
#include "playground/generationtypes.h"

#include <QHash>
#include <QVector>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace llmf::views {

class GenerationController;

// Side-by-side generations from one prompt and one seed with different settings. Each column keeps the settings
// the sliders had when it was added, so the only thing that differs between columns is what the learner changed.
// The panel holds the columns; the page runs the generations and feeds the text in, addressing columns by a key
// that stays valid when a column to its left is removed.
class ComparePanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComparePanel)

public:
    static constexpr int kMaxColumns = 3;

    explicit ComparePanel(QWidget *parent = nullptr);

    // The panel queues its generations on the page's generation thread and keeps the ids it submitted; signals
    // about other requests are not its business.
    void setController(GenerationController *controller);

    // Adds a column with these settings and generates it from `prompt`. The first column's seed becomes the shared
    // seed of every column. Returns the column's key, or -1 when the panel is full.
    int addColumn(const llmf::GenerationConfig &snapshot, const QString &prompt);
    // Generates every column again (after the prompt was edited).
    void runAll(const QString &prompt);
    void clear(); // removes every column and forgets their requests (a newly opened run makes them stale)

    int columnCount() const { return static_cast<int>(m_columns.size()); }
    QStringList texts() const; // generated text of each column, left to right
    // The settings of every column that finished generating, described as in its title ("T 0.8 · top-k 50 …").
    QStringList finishedSettings() const;
    bool isBusy() const { return !m_requests.isEmpty(); }

Q_SIGNALS:
    void addRequested();   // the page answers with addColumn(the sliders' settings, the prompt)
    void rerunRequested(); // the page answers with runAll(the prompt)
    void busyChanged(bool busy);
    void failed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Column
    {
        int key = 0;
        llmf::GenerationConfig config;
        QWidget *frame = nullptr;
        QLabel *title = nullptr;
        QToolButton *remove = nullptr;
        QPlainTextEdit *text = nullptr;
        QLabel *status = nullptr;
        // Remembered so the status follows a language change.
        enum class State { Idle, Running, Done, Cancelled, Failed } state = State::Idle;
        double tokensPerSecond = 0.0;
        int tokens = 0;
        QString error;
    };
    int indexOf(int key) const;
    void run(int key);
    void removeColumn(int key);
    void setBusy(bool busy);
    void onStarted(int requestId);
    void onTokens(int requestId, const QVector<llmf::views::GeneratedToken> &tokens);
    void onFinished(const llmf::views::GenerationSummary &summary);
    void onFailed(int requestId, const QString &message);
    void retranslate();
    void updateColumnTexts(Column &column);
    void updateButtons();

    QPushButton *m_add = nullptr;
    QPushButton *m_rerun = nullptr;
    QPushButton *m_clear = nullptr;
    QLabel *m_info = nullptr;
    QLabel *m_empty = nullptr;
    QHBoxLayout *m_columnsLayout = nullptr;
    QVector<Column> m_columns;
    GenerationController *m_controller = nullptr;
    QHash<int, int> m_requests; // request id -> column key
    QString m_prompt;
    qint64 m_seed = 0;
    int m_nextKey = 1;
    bool m_busy = false;
};

} // namespace llmf::views
