#include "training/trainingcontrolbar.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace llmf::views {

namespace {

QString duration(double seconds)
{
    const int s = static_cast<int>(std::lround(seconds));
    return s >= 3600 ? QStringLiteral("%1:%2:%3")
                           .arg(s / 3600)
                           .arg(s / 60 % 60, 2, 10, QChar('0'))
                           .arg(s % 60, 2, 10, QChar('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

} // namespace

TrainingControlBar::TrainingControlBar(QWidget *parent) : QWidget(parent)
{
    auto makeButton = [this](const char *name) {
        auto *button = new QPushButton(this);
        button->setObjectName(QLatin1String(name));
        return button;
    };
    m_start = makeButton("startButton");
    m_start->setDefault(true);
    m_pause = makeButton("pauseButton");
    m_pause->setCheckable(true);
    m_stop = makeButton("stopButton");
    m_resume = makeButton("resumeButton");
    m_exportChart = makeButton("exportChartButton");
    m_exportCsv = makeButton("exportCsvButton");
    connect(m_start, &QPushButton::clicked, this, &TrainingControlBar::startRequested);
    connect(m_pause, &QPushButton::toggled, this, &TrainingControlBar::pauseToggled);
    connect(m_stop, &QPushButton::clicked, this, &TrainingControlBar::stopRequested);
    connect(m_resume, &QPushButton::clicked, this, &TrainingControlBar::resumeRequested);
    connect(m_exportChart, &QPushButton::clicked, this, &TrainingControlBar::exportChartRequested);
    connect(m_exportCsv, &QPushButton::clicked, this, &TrainingControlBar::exportCsvRequested);

    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progressBar"));
    m_eta = new QLabel(this);
    m_eta->setObjectName(QStringLiteral("etaLabel"));

    m_processesLabel = new QLabel(this);
    m_processes = new QSpinBox(this);
    m_processes->setObjectName(QStringLiteral("processesSpin"));
    m_processes->setRange(1, std::max(1, QThread::idealThreadCount()));
    m_processesLabel->setBuddy(m_processes);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_processesLabel);
    layout->addWidget(m_processes);
    for (QPushButton *b : {m_start, m_pause, m_stop, m_resume})
        layout->addWidget(b);
    layout->addWidget(m_progress, 1);
    layout->addWidget(m_eta);
    layout->addWidget(m_exportChart);
    layout->addWidget(m_exportCsv);
    retranslate();
}

void TrainingControlBar::retranslate()
{
    m_start->setText(tr("Start"));
    m_start->setToolTip(tr("Train the Config Studio's configuration in a new run directory"));
    showPaused(m_pause->isChecked());
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Stop after the current step and save a checkpoint"));
    m_resume->setText(tr("Resume run…"));
    m_processesLabel->setText(tr("&Processes:"));
    m_processes->setToolTip(tr("Data-parallel training: this many worker processes, each with its share of the "
                               "cores, average their gradients after every step (PyTorch's c10d over Gloo). "
                               "1 trains in the app itself, with samples and the live model."));
    m_exportChart->setText(tr("Export chart…"));
    m_exportCsv->setText(tr("Export CSV…"));
}

void TrainingControlBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void TrainingControlBar::setRunning(bool running, bool canStart)
{
    m_start->setEnabled(!running && canStart);
    m_resume->setEnabled(!running);
    m_pause->setEnabled(running);
    m_stop->setEnabled(running);
    m_processes->setEnabled(!running);
    if (!running && m_pause->isChecked()) {
        const QSignalBlocker block(m_pause); // the run has ended: nothing to resume
        m_pause->setChecked(false);
        showPaused(false);
    }
}

void TrainingControlBar::showPaused(bool paused)
{
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
}

void TrainingControlBar::setProcesses(int processes)
{
    m_processes->setValue(processes);
}

int TrainingControlBar::processes() const
{
    return m_processes->value();
}

void TrainingControlBar::startProgress(qint64 step, qint64 maxSteps)
{
    m_progress->setRange(0, static_cast<int>(maxSteps));
    m_progress->setValue(static_cast<int>(step));
}

void TrainingControlBar::showStep(const llmf::StepMetrics &step)
{
    m_progress->setValue(static_cast<int>(step.step));
    QString status = tr("step %1/%2 · loss %3 · %4 tok/s · ETA %5")
                         .arg(step.step)
                         .arg(step.maxSteps)
                         .arg(step.loss, 0, 'f', 3)
                         .arg(step.tokensPerSecond, 0, 'f', 0)
                         .arg(duration(step.etaSeconds));
    if (step.threads > 0) {
        // The trainer adapts its thread count to what else runs (a browser, a compiler): say what it uses now.
        status += tr(" · %n thread(s)", nullptr, step.threads);
        m_eta->setToolTip(tr("Training uses fewer threads while other programs keep the cores busy, and all of "
                             "them again when the machine is idle."));
    }
    if (step.worldSize > 1 && step.stepSeconds > 0)
        status += tr(" · %n processes, all-reduce %1% of the step", nullptr, step.worldSize)
                      .arg(100.0 * step.allReduceSeconds / step.stepSeconds, 0, 'f', 0);
    m_eta->setText(status);
}

} // namespace llmf::views
