#include "inspector/inspectorpage.h"

#include "inspector/checkpointslider.h"

#include "common/pagetitle.h"

#include "inspector/anatomyview.h"
#include "inspector/attentionview.h"
#include "inspector/embeddingmapview.h"
#include "inspector/headsview.h"
#include "inspector/logitlensview.h"
#include "common/plotstyle.h"
#include "inspector/ropeview.h"
#include "llmf/common/error.h"
#include "llmf/inspect/attentionprobe.h"
#include "llmf/inspect/logitlens.h"
#include "llmf/inspect/ropeprobe.h"
#include "llmf/inspect/weightprobe.h"
#include "llmf/model/accounting.h"
#include "llmf/train/rundirectory.h"

#include <QDir>
#include <QEvent>
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

// The message of whatever a probe or loader threw: llmf::Error carries a hint worth showing, torch's c10::Error a
// long backtrace whose first line is the useful part.
QString describe(const std::exception &error)
{
    return QString::fromStdString(llmf::describeException(error));
}

} // namespace

struct InspectorPage::Model
{
    llmf::LoadedRun run;
};

InspectorPage::InspectorPage(QWidget *parent) : QWidget(parent)
{
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

    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("bannerLabel"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::PlainText); // messages quote paths and file contents
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setAutoFillBackground(true);
    m_banner->setContentsMargins(10, 8, 10, 8);
    m_banner->hide();

    m_attention = new AttentionView(this);
    m_rope = new RopeView(this);
    m_anatomy = new AnatomyView(this);
    m_lens = new LogitLensView(this);
    m_embeddings = new EmbeddingMapView(this);
    connect(m_embeddings, &EmbeddingMapView::failed, this, &InspectorPage::showError);
    m_heads = new HeadsView(this);
    connect(m_heads, &HeadsView::failed, this, &InspectorPage::showError);
    connect(m_heads, &HeadsView::headChosen, this,
            [this](int layer, int head, const QString &weightsPath, const QString &probeText) {
                if (showWeights(weightsPath)) {
                    setText(probeText);
                    showAttention(layer, head);
                }
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
    updateSummary();
    if (m_bannerMessage)
        m_banner->setText(m_bannerMessage());
}

void InspectorPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::PaletteChange && m_banner && m_banner->isVisible())
        showError(m_banner->text());
    QWidget::changeEvent(event);
}

bool InspectorPage::hasRun() const
{
    return m_model != nullptr;
}

bool InspectorPage::openRun(const QString &runDir)
{
    if (!load(runDir, QString()))
        return false;
    m_history->setRun(runDir, m_model->run.step);
    Q_EMIT runOpened(runDir);
    return true;
}

bool InspectorPage::showWeights(const QString &weightsPath)
{
    return hasRun() && load(m_runDir, weightsPath);
}

qint64 InspectorPage::weightsStep() const
{
    return m_model ? m_model->run.step : -1;
}

void InspectorPage::setLiveAvailable(bool available)
{
    m_live->setEnabled(available);
}

bool InspectorPage::load(const QString &runDir, const QString &weightsPath)
{
    auto model = std::make_unique<Model>();
    llmf::WeightStats weights;
    llmf::RopeTables tables;
    llmf::RopeRelativeCurve relative;
    try {
        model->run = llmf::loadRun(QDir::toNativeSeparators(runDir).toStdString(), "cpu", weightsPath.toStdString());
        const llmf::LoadedRun &net = model->run;
        weights = llmf::probeWeights(net);
        tables = llmf::probeRopeTables(net);
        // The second start a quarter into the context leaves most offsets room for both curves; beyond ~100
        // offsets the fast pairs make the curve too dense to compare by eye.
        const int startB = std::max(1, tables.positions / 4);
        relative = llmf::probeRopeRelative(net, 0, startB, std::min(96, tables.positions - startB - 1));
    } catch (const std::exception &error) {
        const QString why = describe(error);
        m_bannerMessage = [this, runDir, why] {
            return tr("Could not open the run %1:\n%2").arg(QDir::toNativeSeparators(runDir), why);
        };
        showError(m_bannerMessage());
        return false;
    }
    m_model = std::move(model);
    m_runDir = runDir;
    hideBanner();
    m_rope->setData(tables, relative);
    m_anatomy->setData(llmf::countParameters(m_model->run.config.model), weights);
    m_heads->setRunDirectory(runDir);
    m_embeddingsStale = true;
    updateSummary();
    probeText(m_attention->text());
    refreshTab(m_tabs->currentIndex()); // the Embeddings tab on screen follows the step slider
    return true;
}

void InspectorPage::refreshTab(int tab)
{
    if (!m_model)
        return;
    try {
        if (tab == LogitLensTab && m_lensStale) {
            m_lensStale = false;
            const QString text = m_attention->text();
            if (text.trimmed().isEmpty())
                m_lens->clear();
            else
                m_lens->setLens(llmf::probeLogitLens(m_model->run, text.toStdString()));
        } else if (tab == EmbeddingsTab && m_embeddingsStale) {
            m_embeddingsStale = false;
            m_embeddings->setRun(m_model->run, m_runDir);
        }
    } catch (const std::exception &error) {
        const QString why = describe(error);
        m_bannerMessage = [this, why] { return tr("Could not run the model on this text:\n%1").arg(why); };
        showError(m_bannerMessage());
    }
}

void InspectorPage::probeText(const QString &text)
{
    if (!m_model)
        return;
    if (text.trimmed().isEmpty()) {
        m_attention->clear(); // not an error: the learner is about to type
        m_lens->clear();
        m_lensStale = false;
        return;
    }
    m_lensStale = true;
    refreshTab(m_tabs->currentIndex());
    try {
        m_attention->setMaps(llmf::probeAttention(m_model->run, text.toStdString()));
    } catch (const std::exception &error) {
        const QString why = describe(error);
        m_bannerMessage = [this, why] { return tr("Could not run the model on this text:\n%1").arg(why); };
        showError(m_bannerMessage());
    }
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

void InspectorPage::showError(const QString &text)
{
    QPalette pal = m_banner->palette();
    pal.setColor(QPalette::Window, bannerBackground(palette()));
    pal.setColor(QPalette::WindowText, palette().color(QPalette::WindowText));
    m_banner->setPalette(pal);
    m_banner->setText(text);
    m_banner->show();
}

void InspectorPage::hideBanner()
{
    m_bannerMessage = nullptr;
    m_banner->clear();
    m_banner->hide();
}

void InspectorPage::chooseRun()
{
    const QString start =
        m_runDir.isEmpty()
            ? qEnvironmentVariable("LLMF_RUNS_DIR", QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                                        QStringLiteral("/runs"))
            : m_runDir;
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
    if (tab < 0 || tab > HeadsTab || !m_model || !saveWidgetPng(charts[tab], path)) {
        m_bannerMessage = [this, path] {
            return m_model ? tr("Could not save the image %1.").arg(QDir::toNativeSeparators(path))
                           : tr("Open a run first: there is nothing to export yet.");
        };
        showError(m_bannerMessage());
        return false;
    }
    return true;
}

bool InspectorPage::exportCsv(int tab, const QString &path)
{
    refreshTab(tab);
    const bool ok = tab == AttentionTab    ? m_attention->exportCsv(path)
                    : tab == RopeTab       ? m_rope->exportCsv(path)
                    : tab == AnatomyTab    ? m_anatomy->exportCsv(path)
                    : tab == LogitLensTab  ? m_lens->exportCsv(path)
                    : tab == EmbeddingsTab ? m_embeddings->exportCsv(path)
                    : tab == HeadsTab      ? m_heads->exportCsv(path)
                                           : false;
    if (!ok) {
        m_bannerMessage = [this, path] {
            return m_model ? tr("Could not write %1.").arg(QDir::toNativeSeparators(path))
                           : tr("Open a run first: there is nothing to export yet.");
        };
        showError(m_bannerMessage());
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
        hideBanner();
}

} // namespace llmf::views
