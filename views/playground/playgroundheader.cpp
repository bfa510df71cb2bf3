#include "playground/playgroundheader.h"

#include "common/pagetitle.h"

#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace llmf::views {

PlaygroundHeader::PlaygroundHeader(QWidget *parent) : QWidget(parent)
{
    m_title = createPageTitle(this);
    m_runLabel = new QLabel(this);
    m_runLabel->setObjectName(QStringLiteral("runLabel"));
    m_runLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_openRun = new QPushButton(this);
    m_openRun->setObjectName(QStringLiteral("openRunButton"));
    connect(m_openRun, &QPushButton::clicked, this, &PlaygroundHeader::openRequested);
    m_live = new QPushButton(this);
    m_live->setObjectName(QStringLiteral("liveModelButton"));
    m_live->setEnabled(false);
    connect(m_live, &QPushButton::clicked, this, &PlaygroundHeader::liveModelRequested);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addSpacing(12);
    layout->addWidget(m_runLabel, 1);
    layout->addWidget(m_live);
    layout->addWidget(m_openRun);
    retranslate();
}

void PlaygroundHeader::showOpening(const QString &runDir)
{
    m_state = State::Opening;
    m_opening = runDir;
    retranslate();
}

void PlaygroundHeader::showRun(const RunInfo &run)
{
    m_state = State::Open;
    m_run = run;
    retranslate();
}

void PlaygroundHeader::showNoRun()
{
    m_state = State::NoRun;
    retranslate();
}

void PlaygroundHeader::setLiveAvailable(bool available)
{
    m_live->setEnabled(available);
}

void PlaygroundHeader::retranslate()
{
    m_title->setText(tr("Playground"));
    m_openRun->setText(tr("Open run…"));
    m_live->setText(tr("Live model"));
    m_live->setToolTip(tr("Sample from the model that is training right now (a snapshot taken between two steps)."));
    m_openRun->setToolTip(tr("Open a run directory (config.yaml, tokenizer.json, model.safetensors)"));
    switch (m_state) {
    case State::Opening:
        m_runLabel->setText(tr("Opening <b>%1</b>…").arg(QFileInfo(m_opening).fileName().toHtmlEscaped()));
        m_runLabel->setToolTip(QDir::toNativeSeparators(m_opening));
        break;
    case State::NoRun:
        m_runLabel->setText(tr("No run open."));
        m_runLabel->setToolTip(QString());
        break;
    case State::Open:
        m_runLabel->setText(tr("<b>%1</b> · step %2 · %3 M parameters · vocabulary %4 · context %5")
                                .arg(QFileInfo(m_run.directory).fileName().toHtmlEscaped())
                                .arg(m_run.step)
                                .arg(static_cast<double>(m_run.parameters) / 1e6, 0, 'f', 2)
                                .arg(m_run.vocabSize)
                                .arg(m_run.maxSeqLen));
        m_runLabel->setToolTip(QDir::toNativeSeparators(m_run.directory));
        break;
    }
}

void PlaygroundHeader::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace llmf::views
