#include "inspector/attentionview.h"

#include "inspector/attentiongrid.h"
#include "inspector/attentionheatmap.h"
#include "inspector/inspectorcsv.h"
#include "common/plotstyle.h"
#include "llmf/inspect/attentionprobe.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace llmf::views {

AttentionView::AttentionView(QWidget *parent) : QWidget(parent)
{
    m_textLabel = new QLabel(this);
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("textEdit"));
    m_text->setTabChangesFocus(true);
    m_text->setFixedHeight(m_text->fontMetrics().lineSpacing() * 3 + 14);
    m_text->setPlainText(tr("A single man in possession of a good fortune must be in want of a wife."));

    m_layerLabel = new QLabel(this);
    m_layerSpin = new QSpinBox(this);
    m_layerSpin->setObjectName(QStringLiteral("layerSpin"));
    m_headLabel = new QLabel(this);
    m_headSpin = new QSpinBox(this);
    m_headSpin->setObjectName(QStringLiteral("headSpin"));
    m_layerLabel->setBuddy(m_layerSpin);
    m_headLabel->setBuddy(m_headSpin);
    m_groupLabel = new QLabel(this);
    m_groupLabel->setObjectName(QStringLiteral("kvGroupLabel"));
    m_noteLabel = new QLabel(this);
    m_noteLabel->setWordWrap(true);
    m_noteLabel->hide();

    auto *selectors = new QHBoxLayout;
    selectors->addWidget(m_layerLabel);
    selectors->addWidget(m_layerSpin);
    selectors->addSpacing(12);
    selectors->addWidget(m_headLabel);
    selectors->addWidget(m_headSpin);
    selectors->addSpacing(12);
    selectors->addWidget(m_groupLabel, 1);

    m_heatmap = new AttentionHeatmap(this);
    m_hoverLabel = new QLabel(this);
    m_hoverLabel->setObjectName(QStringLiteral("hoverLabel"));
    m_hoverLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_heatmap, 1);
    leftLayout->addWidget(m_hoverLabel);

    m_grid = new AttentionGrid(this);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_grid);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_gridCaption = new QLabel(this);
    m_gridCaption->setWordWrap(true);
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_gridCaption);
    rightLayout->addWidget(scroll, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    m_charts = splitter;

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_textLabel);
    layout->addWidget(m_text);
    layout->addLayout(selectors);
    layout->addWidget(m_noteLabel);
    layout->addWidget(splitter, 1);

    // Re-running the model on every keystroke would stutter on a big model; wait until typing pauses.
    m_settle.setSingleShot(true);
    m_settle.setInterval(350);
    connect(m_text, &QPlainTextEdit::textChanged, &m_settle, qOverload<>(&QTimer::start));
    connect(&m_settle, &QTimer::timeout, this, [this] { Q_EMIT textSettled(text()); });
    connect(m_layerSpin, &QSpinBox::valueChanged, this, &AttentionView::updateMap);
    connect(m_headSpin, &QSpinBox::valueChanged, this, &AttentionView::updateMap);
    connect(m_grid, &AttentionGrid::thumbnailClicked, this, &AttentionView::showAttention);
    connect(m_heatmap, &AttentionHeatmap::hovered, this, [this](const QString &hover) {
        m_hoverLabel->setText(hover.isEmpty() ? tr("Hover over a cell to read its exact weight.") : hover);
    });
    clear();
    retranslate();
}

AttentionView::~AttentionView() = default;

void AttentionView::retranslate()
{
    m_textLabel->setText(tr("Text the model reads:"));
    m_layerLabel->setText(tr("&Layer:"));
    m_headLabel->setText(tr("&Head:"));
    m_layerSpin->setToolTip(tr("Transformer block (0 = closest to the input)"));
    m_headSpin->setToolTip(tr("Query head; heads of the same colour share one key/value head (GQA)"));
    m_gridCaption->setText(tr("<b>All layers × heads</b> — click a map to enlarge it. Frames of one colour share "
                              "a key/value head."));
    m_hoverLabel->setText(m_heatmap->hoverText().isEmpty() ? tr("Hover over a cell to read its exact weight.")
                                                           : m_heatmap->hoverText());
    updateGroupLabel();
    if (m_maps)
        updateMap(); // the map's title is translated text
}

void AttentionView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::PaletteChange)
        updateGroupLabel();
    QWidget::changeEvent(event);
}

void AttentionView::setMaps(const llmf::AttentionMaps &maps)
{
    m_maps = std::make_unique<llmf::AttentionMaps>(maps);
    {
        const QSignalBlocker blockLayer(m_layerSpin), blockHead(m_headSpin);
        m_layerSpin->setRange(0, std::max(0, maps.layers - 1));
        m_headSpin->setRange(0, std::max(0, maps.heads - 1));
    }
    m_layerSpin->setEnabled(true);
    m_headSpin->setEnabled(true);
    m_noteLabel->setText(QString::fromStdString(maps.note));
    m_noteLabel->setVisible(!maps.note.empty());
    m_grid->setMaps(maps);
    updateMap();
}

void AttentionView::clear()
{
    m_maps.reset();
    m_layerSpin->setEnabled(false);
    m_headSpin->setEnabled(false);
    m_noteLabel->hide();
    m_grid->clear();
    m_heatmap->clearMap();
    updateGroupLabel();
}

void AttentionView::showAttention(int layer, int head)
{
    const QSignalBlocker blockLayer(m_layerSpin), blockHead(m_headSpin);
    m_layerSpin->setValue(layer);
    m_headSpin->setValue(head);
    updateMap();
}

int AttentionView::layer() const
{
    return m_layerSpin->value();
}

int AttentionView::head() const
{
    return m_headSpin->value();
}

QString AttentionView::text() const
{
    return m_text->toPlainText();
}

void AttentionView::setText(const QString &text)
{
    const QSignalBlocker block(m_text);
    m_text->setPlainText(text);
    m_settle.stop();
}

double AttentionView::attentionValue(int query, int key) const
{
    return m_maps ? m_heatmap->value(query, key) : std::numeric_limits<double>::quiet_NaN();
}

int AttentionView::gridThumbnailCount() const
{
    return m_grid->thumbnailCount();
}

void AttentionView::updateMap()
{
    updateGroupLabel();
    if (!m_maps || m_maps->tokens == 0)
        return;
    const int l = layer(), h = head(), T = m_maps->tokens;
    std::vector<float> weights(static_cast<size_t>(T) * T);
    for (int q = 0; q < T; ++q)
        for (int k = 0; k < T; ++k)
            weights[static_cast<size_t>(q) * T + k] = m_maps->at(l, h, q, k);
    QStringList tokens;
    for (const auto &t : m_maps->tokenTexts)
        tokens << QString::fromStdString(t);
    m_heatmap->setMap(weights, tokens,
                      tr("Layer %1, head %2 (key/value head %3)").arg(l).arg(h).arg(m_maps->kvHeadOf(h)));
    m_grid->setSelected(l, h);
    Q_EMIT selectionChanged(l, h);
}

void AttentionView::updateGroupLabel()
{
    if (!m_maps) {
        m_groupLabel->clear();
        m_headSpin->setSuffix({});
        return;
    }
    const int h = head(), kv = m_maps->kvHeadOf(h);
    const int groupSize = m_maps->kvHeads > 0 ? m_maps->heads / m_maps->kvHeads : 1;
    m_headSpin->setSuffix(tr("  (kv %1)").arg(kv));
    const QString swatch = QStringLiteral("<span style=\"color:%1\">&#9632;</span> ").arg(kvGroupColour(kv).name());
    if (groupSize > 1)
        m_groupLabel->setText(swatch + tr("GQA: query heads %1–%2 share key/value head %3 (%4 query heads per KV "
                                          "head, %5 KV heads in all).")
                                           .arg(kv * groupSize)
                                           .arg(kv * groupSize + groupSize - 1)
                                           .arg(kv)
                                           .arg(groupSize)
                                           .arg(m_maps->kvHeads));
    else
        m_groupLabel->setText(swatch + tr("Every query head has its own key/value head (multi-head attention)."));
}

bool AttentionView::exportCsv(const QString &path) const
{
    return m_maps && writeAttentionCsv(*m_maps, path);
}

} // namespace llmf::views
