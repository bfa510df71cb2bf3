#include "playground/playgroundpage.h"

#include "common/messagebanner.h"

#include "llmf/common/error.h"
#include "playground/comparepanel.h"
#include "playground/generationcontroller.h"
#include "playground/generationpanel.h"
#include "playground/kvcachepanel.h"
#include "playground/playgroundheader.h"
#include "playground/precisionpanel.h"
#include "playground/servepanel.h"
#include "playground/samplingcontrols.h"

#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
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
    connectController();
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

    m_generation = new GenerationPanel(this);
    connect(m_generation, &GenerationPanel::generateRequested, this, &PlaygroundPage::generate);
    connect(m_generation, &GenerationPanel::stopRequested, this, &PlaygroundPage::stop);
    connect(m_generation, &GenerationPanel::tokenClicked, this, &PlaygroundPage::selectToken);
    connect(m_generation, &GenerationPanel::tokensAppended, this, [this] {
        if (m_generation->followsLatest())
            updateStages(); // once per batch, i.e. at most ~30 times a second
    });
    connect(m_generation, &GenerationPanel::finished, this, &PlaygroundPage::onGenerationFinished);
    connect(m_generation, &GenerationPanel::failed, this, &PlaygroundPage::onGenerationFailed);
    auto *stopShortcut = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    stopShortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(stopShortcut, &QShortcut::activated, this, &PlaygroundPage::stop);

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
    rightSplit->addWidget(m_generation);
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
    m_tabs->setTabText(NextTokenTab, tr("Next token"));
    m_tabs->setTabText(CompareTab, tr("Compare"));
    m_tabs->setTabText(KvCacheTab, tr("KV cache A/B"));
    m_tabs->setTabText(ServeTab, tr("Serve"));
    m_tabs->setTabText(PrecisionTab, tr("Precision"));
    updateStages();
}

void PlaygroundPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void PlaygroundPage::connectController()
{
    m_generation->setController(m_controller);
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
    m_generation->abandon();
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
    m_generation->updateStats();
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
    m_generation->resetForRun(info.tokenLabels);
    updateRunLabel();
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
    m_generation->generate(m_controls->config());
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

void PlaygroundPage::onGenerationFinished(const GenerationSummary &summary)
{
    // The output ends explained: its last token, unless the learner picked one while it streamed.
    if (m_generation->selectedToken() < 0 && m_generation->tokenCount() > 0)
        selectToken(m_generation->tokenCount() - 1);
    updateButtons();
    Q_EMIT generationFinished(summary.text, summary.tokensPerSecond);
}

void PlaygroundPage::onGenerationFailed(const QString &message)
{
    updateButtons();
    showError(message);
}

void PlaygroundPage::updateButtons()
{
    m_generation->setGenerateEnabled(m_hasRun && !isGenerating() && !isOpening());
    m_generation->setStopEnabled(isBusy());
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

void PlaygroundPage::selectToken(int index)
{
    if (index < 0 || index >= m_generation->tokenCount())
        return;
    m_generation->selectToken(index);
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

void PlaygroundPage::updateStages()
{
    const int index = m_generation->explainedToken();
    const int count = m_generation->tokenCount();
    const llmf::GenerationConfig config = m_controls->config();
    if (index < 0 || index >= count || m_generation->token(index).logits.isEmpty()) {
        m_nextToken->showNothing(m_hasRun, config);
        return;
    }
    try {
        m_nextToken->showToken(m_generation->token(index), index, count,
                               m_generation->contextBefore(index, m_run.maxSeqLen), config, m_generation->config());
    } catch (const llmf::Error &e) {
        showError(QString::fromStdString(e.fullMessage()));
    }
}

} // namespace llmf::views
