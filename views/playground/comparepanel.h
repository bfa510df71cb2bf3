#pragma once

#include "llmf/config/generationconfig.h"

#include <QVector>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace llmf::views {

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

    // Adds a column with these settings; its seed becomes the shared one for every column. Returns its key, or
    // -1 when the panel is full.
    int addColumn(const llmf::GenerationConfig &snapshot);
    int columnCount() const { return static_cast<int>(m_columns.size()); }
    QVector<int> keys() const;
    // The column's settings with the shared seed.
    llmf::GenerationConfig columnConfig(int key) const;
    QStringList texts() const; // generated text of each column, left to right

    void setPrompt(const QString &prompt);
    void startColumn(int key);
    void appendText(int key, const QString &text);
    void finishColumn(int key, double tokensPerSecond, int tokens, bool cancelled);
    void failColumn(int key, const QString &message);
    void setBusy(bool busy);
    void clear(); // removes every column (a newly opened run makes their text stale)

Q_SIGNALS:
    void addRequested();    // the page answers with addColumn(sliders) and runs it
    void rerunRequested();  // run every column again (after editing the prompt)
    void columnRemoved(int key);

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
    void removeColumn(int key);
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
    QString m_prompt;
    qint64 m_seed = 0;
    int m_nextKey = 1;
    bool m_busy = false;
};

} // namespace llmf::views
