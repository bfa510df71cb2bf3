#pragma once

#include "llmf/config/generationconfig.h"
#include "playground/generationtypes.h"
#include "playground/nexttokenstages.h"

#include <QHash>
#include <QWidget>

#include <array>
#include <vector>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace llmf::views {

class ComparePanel;
class GenerationController;
class KvCachePanel;
class ProbabilityLegend;
class SamplingControls;
class StageChart;
class TokenView;

// The Playground: sample from a trained run and see how every token was chosen. Generation streams from a
// worker thread; clicking a generated token shows its next-token distribution after each sampling stage, and
// moving a slider recomputes those charts from the stored logits at once, without generating again. Compare runs
// up to three settings side by side from one prompt and seed; the KV-cache A/B measures what the cache buys.
class PlaygroundPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlaygroundPage)

public:
    enum Stage { RawStage = 0, TemperatureStage, TopKStage, TopPStage, StageCount };

    explicit PlaygroundPage(QWidget *parent = nullptr);
    ~PlaygroundPage() override;

    // Loads the run (waits for it; small models load in well under a second). On failure shows why in the banner,
    // keeps the previously open run and returns false.
    bool openRun(const QString &runDir);
    QString runDirectory() const;

    // Sets the sliders (lessons: "temperature 0.1, then 1.0"). Values outside the controls' ranges are clamped and
    // the banner says so.
    void setSampling(const llmf::GenerationConfig &config);
    llmf::GenerationConfig sampling() const;
    void setPrompt(const QString &prompt);
    QString prompt() const;

    bool isGenerating() const { return m_mainRequest != 0; }
    bool isBusy() const; // anything queued or running: main output, compare columns or the A/B

    // Read access for tests and lessons.
    QString outputText() const; // generated text of the last main generation (grows while streaming)
    int tokenCount() const;
    int selectedToken() const;
    void selectToken(int index);
    int stageBarCount(int stage) const;
    QStringList stageLabels(int stage) const;
    QVector<double> stageValues(int stage) const;
    double topPKeptMass() const { return m_stages.topPKeptMass; }
    QStringList compareTexts() const;
    double abTokensPerSecond(bool withCache) const;
    QString bannerText() const;

public Q_SLOTS:
    void generate();
    void stop();
    void addCompareColumn();
    void runKvCacheAb();
    void chooseRun();

Q_SIGNALS:
    void generationFinished(const QString &text, double tokensPerSecond);
    void runOpened(const QString &runDir);

protected:
    void changeEvent(QEvent *event) override;

private:
    // Which part of the page a request feeds.
    enum class Purpose { Main, Compare, AbWarmup, AbWithCache, AbWithoutCache };
    struct Pending
    {
        Purpose purpose = Purpose::Main;
        int columnKey = 0;
    };

    void buildUi();
    void retranslate();
    void connectWorker();
    void updateButtons();
    void updateRunLabel();
    void updateStats();
    void updateStages();
    void updateStageTitles();
    void showError(const QString &text);
    void clearError();
    bool requireRun();
    int submit(Purpose purpose, const llmf::GenerationConfig &config, bool withLogits, int columnKey = 0);
    void runCompareColumn(int key);
    void forgetPending();
    std::vector<int32_t> contextBefore(int index) const;

    void onStarted(int requestId, const QVector<qint32> &promptIds);
    void onTokens(int requestId, const QVector<llmf::views::GeneratedToken> &tokens);
    void onFinished(const llmf::views::GenerationSummary &summary);
    void onFailed(int requestId, const QString &message);

    GenerationController *m_controller = nullptr;
    SamplingControls *m_controls = nullptr;
    TokenView *m_output = nullptr;
    ProbabilityLegend *m_legend = nullptr;
    std::array<StageChart *, StageCount> m_charts{};
    ComparePanel *m_compare = nullptr;
    KvCachePanel *m_kvCache = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_runLabel = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_promptLabel = nullptr;
    QLabel *m_settingsTitle = nullptr;
    QLabel *m_stats = nullptr;
    QLabel *m_stageCaption = nullptr;
    QPushButton *m_openRun = nullptr;
    QPushButton *m_generate = nullptr;
    QPushButton *m_stop = nullptr;
    QPlainTextEdit *m_prompt = nullptr;

    bool m_hasRun = false;
    RunInfo m_run;
    QHash<int, Pending> m_pending; // request id -> what it feeds; ids not in here (cancelled, stale) are ignored
    int m_mainRequest = 0;         // the main generation in flight, 0 when none

    // The main output: every token with its logits row, the prompt ids (repetition-penalty context) and the
    // settings it was generated with.
    QVector<GeneratedToken> m_tokens;
    QVector<qint32> m_promptIds;
    llmf::GenerationConfig m_mainConfig;
    GenerationSummary m_lastSummary;
    bool m_hasSummary = false;
    bool m_followLatest = true; // charts follow the newest token until the learner clicks one
    NextTokenStages m_stages;

    struct AbState
    {
        double withCache = 0.0, withoutCache = 0.0;
        QString textWith, textWithout;
        int tokens = 0;
        int remaining = 0;
    } m_ab;

    QString m_errorText;
};

} // namespace llmf::views
