#pragma once

#include <QWidget>

class QCPBars;
class QCustomPlot;
class QLabel;
class QPushButton;

namespace llmf::views {

// The KV-cache experiment: the same generation (prompt, settings, seed) once with the cache and once without,
// tokens per second of each as two bars and the speed-up in words.
class KvCachePanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvCachePanel)

public:
    explicit KvCachePanel(QWidget *parent = nullptr);

    void setRunning(bool running);
    void setResult(double withCache, double withoutCache, int tokens, bool sameText);
    void setContextLength(int maxSeqLen); // for the hint about where the cache pays off
    double withCache() const { return m_withCache; }
    double withoutCache() const { return m_withoutCache; }

Q_SIGNALS:
    void runRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void applyPalette();

    QLabel *m_explanation = nullptr;
    QPushButton *m_run = nullptr;
    QLabel *m_result = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPBars *m_bars = nullptr;
    double m_withCache = 0.0;
    double m_withoutCache = 0.0;
    int m_tokens = 0;
    bool m_sameText = true;
    bool m_running = false;
    int m_maxSeqLen = 0;
};

} // namespace llmf::views
