#include "inspector/embeddingmapview.h"

#include "common/plotstyle.h"
#include "common/qcustomplot.h"
#include "llmf/inspect/embeddingmap.h"

#include <QComboBox>
#include <QEvent>
#include <QFile>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QVBoxLayout>

namespace llmf::views {

EmbeddingMapView::EmbeddingMapView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("embeddingMapView"));
    m_explanation = new QLabel(this);
    m_explanation->setWordWrap(true);
    m_table = new QComboBox(this);
    m_table->setObjectName(QStringLiteral("embeddingTable"));
    m_table->addItems({QString(), QString()});
    connect(m_table, qOverload<int>(&QComboBox::currentIndexChanged), this, &EmbeddingMapView::tableChanged);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("embeddingSearch"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::returnPressed, this, [this] { search(m_search->text()); });
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("embeddingStatus"));
    m_status->setWordWrap(true);
    m_neighbours = new QListWidget(this);
    m_neighbours->setObjectName(QStringLiteral("embeddingNeighbours"));
    m_neighbours->setMaximumWidth(240);

    m_chart = new QCustomPlot(this);
    m_chart->setObjectName(QStringLiteral("embeddingChart"));
    m_chart->setMinimumSize(420, 320);
    m_cloud = m_chart->addGraph();
    m_cloud->setLineStyle(QCPGraph::lsNone);
    m_cloud->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, seriesColour(0), 3));
    m_cloud->setAdaptiveSampling(false);
    m_marked = m_chart->addGraph();
    m_marked->setLineStyle(QCPGraph::lsNone);
    m_marked->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(seriesColour(5), 2), Qt::NoBrush, 9));
    m_chart->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    stylePlot(m_chart);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_table);
    controls->addWidget(m_search, 1);
    auto *side = new QVBoxLayout;
    side->addWidget(m_status);
    side->addWidget(m_neighbours, 1);
    auto *body = new QHBoxLayout;
    body->addWidget(m_chart, 1);
    body->addLayout(side);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_explanation);
    layout->addLayout(controls);
    layout->addLayout(body, 1);
    retranslate();
}

QWidget *EmbeddingMapView::chartArea() const
{
    return m_chart;
}

EmbeddingMapView::~EmbeddingMapView() = default;

void EmbeddingMapView::setMap(const llmf::EmbeddingMap &map, const QString &runDir)
{
    auto next = std::make_unique<EmbeddingMap>(map);
    if (m_map && runDir == m_runDir && m_map->table == next->table && m_map->tokens == next->tokens)
        next->projection.points = alignTo(next->projection.points, m_map->projection.points);
    m_map = std::move(next);
    m_runDir = runDir;
    if (!m_searchText.isEmpty())
        search(m_searchText);
    else
        redraw();
}

void EmbeddingMapView::clear()
{
    m_map.reset();
    m_highlighted.clear();
    m_query = -1;
    m_neighbours->clear();
    redraw();
}

void EmbeddingMapView::setOutputTable(bool output)
{
    m_table->setCurrentIndex(output ? 1 : 0);
}

bool EmbeddingMapView::showsOutputTable() const
{
    return m_table->currentIndex() == 1;
}

QVector<QPointF> EmbeddingMapView::points() const
{
    QVector<QPointF> out;
    if (m_map)
        for (int i = 0; i < m_map->tokens; ++i)
            out.append(QPointF(m_map->projection.points[2 * static_cast<size_t>(i)],
                               m_map->projection.points[2 * static_cast<size_t>(i) + 1]));
    return out;
}

bool EmbeddingMapView::search(const QString &token)
{
    m_neighbours->clear();
    m_highlighted.clear();
    m_query = -1;
    m_missing.clear();
    m_searchText = token;
    if (!m_map || token.isEmpty()) {
        redraw();
        return false;
    }
    // The labels show a leading space as "␣"; accept it typed either way.
    QString wanted = token;
    wanted.replace(QLatin1Char(' '), QChar(0x2423));
    for (int id = 0; id < m_map->tokens; ++id)
        if (QString::fromStdString(m_map->labels[static_cast<size_t>(id)]) == wanted) {
            m_query = id;
            break;
        }
    if (m_query < 0) {
        m_missing = token;
        redraw();
        return false;
    }
    m_missing.clear();
    const auto neighbours = nearestRows(m_map->rows, m_map->tokens, m_map->dim, m_query, 10);
    m_highlighted.append(m_query);
    for (const Neighbour &n : neighbours) {
        m_highlighted.append(n.id);
        m_neighbours->addItem(QStringLiteral("%1   %2").arg(
            QLocale().toString(n.cosine, 'f', 3), QString::fromStdString(m_map->labels[static_cast<size_t>(n.id)])));
    }
    redraw();
    return true;
}

QStringList EmbeddingMapView::neighbourLabels() const
{
    QStringList out;
    if (m_map)
        for (int i = 1; i < m_highlighted.size(); ++i)
            out << QString::fromStdString(m_map->labels[static_cast<size_t>(m_highlighted[i])]);
    return out;
}

void EmbeddingMapView::redraw()
{
    m_chart->clearItems();
    QVector<double> xs, ys, mx, my;
    if (m_map) {
        const auto &p = m_map->projection.points;
        for (int i = 0; i < m_map->tokens; ++i) {
            xs << p[2 * static_cast<size_t>(i)];
            ys << p[2 * static_cast<size_t>(i) + 1];
        }
        QVector<int> labelled(m_map->labelled.begin(), m_map->labelled.end());
        for (int id : m_highlighted) {
            mx << p[2 * static_cast<size_t>(id)];
            my << p[2 * static_cast<size_t>(id) + 1];
            if (!labelled.contains(id))
                labelled.append(id);
        }
        for (int id : labelled) {
            auto *label = new QCPItemText(m_chart);
            label->position->setCoords(p[2 * static_cast<size_t>(id)], p[2 * static_cast<size_t>(id) + 1]);
            label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
            label->setText(QString::fromStdString(m_map->labels[static_cast<size_t>(id)]));
            label->setColor(m_highlighted.contains(id) ? seriesColour(5) : palette().color(QPalette::WindowText));
        }
    }
    m_cloud->setData(xs, ys);
    m_marked->setData(mx, my, true);
    m_chart->rescaleAxes();
    m_chart->xAxis->scaleRange(1.1);
    m_chart->yAxis->scaleRange(1.1);
    m_chart->replot();
    retranslate();
}

bool EmbeddingMapView::exportCsv(const QString &path) const
{
    if (!m_map)
        return false;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    QByteArray out = "id,token,pc1,pc2\n";
    for (int i = 0; i < m_map->tokens; ++i)
        out += QStringLiteral("%1,%2,%3,%4\n")
                   .arg(i)
                   .arg(csvField(QString::fromStdString(m_map->labels[static_cast<size_t>(i)])))
                   .arg(static_cast<double>(m_map->projection.points[2 * static_cast<size_t>(i)]), 0, 'g', 7)
                   .arg(static_cast<double>(m_map->projection.points[2 * static_cast<size_t>(i) + 1]), 0, 'g', 7)
                   .toUtf8();
    return file.write(out) == out.size();
}

void EmbeddingMapView::retranslate()
{
    m_explanation->setText(
        tr("Every token of the vocabulary is a vector of dim numbers. Here they are drawn on the two directions along "
           "which they differ most (principal component analysis); the labelled tokens are the first words the BPE "
           "merged, i.e. frequent ones. Tokens the model treats alike end up close. Type a token and press Enter for "
           "its nearest neighbours in the full space (cosine similarity). Move the step slider above to watch the "
           "map form during training."));
    m_table->setItemText(0, tr("Input embeddings (embed_tokens)"));
    m_table->setItemText(1, tr("Output layer rows (lm_head)"));
    m_search->setPlaceholderText(tr("Find a token, e.g. the"));
    m_chart->xAxis->setLabel(m_map ? tr("principal component 1 (%1 % of the variance)")
                                         .arg(QLocale().toString(100.0 * m_map->projection.explained[0], 'f', 1))
                                   : QString());
    m_chart->yAxis->setLabel(
        m_map
            ? tr("principal component 2 (%1 %)").arg(QLocale().toString(100.0 * m_map->projection.explained[1], 'f', 1))
            : QString());
    if (!m_map)
        m_status->setText(tr("Open a run to see its embeddings."));
    else if (!m_missing.isEmpty())
        m_status->setText(tr("No token “%1” in this vocabulary.").arg(m_missing));
    else if (m_query >= 0)
        m_status->setText(tr("Nearest to “%1” at step %2:")
                              .arg(QString::fromStdString(m_map->labels[static_cast<size_t>(m_query)]))
                              .arg(m_map->step));
    else
        m_status->setText(tr("Step %1: %2 tokens.").arg(m_map->step).arg(m_map->tokens));
    m_chart->replot();
}

void EmbeddingMapView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::PaletteChange)
        stylePlot(m_chart);
    QWidget::changeEvent(event);
}

} // namespace llmf::views
