#include "home/homepage.h"

#include <QDir>
#include <QEvent>
#include <QFile>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

namespace llmf::views {

namespace {

// Best validation loss from a run's trainer_state.json, or NaN when it has none yet.
double bestValLoss(const QString &runDir)
{
    QFile file(QDir(runDir).filePath(QStringLiteral("trainer_state.json")));
    if (!file.open(QIODevice::ReadOnly))
        return qQNaN();
    const QJsonValue value = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("best_val_loss"));
    return value.isDouble() ? value.toDouble() : qQNaN();
}

} // namespace

HomePage::HomePage(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("homePage"));
    m_title = new QLabel(this);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 2.0);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_intro = new QLabel(this);
    m_intro->setWordWrap(true);
    m_intro->setTextFormat(Qt::RichText);
    m_quickStart = new QPushButton(this);
    m_quickStart->setObjectName(QStringLiteral("quickStartButton"));
    m_quickStart->setDefault(true);
    m_quickStart->setMinimumHeight(m_quickStart->sizeHint().height() * 3 / 2);
    m_startHere = new QPushButton(this);
    m_startHere->setObjectName(QStringLiteral("startHereButton"));
    m_recentTitle = new QLabel(this);
    m_recent = new QListWidget(this);
    m_recent->setObjectName(QStringLiteral("recentRuns"));
    connect(m_quickStart, &QPushButton::clicked, this, &HomePage::quickStartRequested);
    connect(m_startHere, &QPushButton::clicked, this, &HomePage::startHereRequested);
    connect(m_recent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { Q_EMIT runActivated(item->data(Qt::UserRole).toString()); });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_quickStart);
    buttons->addWidget(m_startHere);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 24);
    layout->addWidget(m_title);
    layout->addWidget(m_intro);
    layout->addSpacing(12);
    layout->addLayout(buttons);
    layout->addSpacing(12);
    layout->addWidget(m_recentTitle);
    layout->addWidget(m_recent, 1);
    retranslate();
}

void HomePage::retranslate()
{
    m_title->setText(tr("LLM Foundry"));
    m_intro->setText(
        tr("<p>Build, train, inspect and sample a small LLaMA-style language model on your own machine. Every "
           "number here comes from the real engine: RMSNorm, rotary position embeddings, grouped-query attention "
           "and SwiGLU, trained with AdamW on your CPU or GPU.</p>"
           "<p><b>Quick start</b> trains the <i>tiny</i> preset (1.25M parameters) on six Jane Austen novels in "
           "about a minute and shows the loss falling live. <b>Start here</b> opens the Config Studio, where every "
           "setting of the model explains what it costs.</p>"));
    m_quickStart->setText(tr("Quick start: train tiny"));
    m_startHere->setText(tr("Start here"));
    m_recentTitle->setText(tr("<b>Recent runs</b> (double-click to resume)"));
    setRecentRuns(m_runDirs);
}

void HomePage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void HomePage::setRecentRuns(const QStringList &runDirs)
{
    m_runDirs = runDirs;
    m_recent->clear();
    for (const QString &dir : runDirs) {
        const double loss = bestValLoss(dir);
        const QString text = std::isnan(loss)
                                 ? tr("%1 — no evaluation yet").arg(QDir::toNativeSeparators(dir))
                                 : tr("%1 — best val loss %2").arg(QDir::toNativeSeparators(dir)).arg(loss, 0, 'f', 3);
        auto *item = new QListWidgetItem(text, m_recent);
        item->setData(Qt::UserRole, dir);
    }
    if (runDirs.isEmpty()) {
        auto *item = new QListWidgetItem(tr("No runs yet: press Quick start."), m_recent);
        item->setFlags(Qt::NoItemFlags);
    }
}

} // namespace llmf::views
