#include "playground/playgroundpage.h"

#include "common/messagebanner.h"

#include "llmf/common/error.h"
#include "playground/comparepanel.h"
#include "playground/generationcontroller.h"
#include "playground/generationworker.h"
#include "playground/kvcachepanel.h"
#include "playground/playgroundheader.h"
#include "playground/precisionpanel.h"
#include "playground/servepanel.h"
#include "playground/probabilitylegend.h"
#include "playground/samplingcontrols.h"
#include "playground/tokenview.h"

#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSet>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include <limits>
#include <utility>

namespace llmf::views {

PlaygroundPage::PlaygroundPage(QWidget *parent) : QWidget(parent)
{
    m_controller = new GenerationController(this);
    buildUi();
    connectWorker();
    retranslate();
    updateButtons();
}

// The controller cancels what is running and joins the thread in its destructor.
PlaygroundPage::~PlaygroundPage() = default;

void PlaygroundPage::buildUi()
{
    setObjectName(QStringLiteral("playgroundPage"));
    m_header = new PlaygroundHeader(this);
    connect(m_header, &PlaygroundHeader::openRequested, this, &PlaygroundPage::chooseRun);
    connect(m_header, &PlaygroundHeader::liveModelRequested, this, &PlaygroundPage::liveModelRequested);
    m_banner = new MessageBanner(this);

    m_controls = new SamplingControls(this);
    connect(m_controls, &SamplingControls::changed, this, &PlaygroundPage::updateStages);

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
    connect(m_generate, &QPushButton::clicked, this, &PlaygroundPage::generate);
    connect(m_stop, &QPushButton::clicked, this, &PlaygroundPage::stop);
    auto *runShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_prompt);
    runShortcut->setContext(Qt::WidgetShortcut);
    connect(runShortcut, &QShortcut::activated, this, &PlaygroundPage::generate);
    auto *stopShortcut = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    stopShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(stopShortcut, &QShortcut::activated, this, &PlaygroundPage::stop);
    m_stats = new QLabel(this);
    m_stats->setObjectName(QStringLiteral("statsLabel"));
    m_output = new TokenView(this);
    m_output->setObjectName(QStringLiteral("outputView"));
    connect(m_output, &TokenView::tokenClicked, this, &PlaygroundPage::selectToken);
    m_legend = new ProbabilityLegend(this);

    auto *runRow = new QHBoxLayout;
    runRow->addWidget(m_generate);
    runRow->addWidget(m_stop);
    runRow->addWidget(m_stats, 1);
    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_promptLabel);
    topLayout->addWidget(m_prompt);
    topLayout->addLayout(runRow);
    topLayout->addWidget(m_output, 1);
    topLayout->addWidget(m_legend);

    m_nextToken = new NextTokenPanel(this);
    m_compare = new ComparePanel(this);
    m_compare->setController(m_controller);
    connect(m_compare, &ComparePanel::addRequested, this, &PlaygroundPage::addCompareColumn);
    connect(m_compare, &ComparePanel::rerunRequested, this, [this] {
        if (requireRun())
            m_compare->runAll(prompt());
    });
    m_kvCache = new KvCachePanel(this);
    m_kvCache->setController(m_controller);
    connect(m_kvCache, &KvCachePanel::runRequested, this, &PlaygroundPage::runKvCacheAb);
    connect(m_compare, &ComparePanel::busyChanged, this, &PlaygroundPage::updateButtons);
    connect(m_compare, &ComparePanel::busyChanged, this, [this](bool busy) {
        const QStringList settings = m_compare->finishedSettings();
        if (!busy && QSet<QString>(settings.cbegin(), settings.cend()).size() >= 2)
            Q_EMIT strategiesCompared(settings);
    });
    connect(m_kvCache, &KvCachePanel::busyChanged, this, &PlaygroundPage::updateButtons);
    connect(m_compare, &ComparePanel::failed, this, &PlaygroundPage::showError);
    connect(m_kvCache, &KvCachePanel::failed, this, &PlaygroundPage::showError);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("playgroundTabs"));
    // Added in Tab order: retranslate() and showTab() address them by it.
    m_tabs->addTab(m_nextToken, QString());
    m_tabs->addTab(m_compare, QString());
    m_tabs->addTab(m_kvCache, QString());
    m_serve = new ServePanel(this);
    connect(m_serve, &ServePanel::failed, this, &PlaygroundPage::showError);
    m_tabs->addTab(m_serve, QString());
    m_precision = new PrecisionPanel(this);
    connect(m_precision, &PrecisionPanel::runRequested, this, &PlaygroundPage::runPrecisionComparison);
    connect(m_precision, &PrecisionPanel::failed, this, &PlaygroundPage::showError);
    m_tabs->addTab(m_precision, QString());

    auto *rightSplit = new QSplitter(Qt::Vertical, this);
    rightSplit->addWidget(top);
    rightSplit->addWidget(m_tabs);
    rightSplit->setStretchFactor(0, 1);
    rightSplit->setStretchFactor(1, 1);
    rightSplit->setChildrenCollapsible(false);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_controls);
    split->addWidget(rightSplit);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_banner);
    layout->addWidget(split, 1);
}

void PlaygroundPage::retranslate()
{
    m_promptLabel->setText(tr("Prompt"));
    m_prompt->setPlaceholderText(tr("Empty: start from <|endoftext|>, the start of a document"));
    m_generate->setText(tr("Generate"));
    m_generate->setToolTip(tr("Generate from the prompt (Ctrl+Enter)"));
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Stop every running generation (Esc)"));
    m_output->setPlaceholderText(tr("Generated text appears here, one coloured span per token. Click a token to "
                                    "see how it was chosen."));
    m_tabs->setTabText(NextTokenTab, tr("Next token"));
    m_tabs->setTabText(CompareTab, tr("Compare"));
    m_tabs->setTabText(KvCacheTab, tr("KV cache A/B"));
    m_tabs->setTabText(ServeTab, tr("Serve"));
    m_tabs->setTabText(PrecisionTab, tr("Precision"));
    updateStats();
    updateStages();
}

void PlaygroundPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void PlaygroundPage::connectWorker()
{
    GenerationWorker *worker = m_controller->worker();
    connect(worker, &GenerationWorker::started, this, &PlaygroundPage::onStarted);
    connect(worker, &GenerationWorker::tokensReady, this, &PlaygroundPage::onTokens);
    connect(worker, &GenerationWorker::finished, this, &PlaygroundPage::onFinished);
    connect(worker, &GenerationWorker::failed, this, &PlaygroundPage::onFailed);
    connect(m_controller, &GenerationController::opened, this, &PlaygroundPage::onOpened);
    connect(m_controller, &GenerationController::openFailed, this, &PlaygroundPage::onOpenFailed);
}

void PlaygroundPage::setLiveAvailable(bool available)
{
    m_header->setLiveAvailable(available);
}

void PlaygroundPage::chooseRun()
{
    const QString start = m_hasRun ? QFileInfo(m_run.directory).absolutePath() : QDir::homePath();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open run directory"), start);
    if (!dir.isEmpty())
        openRun(dir);
}

void PlaygroundPage::showServeTab()
{
    showTab(ServeTab);
}

void PlaygroundPage::openRun(const QString &runDir)
{
    // Loading queues behind the generation thread's work, so stop what runs there; late signals of those requests
    // find no owner any more and are dropped.
    m_mainRequest = 0;
    m_compare->clear();
    m_kvCache->reset(m_hasRun ? m_run.maxSeqLen : 0);
    m_opening = runDir;
    updateRunLabel();
    updateButtons();
    m_controller->open(runDir);
}

void PlaygroundPage::onOpenFailed(const QString &runDir, const QString &error)
{
    m_opening.clear();
    m_generateWhenOpen = false;
    showError(tr("Could not open the run in “%1”:\n%2").arg(QDir::toNativeSeparators(runDir), error));
    updateRunLabel();
    updateStats();
    updateButtons();
    Q_EMIT runOpenFailed(runDir, error);
}

void PlaygroundPage::onOpened(const RunInfo &info)
{
    m_opening.clear();
    const QString runDir = info.directory;
    clearError();
    m_run = info;
    m_hasRun = true;
    m_controls->setVocabSize(info.vocabSize);
    m_nextToken->setTokenLabels(info.tokenLabels);
    m_kvCache->reset(info.maxSeqLen);
    m_output->clearTokens();
    m_tokens.clear();
    m_promptIds.clear();
    m_hasSummary = false;
    updateRunLabel();
    updateStats();
    updateStages();
    updateButtons();
    m_serve->setRun(runDir);
    m_precision->setRun(runDir);
    Q_EMIT runOpened(runDir);
    if (std::exchange(m_generateWhenOpen, false))
        generate();
}

QString PlaygroundPage::runDirectory() const
{
    return m_hasRun ? m_run.directory : QString();
}

void PlaygroundPage::setSampling(const llmf::GenerationConfig &config)
{
    const QStringList clamped = m_controls->outOfRange(config);
    m_controls->setConfig(config);
    if (!clamped.isEmpty())
        showError(tr("Outside the controls' range, so moved to the nearest allowed value: %1.")
                      .arg(clamped.join(QStringLiteral(", "))));
}

llmf::GenerationConfig PlaygroundPage::sampling() const
{
    return m_controls->config();
}

void PlaygroundPage::setPrompt(const QString &prompt)
{
    m_prompt->setPlainText(prompt);
}

QString PlaygroundPage::prompt() const
{
    return m_prompt->toPlainText();
}

bool PlaygroundPage::isBusy() const
{
    return isOpening() || isGenerating() || m_compare->isBusy() || m_kvCache->isBusy();
}

bool PlaygroundPage::requireRun()
{
    if (m_hasRun)
        return true;
    showError(tr("Open a trained run first (“Open run…”)."));
    return false;
}

void PlaygroundPage::generate()
{
    if (isOpening()) {
        m_generateWhenOpen = true; // a lesson's "generate" right after a run was chosen: once it has loaded
        return;
    }
    if (isGenerating() || !requireRun())
        return;
    clearError();
    if (!m_controls->isSeedFixed())
        m_controls->setSeed(QRandomGenerator::global()->bounded(std::numeric_limits<int>::max()));
    m_mainConfig = m_controls->config();
    m_output->clearTokens();
    m_output->setPrompt(m_prompt->toPlainText());
    m_tokens.clear();
    m_promptIds.clear();
    m_hasSummary = false;
    m_followLatest = true;
    GenerationRequest request;
    request.prompt = prompt();
    request.config = m_mainConfig;
    request.withLogits = true;
    m_mainRequest = m_controller->submit(request);
    updateStats();
    updateStages();
    updateButtons();
}

void PlaygroundPage::stop()
{
    if (isBusy())
        m_controller->cancelAll(); // every pending request finishes as cancelled
}

void PlaygroundPage::compare(const QVector<llmf::GenerationConfig> &settings)
{
    if (!requireRun())
        return;
    clearError();
    m_compare->clear();
    for (const llmf::GenerationConfig &config : settings.mid(0, ComparePanel::kMaxColumns))
        m_compare->addColumn(config, prompt());
    showTab(CompareTab);
    updateButtons();
}

void PlaygroundPage::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(tab);
}

void PlaygroundPage::addCompareColumn()
{
    if (!requireRun())
        return;
    clearError();
    m_compare->addColumn(m_controls->config(), prompt());
    showTab(CompareTab);
    updateButtons();
}

void PlaygroundPage::runPrecisionComparison()
{
    if (!requireRun())
        return;
    clearError();
    showTab(PrecisionTab);
    m_precision->run(m_controls->config(), prompt());
}

void PlaygroundPage::runKvCacheAb()
{
    if (!requireRun())
        return;
    clearError();
    m_kvCache->run(m_controls->config(), prompt());
    showTab(KvCacheTab);
    updateButtons();
}

void PlaygroundPage::onStarted(int requestId, const QVector<qint32> &promptIds)
{
    if (requestId == m_mainRequest)
        m_promptIds = promptIds;
}

void PlaygroundPage::onTokens(int requestId, const QVector<GeneratedToken> &tokens)
{
    if (requestId != m_mainRequest || m_mainRequest == 0)
        return;
    QVector<TokenView::Token> shown;
    shown.reserve(tokens.size());
    for (const GeneratedToken &t : tokens) {
        m_tokens.append(t);
        shown.append({t.id, t.piece, m_run.tokenLabels.value(t.id), t.probability});
    }
    m_output->appendTokens(shown);
    updateStats();
    if (m_followLatest)
        updateStages(); // once per batch, i.e. at most ~30 times a second
}

void PlaygroundPage::onFinished(const GenerationSummary &summary)
{
    if (summary.requestId != m_mainRequest || m_mainRequest == 0)
        return;
    m_mainRequest = 0;
    m_lastSummary = summary;
    m_hasSummary = true;
    if (!summary.promptIds.isEmpty())
        m_promptIds = summary.promptIds;
    if (m_output->selectedToken() < 0 && !m_tokens.isEmpty())
        selectToken(static_cast<int>(m_tokens.size()) - 1);
    updateStats();
    updateButtons();
    Q_EMIT generationFinished(summary.text, summary.tokensPerSecond);
}

void PlaygroundPage::onFailed(int requestId, const QString &message)
{
    if (requestId != m_mainRequest || m_mainRequest == 0)
        return;
    m_mainRequest = 0;
    updateStats();
    updateButtons();
    showError(message);
}

void PlaygroundPage::updateButtons()
{
    m_generate->setEnabled(m_hasRun && !isGenerating() && !isOpening());
    m_stop->setEnabled(isBusy());
}

void PlaygroundPage::updateRunLabel()
{
    if (isOpening())
        m_header->showOpening(m_opening);
    else if (m_hasRun)
        m_header->showRun(m_run);
    else
        m_header->showNoRun();
}

void PlaygroundPage::updateStats()
{
    if (isGenerating()) {
        m_stats->setText(tr("Generating… %1 so far").arg(m_tokens.size()));
        return;
    }
    if (!m_hasSummary) {
        m_stats->clear();
        return;
    }
    const GenerationSummary &s = m_lastSummary;
    QString text = tr("Generated: %1 · %2 tokens/s · prefill %3 ms · seed %4")
                       .arg(s.tokenCount)
                       .arg(s.tokensPerSecond, 0, 'f', 0)
                       .arg(s.prefillSeconds * 1000.0, 0, 'f', 1)
                       .arg(m_mainConfig.seed);
    if (s.cancelled)
        text += tr(" · stopped");
    else if (s.stoppedByEos)
        text += tr(" · ended at <|endoftext|>");
    m_stats->setText(text);
}

QString PlaygroundPage::outputText() const
{
    return m_output->generatedText();
}

int PlaygroundPage::tokenCount() const
{
    return static_cast<int>(m_tokens.size());
}

int PlaygroundPage::selectedToken() const
{
    return m_output->selectedToken();
}

void PlaygroundPage::selectToken(int index)
{
    if (index < 0 || index >= m_tokens.size())
        return;
    m_followLatest = false;
    m_output->setSelectedToken(index);
    showTab(NextTokenTab);
    updateStages();
}

QStringList PlaygroundPage::compareTexts() const
{
    return m_compare->texts();
}

double PlaygroundPage::abTokensPerSecond(bool withCache) const
{
    return withCache ? m_kvCache->withCache() : m_kvCache->withoutCache();
}

QString PlaygroundPage::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void PlaygroundPage::showError(const QString &text)
{
    m_banner->showMessage(MessageBanner::Kind::Error, text);
}

void PlaygroundPage::clearError()
{
    m_banner->hide();
}

std::vector<int32_t> PlaygroundPage::contextBefore(int index) const
{
    // What the repetition penalty saw: the prompt and the tokens generated before this one, limited to the model's
    // context (the generator's window can start a little later after it slid, which only matters for very long
    // outputs with a penalty).
    std::vector<int32_t> context(m_promptIds.begin(), m_promptIds.end());
    for (int i = 0; i < index && i < m_tokens.size(); ++i)
        context.push_back(m_tokens[i].id);
    const auto limit = static_cast<size_t>(std::max(1, m_run.maxSeqLen));
    if (context.size() > limit)
        context.erase(context.begin(), context.end() - static_cast<std::ptrdiff_t>(limit));
    return context;
}

void PlaygroundPage::updateStages()
{
    const int index = m_followLatest ? static_cast<int>(m_tokens.size()) - 1 : m_output->selectedToken();
    const llmf::GenerationConfig config = m_controls->config();
    if (index < 0 || index >= m_tokens.size() || m_tokens[index].logits.isEmpty()) {
        m_nextToken->showNothing(m_hasRun, config);
        return;
    }
    try {
        m_nextToken->showToken(m_tokens[index], index, static_cast<int>(m_tokens.size()), contextBefore(index), config,
                               m_mainConfig);
    } catch (const llmf::Error &e) {
        showError(QString::fromStdString(e.fullMessage()));
    }
}

} // namespace llmf::views
