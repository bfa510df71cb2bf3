#include "playground/generationpanel.h"

#include "playground/generationcontroller.h"
#include "playground/generationworker.h"
#include "playground/probabilitylegend.h"
#include "playground/tokenview.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

#include <algorithm>
#include <cstddef>

namespace llmf::views {

GenerationPanel::GenerationPanel(QWidget *parent) : QWidget(parent)
{
    m_promptLabel = new QLabel(this);
    m_prompt = new QPlainTextEdit(this);
    m_prompt->setObjectName(QStringLiteral("promptEdit"));
    m_prompt->setTabChangesFocus(true);
    m_prompt->setPlainText(tr("It is a truth universally acknowledged"));
    m_prompt->setFixedHeight(m_prompt->fontMetrics().lineSpacing() * 3 + 14);
    m_generate = new QPushButton(this);
    m_generate->setObjectName(QStringLiteral("generateButton"));
    m_generate->setDefault(true);
    m_stop = new QPushButton(this);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    connect(m_generate, &QPushButton::clicked, this, &GenerationPanel::generateRequested);
    connect(m_stop, &QPushButton::clicked, this, &GenerationPanel::stopRequested);
    auto *runShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_prompt);
    runShortcut->setContext(Qt::WidgetShortcut);
    connect(runShortcut, &QShortcut::activated, this, &GenerationPanel::generateRequested);
    m_stats = new QLabel(this);
    m_stats->setObjectName(QStringLiteral("statsLabel"));
    m_output = new TokenView(this);
    m_output->setObjectName(QStringLiteral("outputView"));
    connect(m_output, &TokenView::tokenClicked, this, &GenerationPanel::tokenClicked);
    m_legend = new ProbabilityLegend(this);

    auto *runRow = new QHBoxLayout;
    runRow->addWidget(m_generate);
    runRow->addWidget(m_stop);
    runRow->addWidget(m_stats, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_promptLabel);
    layout->addWidget(m_prompt);
    layout->addLayout(runRow);
    layout->addWidget(m_output, 1);
    layout->addWidget(m_legend);
    retranslate();
}

void GenerationPanel::setController(GenerationController *controller)
{
    m_controller = controller;
    GenerationWorker *worker = controller->worker();
    connect(worker, &GenerationWorker::started, this, &GenerationPanel::onStarted);
    connect(worker, &GenerationWorker::tokensReady, this, &GenerationPanel::onTokens);
    connect(worker, &GenerationWorker::finished, this, &GenerationPanel::onFinished);
    connect(worker, &GenerationWorker::failed, this, &GenerationPanel::onFailed);
}

void GenerationPanel::retranslate()
{
    m_promptLabel->setText(tr("Prompt"));
    m_prompt->setPlaceholderText(tr("Empty: start from <|endoftext|>, the start of a document"));
    m_generate->setText(tr("Generate"));
    m_generate->setToolTip(tr("Generate from the prompt (Ctrl+Enter)"));
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Stop every running generation (Esc)"));
    m_output->setPlaceholderText(tr("Generated text appears here, one coloured span per token. Click a token to "
                                    "see how it was chosen."));
    updateStats();
}

void GenerationPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

QString GenerationPanel::prompt() const
{
    return m_prompt->toPlainText();
}

void GenerationPanel::setPrompt(const QString &prompt)
{
    m_prompt->setPlainText(prompt);
}

void GenerationPanel::setGenerateEnabled(bool enabled)
{
    m_generate->setEnabled(enabled);
}

void GenerationPanel::setStopEnabled(bool enabled)
{
    m_stop->setEnabled(enabled);
}

void GenerationPanel::generate(const llmf::GenerationConfig &config)
{
    if (!m_controller || isGenerating())
        return;
    m_config = config;
    m_output->clearTokens();
    m_output->setPrompt(prompt());
    m_tokens.clear();
    m_promptIds.clear();
    m_hasSummary = false;
    m_followLatest = true;
    GenerationRequest request;
    request.prompt = prompt();
    request.config = m_config;
    request.withLogits = true;
    m_request = m_controller->submit(request);
    updateStats();
}

void GenerationPanel::abandon()
{
    // The stats line is left as it is: the page refreshes it once the new run has opened or failed to.
    m_request = 0;
}

void GenerationPanel::resetForRun(const QStringList &tokenLabels)
{
    m_tokenLabels = tokenLabels;
    m_output->clearTokens();
    m_tokens.clear();
    m_promptIds.clear();
    m_hasSummary = false;
    updateStats();
}

void GenerationPanel::onStarted(int requestId, const QVector<qint32> &promptIds)
{
    if (requestId == m_request)
        m_promptIds = promptIds;
}

void GenerationPanel::onTokens(int requestId, const QVector<GeneratedToken> &tokens)
{
    if (requestId != m_request || m_request == 0)
        return;
    QVector<TokenView::Token> shown;
    shown.reserve(tokens.size());
    for (const GeneratedToken &t : tokens) {
        m_tokens.append(t);
        shown.append({t.id, t.piece, m_tokenLabels.value(t.id), t.probability});
    }
    m_output->appendTokens(shown);
    updateStats();
    Q_EMIT tokensAppended();
}

void GenerationPanel::onFinished(const GenerationSummary &summary)
{
    if (summary.requestId != m_request || m_request == 0)
        return;
    m_request = 0;
    m_summary = summary;
    m_hasSummary = true;
    if (!summary.promptIds.isEmpty())
        m_promptIds = summary.promptIds;
    updateStats();
    Q_EMIT finished(summary);
}

void GenerationPanel::onFailed(int requestId, const QString &message)
{
    if (requestId != m_request || m_request == 0)
        return;
    m_request = 0;
    updateStats();
    Q_EMIT failed(message);
}

void GenerationPanel::updateStats()
{
    if (isGenerating()) {
        m_stats->setText(tr("Generating… %1 so far").arg(m_tokens.size()));
        return;
    }
    if (!m_hasSummary) {
        m_stats->clear();
        return;
    }
    const GenerationSummary &s = m_summary;
    QString text = tr("Generated: %1 · %2 tokens/s · prefill %3 ms · seed %4")
                       .arg(s.tokenCount)
                       .arg(s.tokensPerSecond, 0, 'f', 0)
                       .arg(s.prefillSeconds * 1000.0, 0, 'f', 1)
                       .arg(m_config.seed);
    if (s.cancelled)
        text += tr(" · stopped");
    else if (s.stoppedByEos)
        text += tr(" · ended at <|endoftext|>");
    m_stats->setText(text);
}

QString GenerationPanel::outputText() const
{
    return m_output->generatedText();
}

int GenerationPanel::selectedToken() const
{
    return m_output->selectedToken();
}

void GenerationPanel::selectToken(int index)
{
    m_followLatest = false;
    m_output->setSelectedToken(index);
}

int GenerationPanel::explainedToken() const
{
    return m_followLatest ? static_cast<int>(m_tokens.size()) - 1 : m_output->selectedToken();
}

std::vector<int32_t> GenerationPanel::contextBefore(int index, int maxSeqLen) const
{
    // The prompt and the tokens generated before this one, limited to the model's context (the generator's window
    // can start a little later after it slid, which only matters for very long outputs with a penalty).
    std::vector<int32_t> context(m_promptIds.begin(), m_promptIds.end());
    for (int i = 0; i < index && i < m_tokens.size(); ++i)
        context.push_back(m_tokens[i].id);
    const auto limit = static_cast<size_t>(std::max(1, maxSeqLen));
    if (context.size() > limit)
        context.erase(context.begin(), context.end() - static_cast<std::ptrdiff_t>(limit));
    return context;
}

} // namespace llmf::views
