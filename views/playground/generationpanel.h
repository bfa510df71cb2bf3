#pragma once

#include "llmf/config/generationconfig.h"
#include "playground/generationtypes.h"

#include <QWidget>

#include <cstdint>
#include <vector>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace llmf::views {

class GenerationController;
class ProbabilityLegend;
class TokenView;

// The Playground's main generation: the prompt, Generate and Stop with the figures of the last run, and the output
// streaming in as coloured tokens. Every token is kept with its logits row, the prompt ids and the settings it was
// sampled under, so that the Next token tab can explain any position later. The page decides when to generate and
// what a finished or failed generation means for the rest of it.
class GenerationPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GenerationPanel)

public:
    explicit GenerationPanel(QWidget *parent = nullptr);

    // Queues its generations on the page's generation thread; keeps to the requests it submitted.
    void setController(GenerationController *controller);

    QString prompt() const;
    void setPrompt(const QString &prompt);
    void setGenerateEnabled(bool enabled);
    void setStopEnabled(bool enabled);

    // Forgets the previous output and generates from the prompt with `config`, the charts following the newest token.
    void generate(const llmf::GenerationConfig &config);
    bool isGenerating() const { return m_request != 0; }
    // Another run is being opened: what is still in flight belongs to the old one, so its late signals are dropped.
    void abandon();
    // A newly opened run: no output yet; `tokenLabels` (id -> display text) for the tokens' tooltips from now on.
    void resetForRun(const QStringList &tokenLabels);
    // The line next to Stop: "Generating…" while a generation runs, else the last one's figures (or nothing).
    void updateStats();

    int tokenCount() const { return static_cast<int>(m_tokens.size()); }
    const GeneratedToken &token(int index) const { return m_tokens[index]; }
    QString outputText() const; // generated text of the last generation (grows while streaming)
    int selectedToken() const;
    // Selects a generated token; from then on the charts stay with it instead of following the newest.
    void selectToken(int index);
    bool followsLatest() const { return m_followLatest; }
    // The token the Next token tab explains: the newest while following, else the selected one; -1 for none.
    int explainedToken() const;
    // What the repetition penalty saw before token `index`, limited to the model's context of `maxSeqLen`.
    std::vector<int32_t> contextBefore(int index, int maxSeqLen) const;
    // The settings the output shown was generated with.
    const llmf::GenerationConfig &config() const { return m_config; }

Q_SIGNALS:
    void generateRequested(); // Generate or Ctrl+Enter in the prompt
    void stopRequested();
    void tokenClicked(int index);
    void tokensAppended(); // a batch of the generation in flight arrived (at most ~30 a second)
    void finished(const llmf::views::GenerationSummary &summary);
    void failed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void onStarted(int requestId, const QVector<qint32> &promptIds);
    void onTokens(int requestId, const QVector<llmf::views::GeneratedToken> &tokens);
    void onFinished(const llmf::views::GenerationSummary &summary);
    void onFailed(int requestId, const QString &message);

    GenerationController *m_controller = nullptr;
    // The generation in flight, 0 when none. Signals about other ids belong to the compare and A/B panels, or to
    // requests abandoned when another run was opened.
    int m_request = 0;

    QLabel *m_promptLabel = nullptr;
    QPlainTextEdit *m_prompt = nullptr;
    QPushButton *m_generate = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_stats = nullptr;
    TokenView *m_output = nullptr;
    ProbabilityLegend *m_legend = nullptr;

    QStringList m_tokenLabels;
    QVector<GeneratedToken> m_tokens;
    QVector<qint32> m_promptIds;
    llmf::GenerationConfig m_config;
    GenerationSummary m_summary;
    bool m_hasSummary = false;
    bool m_followLatest = true; // charts follow the newest token until the learner clicks one
};

} // namespace llmf::views
