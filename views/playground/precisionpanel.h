#pragma once

#include "common/backgroundtask.h"
#include "llmf/config/generationconfig.h"

#include <QVector>
#include <QWidget>

class QCPBars;
class QCustomPlot;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace llmf::views {

// The Precision tab: the open run in fp32, int8 and int4 (core's comparePrecisions) on the prompt and settings of
// the page — size on disk, tokens/s (also as bars), perplexity on the run's validation split, how often each
// picks fp32's next token, and the three continuations with the first token where they part from fp32's. Runs on
// its own thread; the GUI thread only receives finished rows.
class PrecisionPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PrecisionPanel)

public:
    struct Row
    {
        QString precision; // "fp32", "int8", "int4"
        qint64 weightsBytes = 0;
        double tokensPerSecond = 0.0;
        double perplexity = 0.0;
        double agreement = 1.0;
        QString continuation;
        int firstDifference = -1;
    };

    explicit PrecisionPanel(QWidget *parent = nullptr);

    void setRun(const QString &runDir); // forgets the previous results
    void run(const llmf::GenerationConfig &config, const QString &prompt);
    void cancel();
    bool isBusy() const { return m_busy; }
    const QVector<Row> &rows() const { return m_rows; }

Q_SIGNALS:
    void runRequested(); // the page answers with run(the sliders' settings, the prompt)
    void busyChanged(bool busy);
    void finished(); // every row is in
    void failed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void addRow(const Row &row);
    void finish(const QString &error, const QString &note);
    void showRows();

    QString m_runDir;
    QVector<Row> m_rows;
    QString m_note;
    bool m_busy = false;
    BackgroundTask m_task; // its destructor abandons and joins a running comparison

    QLabel *m_explanation = nullptr;
    QPushButton *m_compare = nullptr;
    QLabel *m_status = nullptr;
    QTableWidget *m_table = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPBars *m_bars = nullptr;
    QVector<QLabel *> m_textLabels;
    QVector<QPlainTextEdit *> m_texts;
};

} // namespace llmf::views
