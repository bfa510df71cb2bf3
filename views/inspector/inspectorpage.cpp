#include "inspector/inspectorpage.h"

#include "common/appdata.h"

#include "inspector/checkpointslider.h"

#include "common/messagebanner.h"
#include "common/pagetitle.h"

#include "inspector/anatomyview.h"
#include "inspector/attentionview.h"
#include "inspector/embeddingmapview.h"
#include "inspector/headsview.h"
#include "inspector/inspectorsession.h"
#include "inspector/inspectorweights.h"
#include "inspector/logitlensview.h"
#include "common/plotstyle.h"
#include "inspector/ropeview.h"
#include "llmf/inspect/attentionprobe.h"
#include "llmf/inspect/embeddingmap.h"
#include "llmf/inspect/logitlens.h"
#include "llmf/model/accounting.h"

#include <QDir>
#include <QEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace llmf::views {

namespace {

enum Tab { AttentionTab = 0, RopeTab, AnatomyTab, LogitLensTab, EmbeddingsTab, HeadsTab };

const char *const kTabKeys[] = {"attention", "rope", "anatomy", "logitlens", "embeddings", "heads"};

} // namespace

InspectorPage::InspectorPage(QWidget *parent) : QWidget(parent)
{
    m_session = new InspectorSession(this);
    connect(m_session, &InspectorSession::loaded, this,
            [this](const QString &runDir, std::shared_ptr<const InspectorWeights> weights, InspectorLoad purpose) {
                m_model = std::move(weights);
                showLoaded(runDir, *m_model, purpose);
            });
    connect(m_session, &InspectorSession::loadFailed, this,
            [this](const QString &runDir, const QString &why, InspectorLoad purpose) {
                if (purpose == InspectorLoad::OpenRun && m_loadingRunDir == runDir)
                    m_loadingRunDir.clear();
                updateSummary();
                showLoadError(runDir, why);
            });
    connect(m_session, &InspectorSession::loadSkipped, this, [this](const QString &runDir, InspectorLoad purpose) {
        if (purpose == InspectorLoad::OpenRun && m_loadingRunDir == runDir)
            m_loadingRunDir.clear();
        updateSummary();
    });
    connect(m_session, &InspectorSession::attentionReady, this,
            [this](std::shared_ptr<const llmf::AttentionMaps> maps) {
                m_attention->setMaps(*maps);
                if (m_requestedHead.x() >= 0) {
                    m_attention->showAttention(m_requestedHead.x(), m_requestedHead.y());
                    m_requestedHead = QPoint(-1, -1);
                }
            });
    connect(m_session, &InspectorSession::lensReady, this,
            [this](std::shared_ptr<const llmf::LogitLens> lens) { m_lens->setLens(*lens); });
    connect(m_session, &InspectorSession::embeddingsReady, this,
            [this](std::shared_ptr<const llmf::EmbeddingMap> map) { m_embeddings->setMap(*map, m_runDir); });
    connect(m_session, &InspectorSession::probeFailed, this, [this](const QString &why) {
        m_banner->showMessage(MessageBanner::Kind::Error,
                              [why] { return tr("Could not run the model on this text:\n%1").arg(why); });
    });
    connect(m_session, &InspectorSession::settled, this, &InspectorPage::settled);
    buildUi();
    retranslate();
}

InspectorPage::~InspectorPage() = default;

void InspectorPage::buildUi()
{
    setObjectName(QStringLiteral("inspectorPage"));
    m_title = createPageTitle(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("runSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_open = new QPushButton(this);
    m_open->setObjectName(QStringLiteral("openRunButton"));
    connect(m_open, &QPushButton::clicked, this, &InspectorPage::chooseRun);
    m_live = new QPushButton(this);
    m_live->setObjectName(QStringLiteral("liveModelButton"));
    m_live->setEnabled(false);
    connect(m_live, &QPushButton::clicked, this, &InspectorPage::liveModelRequested);
    m_history = new CheckpointSlider(this);
    connect(m_history, &CheckpointSlider::weightsChosen, this, [this](const QString &path) { showWeights(path); });

    m_banner = new MessageBanner(this);

    m_attention = new AttentionView(this);
    m_rope = new RopeView(this);
    m_anatomy = new AnatomyView(this);
    m_lens = new LogitLensView(this);
    m_embeddings = new EmbeddingMapView(this);
    connect(m_embeddings, &EmbeddingMapView::tableChanged, this, [this] {
        m_embeddingsStale = true;
        refreshTab(m_tabs->currentIndex());
    });
    m_heads = new HeadsView(this);
    connect(m_heads, &HeadsView::failed, this,
            [this](const QString &message) { m_banner->showMessage(MessageBanner::Kind::Error, message); });
    connect(m_heads, &HeadsView::headChosen, this,
            [this](int layer, int head, qint64, const QString &weightsPath, const QString &probeText) {
                // Queued behind the load on the worker: the text is probed on the chosen step's weights.
                showWeights(weightsPath);
                setText(probeText);
                showAttention(layer, head);
            });
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("inspectorTabs"));
    m_tabs->addTab(wrapTab(m_attention, AttentionTab), QString());
    m_tabs->addTab(wrapTab(m_rope, RopeTab), QString());
    m_tabs->addTab(wrapTab(m_anatomy, AnatomyTab), QString());
    m_tabs->addTab(wrapTab(m_lens, LogitLensTab), QString());
    m_tabs->addTab(wrapTab(m_embeddings, EmbeddingsTab), QString());
    m_tabs->addTab(wrapTab(m_heads, HeadsTab), QString());
    connect(m_attention, &AttentionView::textSettled, this, &InspectorPage::probeText);
    // The logit lens and the embedding map are computed when their tab is on screen, not for every text or step.
    connect(m_tabs, &QTabWidget::currentChanged, this, &InspectorPage::refreshTab);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addStretch(1);
    header->addWidget(m_live);
    header->addWidget(m_open);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_summary);
    layout->addWidget(m_history);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
}

QWidget *InspectorPage::wrapTab(QWidget *view, int tab)
{
    auto *page = new QWidget(this);
    auto *png = new QPushButton(page);
    png->setObjectName(QLatin1String(kTabKeys[tab]) + QStringLiteral("PngButton"));
    auto *csv = new QPushButton(page);
    csv->setObjectName(QLatin1String(kTabKeys[tab]) + QStringLiteral("CsvButton"));
    connect(png, &QPushButton::clicked, this, [this, tab] { chooseExport(tab, true); });
    connect(csv, &QPushButton::clicked, this, [this, tab] { chooseExport(tab, false); });
    m_pngButtons << png;
    m_csvButtons << csv;
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(png);
    buttons->addWidget(csv);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(view, 1);
    layout->addLayout(buttons);
    return page;
}

void InspectorPage::retranslate()
{
    m_title->setText(tr("Inspector"));
    m_open->setText(tr("Open run…"));
    m_live->setText(tr("Live model"));
    m_live->setToolTip(tr("Look at the model that is training right now (a snapshot taken between two steps)."));
    m_open->setToolTip(tr("Choose a run directory: a folder with config.yaml, tokenizer.json and model.safetensors"));
    m_tabs->setTabText(AttentionTab, tr("Attention"));
    m_tabs->setTabText(RopeTab, tr("RoPE"));
    m_tabs->setTabText(LogitLensTab, tr("Logit lens"));
    m_tabs->setTabText(EmbeddingsTab, tr("Embeddings"));
    m_tabs->setTabText(HeadsTab, tr("Heads"));
    m_tabs->setTabText(AnatomyTab, tr("Anatomy"));
    for (QPushButton *b : std::as_const(m_pngButtons)) {
        b->setText(tr("Export PNG…"));
        b->setToolTip(tr("Save this tab's charts as an image"));
    }
    for (QPushButton *b : std::as_const(m_csvButtons)) {
        b->setText(tr("Export CSV…"));
        b->setToolTip(tr("Save the numbers behind this tab's charts"));
    }
    updateSummary(); // the banner retranslates itself
}

void InspectorPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

bool InspectorPage::hasRun() const
{
    return m_model != nullptr || !m_loadingRunDir.isEmpty();
}

void InspectorPage::openRun(const QString &runDir)
{
    m_loadingRunDir = runDir;
    m_session->load(runDir, QString(), InspectorLoad::OpenRun);
    m_summary->setText(tr("Opening %1 — loading its weights…").arg(QDir::toNativeSeparators(runDir)));
}

void InspectorPage::showWeights(const QString &weightsPath)
{
    if (m_model)
        m_session->load(m_runDir, weightsPath, InspectorLoad::SwitchWeights);
}

qint64 InspectorPage::weightsStep() const
{
    return m_model ? m_model->run.step : -1;
}

void InspectorPage::setLiveAvailable(bool available)
{
    m_live->setEnabled(available);
}

bool InspectorPage::isBusy() const
{
    return m_session->isBusy();
}

bool InspectorPage::waitUntilSettled(int timeoutMs)
{
    if (!isBusy())
        return true;
    QEventLoop loop;
    connect(m_session, &InspectorSession::settled, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return !isBusy();
}

void InspectorPage::showLoaded(const QString &runDir, const InspectorWeights &loaded, InspectorLoad purpose)
{
    const bool opening = purpose == InspectorLoad::OpenRun;
    m_runDir = runDir;
    if (opening && m_loadingRunDir == runDir)
        m_loadingRunDir.clear();
    m_banner->hide();
    m_rope->setData(loaded.tables, loaded.relative);
    m_anatomy->setData(llmf::countParameters(loaded.run.config.model), loaded.weights);
    m_heads->setRunDirectory(runDir);
    m_embeddingsStale = true;
    updateSummary();
    if (opening)
        m_history->setRun(runDir, loaded.run.step);
    probeText(m_attention->text()); // also refreshes the Logit lens or Embeddings tab when on screen
    if (opening)
        Q_EMIT runOpened(runDir);
    Q_EMIT weightsShown(loaded.run.step);
}

void InspectorPage::showLoadError(const QString &runDir, const QString &why)
{
    m_banner->showMessage(MessageBanner::Kind::Error, [runDir, why] {
        return tr("Could not open the run %1:\n%2").arg(QDir::toNativeSeparators(runDir), why);
    });
    Q_EMIT loadFailed(m_banner->text());
}

void InspectorPage::refreshTab(int tab)
{
    if (!m_model)
        return; // a run being opened refreshes the tab on screen when it arrives
    if (tab == LogitLensTab && m_lensStale) {
        m_lensStale = false;
        const QString text = m_attention->text();
        if (text.trimmed().isEmpty())
            m_lens->clear();
        else
            m_session->probeLens(text.toStdString());
    } else if (tab == EmbeddingsTab && m_embeddingsStale) {
        m_embeddingsStale = false;
        m_session->probeEmbeddings(m_embeddings->showsOutputTable() ? llmf::EmbeddingTable::Output
                                                                    : llmf::EmbeddingTable::Input);
    }
}

void InspectorPage::probeText(const QString &text)
{
    if (!hasRun())
        return;
    if (text.trimmed().isEmpty()) {
        m_session->invalidateText();
        m_attention->clear(); // not an error: the learner is about to type
        m_lens->clear();
        m_lensStale = false;
    } else {
        m_session->probeAttention(text.toStdString());
        m_lensStale = true;
    }
    refreshTab(m_tabs->currentIndex());
}

void InspectorPage::setText(const QString &text)
{
    m_attention->setText(text);
    probeText(text);
}

void InspectorPage::showAttention(int layer, int head)
{
    m_tabs->setCurrentIndex(AttentionTab);
    m_attention->showAttention(layer, head);
    if (isBusy()) // maps on their way would reset what their ranges do not cover yet
        m_requestedHead = QPoint(layer, head);
}

double InspectorPage::attentionValue(int query, int key) const
{
    return m_attention->attentionValue(query, key);
}

int InspectorPage::gridThumbnailCount() const
{
    return m_attention->gridThumbnailCount();
}

QString InspectorPage::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void InspectorPage::updateSummary()
{
    if (!m_model) {
        m_summary->setText(tr("No run open. Open a run directory to look inside its model."));
        return;
    }
    const auto &c = m_model->run.config.model;
    m_summary->setText(tr("%1 — step %2 · dim %3 · %4 layers · %5 query heads sharing %6 key/value heads · "
                          "head_dim %7 · vocabulary %8 · context %9 tokens")
                           .arg(QDir::toNativeSeparators(m_runDir))
                           .arg(m_model->run.step)
                           .arg(c.dim)
                           .arg(c.n_layers)
                           .arg(c.n_heads)
                           .arg(c.n_kv_heads)
                           .arg(c.headDim())
                           .arg(c.vocab_size)
                           .arg(c.max_seq_len));
}

void InspectorPage::chooseRun()
{
    const QString start = m_runDir.isEmpty() ? runsDirectory() : m_runDir;
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a run directory"), start);
    if (!dir.isEmpty())
        openRun(dir);
}

bool InspectorPage::exportPng(int tab, const QString &path)
{
    // The export buttons sit on each tab, so this is the tab on screen; a programmatic export shows it first (a tab
    // that was never shown has not been laid out and would grab as an empty image).
    if (tab >= 0 && tab <= HeadsTab && m_tabs->currentIndex() != tab) {
        m_tabs->setCurrentIndex(tab);
        if (QLayout *layout = m_tabs->currentWidget()->layout())
            layout->activate();
    }
    QWidget *charts[] = {m_attention->chartArea(), m_rope->chartArea(),       m_anatomy->chartArea(),
                         m_lens->chartArea(),      m_embeddings->chartArea(), m_heads->chartArea()};
    if (tab < 0 || tab > HeadsTab || !m_model || isBusy() || !saveWidgetPng(charts[tab], path)) {
        m_banner->showMessage(MessageBanner::Kind::Error, [this, path] {
            return !m_model   ? tr("Open a run first: there is nothing to export yet.")
                   : isBusy() ? tr("The Inspector is still computing; export again in a moment.")
                              : tr("Could not save the image %1.").arg(QDir::toNativeSeparators(path));
        });
        return false;
    }
    return true;
}

bool InspectorPage::exportCsv(int tab, const QString &path)
{
    refreshTab(tab); // a tab never shown computes now, and is exported once it has
    const bool ready = m_model && !isBusy();
    const bool ok = !ready                 ? false
                    : tab == AttentionTab  ? m_attention->exportCsv(path)
                    : tab == RopeTab       ? m_rope->exportCsv(path)
                    : tab == AnatomyTab    ? m_anatomy->exportCsv(path)
                    : tab == LogitLensTab  ? m_lens->exportCsv(path)
                    : tab == EmbeddingsTab ? m_embeddings->exportCsv(path)
                    : tab == HeadsTab      ? m_heads->exportCsv(path)
                                           : false;
    if (!ok) {
        m_banner->showMessage(MessageBanner::Kind::Error, [this, path] {
            return !m_model   ? tr("Open a run first: there is nothing to export yet.")
                   : isBusy() ? tr("The Inspector is still computing; export again in a moment.")
                              : tr("Could not write %1.").arg(QDir::toNativeSeparators(path));
        });
    }
    return ok;
}

void InspectorPage::chooseExport(int tab, bool png)
{
    const QString name = QLatin1String(kTabKeys[tab]) + (png ? QStringLiteral(".png") : QStringLiteral(".csv"));
    const QString start = QDir(m_runDir.isEmpty() ? QDir::homePath() : m_runDir).filePath(name);
    const QString path = png ? QFileDialog::getSaveFileName(this, tr("Export PNG"), start, tr("PNG images (*.png)"))
                             : QFileDialog::getSaveFileName(this, tr("Export CSV"), start, tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (png ? exportPng(tab, path) : exportCsv(tab, path))
        m_banner->hide();
}

} // namespace llmf::views
