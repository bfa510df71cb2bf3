#include "playground/comparepanel.h"

#include "playground/generationcontroller.h"
#include "playground/generationworker.h"
#include "playground/samplingcontrols.h"

#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextCursor>
#include <QToolButton>
#include <QVBoxLayout>

namespace llmf::views {

ComparePanel::ComparePanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("comparePanel"));
    m_add = new QPushButton(this);
    m_add->setObjectName(QStringLiteral("compareAddButton"));
    m_rerun = new QPushButton(this);
    m_rerun->setObjectName(QStringLiteral("compareRerunButton"));
    m_clear = new QPushButton(this);
    m_clear->setObjectName(QStringLiteral("compareClearButton"));
    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("compareInfo"));
    m_info->setWordWrap(true);
    m_empty = new QLabel(this);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false); // the disabled text colour: a hint, not content
    connect(m_add, &QPushButton::clicked, this, &ComparePanel::addRequested);
    connect(m_rerun, &QPushButton::clicked, this, &ComparePanel::rerunRequested);
    connect(m_clear, &QPushButton::clicked, this, &ComparePanel::clear);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_rerun);
    buttons->addWidget(m_clear);
    buttons->addWidget(m_info, 1);
    m_columnsLayout = new QHBoxLayout;
    m_columnsLayout->addWidget(m_empty);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addLayout(m_columnsLayout, 1);
    retranslate();
    updateButtons();
}

void ComparePanel::setController(GenerationController *controller)
{
    m_controller = controller;
    GenerationWorker *worker = controller->worker();
    connect(worker, &GenerationWorker::started, this, &ComparePanel::onStarted);
    connect(worker, &GenerationWorker::tokensReady, this, &ComparePanel::onTokens);
    connect(worker, &GenerationWorker::finished, this, &ComparePanel::onFinished);
    connect(worker, &GenerationWorker::failed, this, &ComparePanel::onFailed);
}

int ComparePanel::addColumn(const llmf::GenerationConfig &snapshot, const QString &prompt)
{
    if (m_columns.size() >= kMaxColumns)
        return -1;
    if (m_columns.isEmpty())
        m_seed = snapshot.seed;
    Column c;
    c.key = m_nextKey++;
    c.config = snapshot;
    auto *frame = new QFrame(this);
    frame->setObjectName(QStringLiteral("compareColumn%1").arg(m_columns.size()));
    frame->setFrameShape(QFrame::StyledPanel);
    c.frame = frame;
    c.title = new QLabel(frame);
    c.title->setWordWrap(true);
    QFont bold = c.title->font();
    bold.setBold(true);
    c.title->setFont(bold);
    c.remove = new QToolButton(frame);
    c.remove->setText(QStringLiteral("×"));
    c.remove->setAutoRaise(true);
    c.text = new QPlainTextEdit(frame);
    c.text->setObjectName(QStringLiteral("compareText"));
    c.text->setReadOnly(true);
    c.status = new QLabel(frame);
    auto *top = new QHBoxLayout;
    top->addWidget(c.title, 1);
    top->addWidget(c.remove, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(frame);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(c.text, 1);
    layout->addWidget(c.status);
    const int key = c.key;
    connect(c.remove, &QToolButton::clicked, this, [this, key] { removeColumn(key); });
    m_columnsLayout->addWidget(frame, 1);
    m_columns.append(c);
    updateColumnTexts(m_columns.last());
    m_empty->hide();
    m_prompt = prompt;
    retranslate();
    run(key);
    return key;
}

void ComparePanel::runAll(const QString &prompt)
{
    m_prompt = prompt;
    retranslate();
    for (const Column &c : std::as_const(m_columns))
        run(c.key);
}

void ComparePanel::run(int key)
{
    const int i = indexOf(key);
    if (i < 0 || !m_controller)
        return;
    GenerationRequest request;
    request.prompt = m_prompt;
    request.config = m_columns[i].config;
    request.config.seed = m_seed;
    m_requests.insert(m_controller->submit(request), key);
    m_columns[i].state = Column::State::Idle;
    updateColumnTexts(m_columns[i]);
    setBusy(true);
}

void ComparePanel::onStarted(int requestId)
{
    const auto it = m_requests.constFind(requestId);
    if (it == m_requests.constEnd())
        return;
    const int i = indexOf(*it);
    if (i < 0)
        return;
    m_columns[i].text->clear();
    m_columns[i].state = Column::State::Running;
    updateColumnTexts(m_columns[i]);
}

void ComparePanel::onTokens(int requestId, const QVector<GeneratedToken> &tokens)
{
    const int i = indexOf(m_requests.value(requestId, -1));
    if (i < 0)
        return;
    QString text;
    for (const GeneratedToken &t : tokens)
        text += t.piece;
    QTextCursor cursor(m_columns[i].text->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text);
}

void ComparePanel::onFinished(const GenerationSummary &summary)
{
    if (!m_requests.contains(summary.requestId))
        return;
    const int i = indexOf(m_requests.take(summary.requestId));
    if (i >= 0) {
        Column &c = m_columns[i];
        c.state = summary.cancelled ? Column::State::Cancelled : Column::State::Done;
        c.tokensPerSecond = summary.tokensPerSecond;
        c.tokens = summary.tokenCount;
        updateColumnTexts(c);
    }
    setBusy(!m_requests.isEmpty());
}

void ComparePanel::onFailed(int requestId, const QString &message)
{
    if (!m_requests.contains(requestId))
        return;
    const int i = indexOf(m_requests.take(requestId));
    if (i >= 0) {
        m_columns[i].state = Column::State::Failed;
        m_columns[i].error = message;
        updateColumnTexts(m_columns[i]);
    }
    setBusy(!m_requests.isEmpty());
    Q_EMIT failed(message);
}

QStringList ComparePanel::texts() const
{
    QStringList out;
    for (const Column &c : m_columns)
        out << c.text->toPlainText();
    return out;
}

void ComparePanel::setBusy(bool busy)
{
    const bool changed = busy != m_busy;
    m_busy = busy;
    updateButtons();
    if (changed)
        Q_EMIT busyChanged(busy);
}

int ComparePanel::indexOf(int key) const
{
    for (int i = 0; i < m_columns.size(); ++i)
        if (m_columns[i].key == key)
            return i;
    return -1;
}

void ComparePanel::removeColumn(int key)
{
    const int i = indexOf(key);
    if (i < 0)
        return;
    m_columns[i].frame->deleteLater();
    m_columns.remove(i);
    if (m_columns.isEmpty())
        m_empty->show();
    // Its request, if any, runs on; the tokens it delivers find no column and are dropped.
    retranslate();
    updateButtons();
}

void ComparePanel::clear()
{
    while (!m_columns.isEmpty())
        removeColumn(m_columns.last().key);
    m_requests.clear();
    setBusy(false);
}

void ComparePanel::updateButtons()
{
    m_add->setEnabled(m_columns.size() < kMaxColumns);
    m_rerun->setEnabled(!m_columns.isEmpty() && !m_busy);
    m_clear->setEnabled(!m_columns.isEmpty());
}

void ComparePanel::updateColumnTexts(Column &c)
{
    c.title->setText(SamplingControls::describe(c.config));
    c.remove->setToolTip(tr("Remove this column"));
    switch (c.state) {
    case Column::State::Idle:
        c.status->setText(tr("Waiting…"));
        break;
    case Column::State::Running:
        c.status->setText(tr("Generating…"));
        break;
    case Column::State::Done:
        c.status->setText(tr("Generated: %1 · %2 tokens/s").arg(c.tokens).arg(c.tokensPerSecond, 0, 'f', 0));
        break;
    case Column::State::Cancelled:
        c.status->setText(tr("Stopped · generated: %1").arg(c.tokens));
        break;
    case Column::State::Failed:
        c.status->setText(c.error);
        break;
    }
    c.status->setWordWrap(c.state == Column::State::Failed);
}

void ComparePanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ComparePanel::retranslate()
{
    m_add->setText(tr("Add column"));
    m_add->setToolTip(tr("Generate a new column with the current slider settings (up to %1)").arg(kMaxColumns));
    m_rerun->setText(tr("Run again"));
    m_rerun->setToolTip(tr("Generate every column again from the current prompt"));
    m_clear->setText(tr("Clear"));
    m_empty->setText(tr("Set the sliders, press “Add column”, change a setting, add another: every column starts "
                        "from the same prompt and seed, so only the settings differ."));
    if (m_columns.isEmpty())
        m_info->clear();
    else
        m_info->setText(tr("Same prompt and seed (%1) in every column. Prompt: “%2”")
                            .arg(m_seed)
                            .arg(m_prompt.size() > 60 ? m_prompt.left(59) + QChar(0x2026) : m_prompt));
    for (Column &c : m_columns)
        updateColumnTexts(c);
}

QStringList ComparePanel::finishedSettings() const
{
    QStringList settings;
    for (const Column &c : m_columns)
        if (c.state == Column::State::Done)
            settings << SamplingControls::describe(c.config);
    return settings;
}

} // namespace llmf::views
