#pragma once

#include "common/backgroundtask.h"

#include <QWidget>

#include <memory>

class QCPColorMap;
class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;

namespace llmf {
struct HeadSpecialisation;
}

namespace llmf::views {

// The Heads tab: for every layer × head (rows) and every saved checkpoint (columns), one of four numbers measured on
// a fixed probe text — attention entropy, mean distance, previous-token score, first-token score — so a learner sees
// heads specialise as training goes on. Measuring loads every snapshot, so it runs on its own thread (Stop
// cancels); clicking a cell asks the page to show that head's attention map at that step.
class HeadsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadsView)

public:
    enum Metric { Entropy, MeanDistance, PreviousToken, FirstToken };

    explicit HeadsView(QWidget *parent = nullptr);
    ~HeadsView() override; // m_task abandons and joins a measurement

    void setRunDirectory(const QString &runDir); // forgets earlier results
    void measure();
    void cancel();
    bool isBusy() const { return m_busy; }
    const llmf::HeadSpecialisation *result() const { return m_result.get(); }
    void setMetric(Metric metric);
    double value(int step, int layer, int head) const; // the shown metric; NaN when there is none
    QString summary() const;
    void chooseCell(int step, int row);
    QWidget *chartArea() const;
    bool exportCsv(const QString &path) const;

Q_SIGNALS:
    void finished();
    void failed(const QString &message);
    // The page answers by showing `layer`/`head` on the Attention tab with the weights of training step `step`.
    void headChosen(int layer, int head, qint64 step, const QString &weightsPath, const QString &probeText);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void redraw();
    void finish(std::shared_ptr<llmf::HeadSpecialisation> result, const QString &error);

    QString m_runDir;
    std::unique_ptr<llmf::HeadSpecialisation> m_result;
    bool m_busy = false;
    int m_done = 0, m_total = 0;
    BackgroundTask m_task;

    QLabel *m_explanation = nullptr;
    QPushButton *m_measure = nullptr;
    QComboBox *m_metric = nullptr;
    QLabel *m_status = nullptr;
    QCustomPlot *m_chart = nullptr;
    QCPColorMap *m_map = nullptr;
};

} // namespace llmf::views
