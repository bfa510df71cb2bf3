#include "config/breakdownpanel.h"

#include "config/parameterchart.h"
#include "common/statuscolors.h"
#include "common/memoryfittext.h"

#include "llmf/model/accounting.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace llmf::views {

namespace {

// "7,078,144": the desktop's grouping, but never none at all (the C locale of a bare environment omits it).
QString grouped(qint64 n)
{
    QLocale locale;
    if (locale.language() == QLocale::C)
        locale = QLocale(QLocale::English, QLocale::UnitedStates);
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale.toString(n);
}

QString human(qint64 n)
{
    return QString::fromStdString(humanCount(n));
}

QString bytes(qint64 n)
{
    return QString::fromStdString(humanBytes(n));
}

QString componentName(const std::string &name)
{
    if (name == "embedding")
        return BreakdownPanel::tr("embedding");
    if (name == "attention")
        return BreakdownPanel::tr("attention");
    if (name == "feed-forward")
        return BreakdownPanel::tr("feed-forward");
    if (name == "block norms")
        return BreakdownPanel::tr("block norms");
    if (name == "final norm")
        return BreakdownPanel::tr("final norm");
    if (name == "lm_head")
        return BreakdownPanel::tr("lm_head");
    return QString::fromStdString(name);
}

// The rows of the two tables, named even while the numbers are unavailable.
QStringList memoryParts()
{
    return {BreakdownPanel::tr("Weights"), BreakdownPanel::tr("Gradients"), BreakdownPanel::tr("AdamW state"),
            BreakdownPanel::tr("Activations"), BreakdownPanel::tr("Total")};
}

QStringList attentionKinds()
{
    return {BreakdownPanel::tr("MHA (multi-head)"), BreakdownPanel::tr("GQA (grouped-query)"),
            BreakdownPanel::tr("MQA (multi-query)")};
}

// The accounting works in int64; sizes typed as a joke (dim 10^12) would overflow it. A double-precision upper
// bound of the largest products says whether the exact computation is safe.
bool fitsInt64(const Config &c, int64_t batch, int64_t seqLen)
{
    const double C = static_cast<double>(c.model.dim), L = static_cast<double>(c.model.n_layers);
    const double V = static_cast<double>(c.model.vocab_size), H = static_cast<double>(c.model.n_heads);
    const double F = c.model.ffn_hidden_dim > 0 ? static_cast<double>(c.model.ffn_hidden_dim) : 8.0 * C / 3.0;
    const double T = static_cast<double>(std::max(seqLen, c.model.max_seq_len)), B = static_cast<double>(batch);
    const double params = 2 * V * C + L * (4 * C * C + 3 * C * F + 2 * C) + C;
    const double activations = B * T * (L * (10 * C + 4 * F + 2 * H * T) + 2 * C + 2 * V) * 4;
    const double kvCache = 2 * L * T * C * 4;
    const double limit = 1e18;
    return params * 16 < limit && activations < limit && kvCache < limit;
}

QTableWidgetItem *cell(const QString &text, Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(alignment);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

// The column titles come later, from retranslate().
QTableWidget *makeTable(int rows, int columns, QWidget *parent)
{
    auto *table = new QTableWidget(rows, columns, parent);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::NoSelection);
    table->setFocusPolicy(Qt::NoFocus);
    table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table->setWordWrap(false);
    auto *header = table->horizontalHeader();
    for (int c = 0; c + 1 < columns; ++c)
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(columns - 1, QHeaderView::Stretch);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    return table;
}

// Tables here are short and live in a scroll area: show every row instead of a second scroll bar.
void fitHeight(QTableWidget *table)
{
    table->resizeRowsToContents();
    const int height =
        table->horizontalHeader()->sizeHint().height() + table->verticalHeader()->length() + 2 * table->frameWidth();
    table->setMinimumHeight(height);
    table->setMaximumHeight(height);
}

QLabel *heading(QWidget *parent)
{
    auto *label = new QLabel(parent);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    label->setFont(font);
    return label;
}

} // namespace

BreakdownPanel::BreakdownPanel(QWidget *parent) : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    outer->addWidget(scroll);
    auto *content = new QWidget(scroll);
    scroll->setWidget(content);
    auto *layout = new QVBoxLayout(content);

    m_total = new QLabel(content);
    m_total->setObjectName(QStringLiteral("totalParametersLabel"));
    m_total->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_total->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.8);
    m_total->setFont(big);
    layout->addWidget(m_total);

    m_summary = new QLabel(content);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_note = new QLabel(content);
    m_note->setObjectName(QStringLiteral("breakdownNote"));
    m_note->setWordWrap(true);
    m_note->hide();
    layout->addWidget(m_note);

    layout->addSpacing(fontMetrics().height() / 2);
    m_plotHeading = heading(content);
    layout->addWidget(m_plotHeading);
    m_plot = new ParameterChart(content);
    m_plot->setObjectName(QStringLiteral("parameterChart"));
    layout->addWidget(m_plot);

    layout->addSpacing(fontMetrics().height() / 2);
    m_memoryHeading = heading(content);
    layout->addWidget(m_memoryHeading);
    m_memory = makeTable(5, 3, content);
    m_memory->setObjectName(QStringLiteral("memoryTable"));
    layout->addWidget(m_memory);
    m_memoryNote = new QLabel(content);
    m_memoryNote->setObjectName(QStringLiteral("memoryNote"));
    m_memoryNote->setWordWrap(true);
    layout->addWidget(m_memoryNote);
    m_memoryFit = new QLabel(content);
    m_memoryFit->setObjectName(QStringLiteral("memoryFitWarning"));
    m_memoryFit->setWordWrap(true);
    m_memoryFit->hide();
    layout->addWidget(m_memoryFit);

    layout->addSpacing(fontMetrics().height() / 2);
    m_kvHeading = heading(content);
    layout->addWidget(m_kvHeading);
    m_kvCache = makeTable(3, 4, content);
    m_kvCache->setObjectName(QStringLiteral("kvCacheTable"));
    layout->addWidget(m_kvCache);
    m_kvNote = new QLabel(content);
    m_kvNote->setWordWrap(true);
    layout->addWidget(m_kvNote);
    layout->addStretch(1);

    applyColours();
    retranslate();
}

BreakdownPanel::~BreakdownPanel() = default;

void BreakdownPanel::retranslate()
{
    m_plotHeading->setText(tr("Parameters per component"));
    m_memoryHeading->setText(tr("Training memory per step"));
    m_memory->setHorizontalHeaderLabels({tr("Part"), tr("Size"), tr("Counted as")});
    m_kvHeading->setText(tr("KV cache at max_seq_len (generation)"));
    m_kvCache->setHorizontalHeaderLabels({tr("Attention"), tr("KV heads"), tr("Cache"), tr("vs MHA")});
    refresh(); // the totals, the chart's labels and the tables' rows
}

void BreakdownPanel::setConfig(const Config &config, bool valid)
{
    m_config = config;
    m_valid = valid;
    refresh();
}

void BreakdownPanel::refresh()
{
    const ModelConfig &m = m_config.model;
    const int64_t batch = m_config.training.batch_size;
    const int64_t seqLen = m_config.trainingSeqLen();
    if (m.dim <= 0 || m.n_layers <= 0 || m.n_heads <= 0 || m.n_kv_heads <= 0 || m.vocab_size <= 0 ||
        m.max_seq_len <= 0 || batch <= 0 || seqLen <= 0 || m.ffn_hidden_dim < 0)
        return showUnavailable(tr("Sizes must be positive to count parameters."));
    if (!fitsInt64(m_config, batch, seqLen))
        return showUnavailable(tr("These sizes are too large to count."));

    ParameterBreakdown parameters;
    MemoryEstimate memory;
    try {
        parameters = countParameters(m);
        memory = estimateMemory(m, batch, seqLen, m_config.training.dtype);
    } catch (const std::exception &e) {
        return showUnavailable(QString::fromUtf8(e.what()));
    }

    m_total->setText(tr("%1 parameters (%2)").arg(human(parameters.total), grouped(parameters.total)));
    const int64_t embeddings = parameters.embedding + parameters.lmHead;
    m_summary->setText(tr("%1 layers × %2 per layer · head_dim %3 · FFN hidden %4 · %5% in the embedding and lm_head")
                           .arg(m.n_layers)
                           .arg(human(parameters.perLayer.total()))
                           .arg(m.headDim())
                           .arg(m.resolvedFfnHiddenDim())
                           .arg(parameters.total > 0
                                    ? 100.0 * static_cast<double>(embeddings) / static_cast<double>(parameters.total)
                                    : 0.0,
                                0, 'f', 1));
    if (m_valid) {
        m_note->hide();
    } else {
        // The numbers still teach something (how big would it be?), but they describe a model that cannot be built.
        m_note->setText(m.dim % m.n_heads != 0
                            ? tr("Estimate only: the configuration has problems, and head_dim %1 / %2 is rounded "
                                 "down to %3 here.")
                                  .arg(m.dim)
                                  .arg(m.n_heads)
                                  .arg(m.headDim())
                            : tr("Estimate only: the configuration has problems (see the list on the left)."));
        m_note->show();
    }
    updateChart(parameters);
    updateMemory(parameters, memory);
    updateKvCache(memory);
    const QString fitWarning = memoryFitWarning(llmf::checkTrainingMemory(m_config));
    m_memoryFit->setText(fitWarning);
    m_memoryFit->setVisible(!fitWarning.isEmpty());
}

void BreakdownPanel::showUnavailable(const QString &reason)
{
    m_total->setText(tr("— parameters"));
    m_summary->setText(reason);
    m_note->hide();
    m_plot->setBars({}, {}, {});
    const std::pair<QTableWidget *, QStringList> tables[] = {{m_memory, memoryParts()}, {m_kvCache, attentionKinds()}};
    for (const auto &[table, names] : tables)
        for (int r = 0; r < table->rowCount(); ++r)
            for (int c = 0; c < table->columnCount(); ++c)
                table->setItem(r, c, cell(c == 0 ? names.value(r) : QStringLiteral("—")));
    m_memoryNote->clear();
    m_memoryFit->hide();
    m_kvNote->clear();
}

void BreakdownPanel::updateChart(const ParameterBreakdown &parameters)
{
    QStringList names, labels;
    QVector<double> values;
    for (const auto &[name, count] : parameters.rows()) {
        const double share =
            parameters.total > 0 ? 100.0 * static_cast<double>(count) / static_cast<double>(parameters.total) : 0.0;
        names << componentName(name);
        values << static_cast<double>(count);
        if (name == "lm_head" && count == 0)
            labels << tr("0 (tied to the embedding)");
        else if (share < 0.1)
            labels << tr("%1 · <0.1%").arg(human(count));
        else
            labels << tr("%1 · %2%").arg(human(count)).arg(share, 0, 'f', share < 10 ? 1 : 0);
    }
    m_plot->setBars(names, values, labels);
}

void BreakdownPanel::updateMemory(const ParameterBreakdown &parameters, const MemoryEstimate &memory)
{
    const int64_t batch = m_config.training.batch_size;
    const int64_t seqLen = m_config.trainingSeqLen();
    const QString dtype = QString::fromStdString(m_config.training.dtype);
    const QStringList parts = memoryParts();
    const struct
    {
        QString part;
        int64_t size;
        QString how;
    } rows[] = {
        {parts[0], memory.weights, tr("%1 parameters × 4 bytes (float32)").arg(grouped(parameters.total))},
        {parts[1], memory.gradients, tr("one float32 per parameter")},
        {parts[2], memory.optimizer, tr("two float32 moments per parameter")},
        {parts[3], memory.activations,
         tr("batch %1 × %2 tokens in %3, kept for the backward pass").arg(batch).arg(seqLen).arg(dtype)},
        {parts[4], memory.total(), tr("per micro-batch, before framework overhead")},
    };
    for (int r = 0; r < 5; ++r) {
        const auto &row = rows[r];
        m_memory->setItem(r, 0, cell(row.part));
        m_memory->setItem(r, 1, cell(bytes(row.size), Qt::AlignRight | Qt::AlignVCenter));
        m_memory->setItem(r, 2, cell(row.how));
    }
    QFont bold = m_memory->font();
    bold.setBold(true);
    for (int c = 0; c < 3; ++c)
        m_memory->item(4, c)->setFont(bold);
    fitHeight(m_memory);
    const int64_t accum = m_config.training.grad_accum_steps;
    QStringList notes;
    if (memory.activationsExplicitAttention > memory.activations)
        notes << tr("Training's attention keeps no T×T matrices (memory-efficient attention): with them the "
                    "activations would take %1.")
                     .arg(bytes(memory.activationsExplicitAttention));
    if (accum > 1)
        notes << tr("Gradient accumulation (%1 micro-batches) multiplies the tokens per optimiser step, not the "
                    "memory.")
                     .arg(accum);
    m_memoryNote->setText(notes.join(QLatin1Char(' ')));
    m_memoryNote->setVisible(!notes.isEmpty());
}

void BreakdownPanel::updateKvCache(const MemoryEstimate &memory)
{
    const ModelConfig &m = m_config.model;
    const int64_t kv = m.n_kv_heads;
    // GQA between the two extremes only: with n_kv_heads = n_heads (or 1) it is the MHA (or MQA) row.
    const bool showGqa = kv > 1 && kv < m.n_heads;
    const int configuredRow = kv >= m.n_heads ? 0 : (kv == 1 ? 2 : 1);
    const QStringList kinds = attentionKinds();
    const struct
    {
        QString name;
        int64_t heads;
        int64_t size;
    } rows[] = {
        {kinds[0], m.n_heads, memory.kvCache.mha},
        {kinds[1], kv, memory.kvCache.gqa},
        {kinds[2], 1, memory.kvCache.mqa},
    };
    m_kvCache->setRowHidden(1, !showGqa); // before the items change, so the columns fit the rows shown
    const QColor highlight = tintedBackground(palette(), palette().color(QPalette::Highlight), 0.3);
    for (int r = 0; r < 3; ++r) {
        const auto &row = rows[r];
        const bool configured = r == configuredRow;
        const double ratio =
            memory.kvCache.mha > 0 ? static_cast<double>(row.size) / static_cast<double>(memory.kvCache.mha) : 0.0;
        const QString name = configured ? tr("%1 — configured").arg(row.name) : row.name;
        const QString items[] = {name, QString::number(row.heads), bytes(row.size),
                                 QStringLiteral("%1%").arg(ratio * 100.0, 0, 'f', 0)};
        for (int c = 0; c < 4; ++c) {
            auto *item = cell(items[c], c == 0 ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
            if (configured) {
                QFont font = m_kvCache->font();
                font.setBold(true);
                item->setFont(font);
                item->setBackground(highlight);
            }
            m_kvCache->setItem(r, c, item);
        }
    }
    fitHeight(m_kvCache);
    m_kvNote->setText(tr("One sequence of %1 tokens through %2 layers, head_dim %3, in %4. Fewer KV heads shrink the "
                         "cache that generation keeps for every sequence.")
                          .arg(m.max_seq_len)
                          .arg(m.n_layers)
                          .arg(m.headDim())
                          .arg(QString::fromStdString(m_config.training.dtype)));
}

void BreakdownPanel::applyColours()
{
    const QPalette &p = palette();
    QPalette notePalette = m_note->palette();
    notePalette.setColor(QPalette::WindowText, errorTextColor(p));
    m_note->setPalette(notePalette);
    m_memoryFit->setPalette(notePalette);
    for (QLabel *label : {m_summary, m_memoryNote, m_kvNote}) {
        QPalette muted = label->palette();
        muted.setColor(QPalette::WindowText, mutedTextColor(p));
        label->setPalette(muted);
    }
}

void BreakdownPanel::changeEvent(QEvent *event)
{
    // New note colours and KV row highlight; Qt may send these before the constructor has finished.
    if (m_kvNote && (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)) {
        applyColours();
        refresh();
    } else if (m_kvNote && event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QWidget::changeEvent(event);
}

} // namespace llmf::views
