#pragma once

#include "llmf/config/generationconfig.h"
#include "playground/generationpanel.h"
#include "playground/generationtypes.h"
#include "playground/nexttokenpanel.h"

#include <QWidget>

class QTabWidget;

namespace llmf::views {

class ComparePanel;
class GenerationController;
class KvCachePanel;
class MessageBanner;
class PlaygroundHeader;
class PrecisionPanel;
class ServePanel;
class SamplingControls;

// The Playground: sample from a trained run and see how every token was chosen. Generation streams from a
// worker thread; clicking a generated token shows its next-token distribution after each sampling stage, and
// moving a slider recomputes those charts from the stored logits at once, without generating again. Compare runs
// up to three settings side by side from one prompt and seed; the KV-cache A/B measures what the cache buys.
class PlaygroundPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlaygroundPage)

public:
    enum Stage {
        RawStage = NextTokenPanel::RawStage,
        TemperatureStage = NextTokenPanel::TemperatureStage,
        TopKStage = NextTokenPanel::TopKStage,
        TopPStage = NextTokenPanel::TopPStage
    };
    // The tabs under the output, in their order.
    enum Tab { NextTokenTab = 0, CompareTab, KvCacheTab, ServeTab, PrecisionTab };

    explicit PlaygroundPage(QWidget *parent = nullptr);
    ~PlaygroundPage() override;

    ServePanel *servePanel() const { return m_serve; }
    void showServeTab();
    PrecisionPanel *precisionPanel() const { return m_precision; }
    // Shows the Precision tab and compares fp32 / int8 / int4 on the current prompt and settings.
    void runPrecisionComparison();
    // Loads the run on the generation thread and returns at once (the window stays responsive while the weights
    // load): runOpened() follows, or runOpenFailed() with the banner saying why and the previous run kept open.
    void openRun(const QString &runDir);
    bool isOpening() const { return !m_opening.isEmpty(); }
    QString runDirectory() const;

    // Sets the sliders (lessons: "temperature 0.1, then 1.0"). Values outside the controls' ranges are clamped and
    // the banner says so.
    void setSampling(const llmf::GenerationConfig &config);
    llmf::GenerationConfig sampling() const;
    void setPrompt(const QString &prompt) { m_generation->setPrompt(prompt); }
    QString prompt() const { return m_generation->prompt(); }

    bool isGenerating() const { return m_generation->isGenerating(); }
    bool isBusy() const; // anything queued or running: opening a run, the main output, compare columns or the A/B

    // Read access for tests and lessons. outputText(): the last main generation's text (grows while streaming).
    QString outputText() const { return m_generation->outputText(); }
    int tokenCount() const { return m_generation->tokenCount(); }
    int selectedToken() const { return m_generation->selectedToken(); }
    void selectToken(int index);
    int stageBarCount(int stage) const { return m_nextToken->barCount(stage); }
    QStringList stageLabels(int stage) const { return m_nextToken->labels(stage); }
    QVector<double> stageValues(int stage) const { return m_nextToken->values(stage); }
    double topPKeptMass() const { return m_nextToken->topPKeptMass(); }
    QStringList compareTexts() const;
    double abTokensPerSecond(bool withCache) const;
    QString bannerText() const;

public Q_SLOTS:
    void generate();
    void stop();
    void addCompareColumn();
    // Replaces the compare columns with one per setting (the lessons' "temperature 0.1 then 1.0").
    void compare(const QVector<llmf::GenerationConfig> &settings);
    void showTab(llmf::views::PlaygroundPage::Tab tab);
    // "Live model" is offered while a training runs; the window answers liveModelRequested() with a snapshot.
    void setLiveAvailable(bool available);
    void runKvCacheAb();
    void chooseRun();

Q_SIGNALS:
    void generationFinished(const QString &text, double tokensPerSecond);
    // Compare finished with at least two columns of different settings (the checklist's "sampling strategies").
    void strategiesCompared(const QStringList &settings);
    void runOpened(const QString &runDir);
    void runOpenFailed(const QString &runDir, const QString &error);
    void liveModelRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void retranslate();
    void connectController();
    void updateButtons();
    void updateRunLabel();
    void updateStages();
    void showError(const QString &text);
    void clearError();
    bool requireRun();

    void onGenerationFinished(const llmf::views::GenerationSummary &summary);
    void onGenerationFailed(const QString &message);
    void onOpened(const llmf::views::RunInfo &info);
    void onOpenFailed(const QString &runDir, const QString &error);

    GenerationController *m_controller = nullptr;
    QString m_opening;               // the run being loaded, empty when none
    bool m_generateWhenOpen = false; // generate() was asked for while it loaded
    SamplingControls *m_controls = nullptr;
    GenerationPanel *m_generation = nullptr;
    NextTokenPanel *m_nextToken = nullptr;
    ComparePanel *m_compare = nullptr;
    KvCachePanel *m_kvCache = nullptr;
    ServePanel *m_serve = nullptr;
    PrecisionPanel *m_precision = nullptr;
    QTabWidget *m_tabs = nullptr;
    PlaygroundHeader *m_header = nullptr;
    MessageBanner *m_banner = nullptr;

    bool m_hasRun = false;
    RunInfo m_run;
};

} // namespace llmf::views
