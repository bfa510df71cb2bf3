#pragma once

#include "llmf/config/generationconfig.h"
#include "playground/generationtypes.h"

#include <QHash>
#include <QWidget>

class QCPBars;
class QCustomPlot;
class QLabel;
class QPushButton;

namespace llmf::views {

class GenerationController;

// The KV-cache experiment: the same generation (prompt, settings, seed) once with the cache and once without,
// tokens per second of each as two bars and the speed-up in words.
class KvCachePanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvCachePanel)

public:
    explicit KvCachePanel(QWidget *parent = nullptr);

    // Queues its runs on the page's generation thread; keeps to the requests it submitted.
    void setController(GenerationController *controller);
    // An untimed warm-up, then `config` without and with the cache (same prompt and seed).
    void run(const llmf::GenerationConfig &config, const QString &prompt);
    void reset(int maxSeqLen); // a newly opened run: forget the old numbers; maxSeqLen for the hint
    bool isBusy() const { return !m_requests.isEmpty(); }
    double withCache() const { return m_withCache; }
    double withoutCache() const { return m_withoutCache; }

Q_SIGNALS:
    void runRequested(); // the page answers with run(the sliders' settings, the prompt)
    void busyChanged(bool busy);
    void failed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    enum class Leg { Warmup, WithoutCache, WithCache };
    void retranslate();
    void applyPalette();
    void showResult();
    void finishRun(bool measured);
    void onFinished(const llmf::views::GenerationSummary &summary);
    void onFailed(int requestId, const QString &message);

    GenerationController *m_controller = nullptr;
    QHash<int, Leg> m_requests;
    QString m_textWith, m_textWithout;

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
