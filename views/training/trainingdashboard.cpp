#include "training/trainingdashboard.h"

#include "common/appdata.h"

#include "common/memoryfittext.h"
#include "common/messagebanner.h"
#include "common/pagetitle.h"

#include "llmf/model/accounting.h"
#include "training/metricsfile.h"
#include "training/trainingcharts.h"
#include "training/trainingcontrolbar.h"
#include "training/trainingcontroller.h"
#include "training/trainingworker.h"

#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <cmath>

namespace llmf::views {

TrainingDashboard::TrainingDashboard(QWidget *parent) : QWidget(parent)
{
    m_controller = new TrainingController(this);
    m_runsRoot = runsDirectory();
    buildUi();
    connectWorker();
    retranslate();
    updateButtons();
}

TrainingDashboard::~TrainingDashboard() = default; // the controller stops, saves and joins in its destructor

void TrainingDashboard::buildUi()
{
    setObjectName(QStringLiteral("trainingDashboard"));
    m_title = createPageTitle(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("configSummary"));
    m_banner = new MessageBanner(this);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("experimentNote"));
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("QLabel { background: #e8f0fe; border: 1px solid #9db7e8; padding: 6px; }"));
    m_note->hide();

    m_controls = new TrainingControlBar(this);
    connect(m_controls, &TrainingControlBar::startRequested, this, &TrainingDashboard::startTraining);
    connect(m_controls, &TrainingControlBar::pauseToggled, this, &TrainingDashboard::setPaused);
    connect(m_controls, &TrainingControlBar::stopRequested, this, &TrainingDashboard::stopTraining);
    connect(m_controls, &TrainingControlBar::resumeRequested, this, &TrainingDashboard::chooseRunToResume);
    connect(m_controls, &TrainingControlBar::exportChartRequested, this, &TrainingDashboard::exportChart);
    connect(m_controls, &TrainingControlBar::exportCsvRequested, this, &TrainingDashboard::exportCsv);

    m_charts = new TrainingCharts(this);

    m_sampleTitle = new QLabel(this);
    m_sampleEveryLabel = new QLabel(this);
    m_sampleEvery = new QSpinBox(this);
    m_sampleEvery->setObjectName(QStringLiteral("sampleEvery"));
    m_sampleEvery->setRange(0, 100000);
    m_sampleEvery->setValue(100);
    m_samplePrompt = new QLineEdit(QStringLiteral("It is a truth universally acknowledged"), this);
    m_samplePrompt->setObjectName(QStringLiteral("samplePrompt"));
    m_sample = new QPlainTextEdit(this);
    m_sample->setObjectName(QStringLiteral("sampleView"));
    m_sample->setReadOnly(true);
    m_logTitle = new QLabel(this);
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("logView"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_log->setFont(mono);

    auto *side = new QWidget(this);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    auto *sampleRow = new QHBoxLayout;
    sampleRow->addWidget(m_sampleEveryLabel);
    sampleRow->addWidget(m_sampleEvery);
    sideLayout->addWidget(m_sampleTitle);
    sideLayout->addLayout(sampleRow);
    sideLayout->addWidget(m_samplePrompt);
    sideLayout->addWidget(m_sample, 2);
    sideLayout->addWidget(m_logTitle);
    sideLayout->addWidget(m_log, 3);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_charts);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_summary);
    layout->addWidget(m_banner);
    layout->addWidget(m_note);
    layout->addWidget(m_controls);
    layout->addWidget(splitter, 1);
}

void TrainingDashboard::retranslate()
{
    m_title->setText(tr("Training"));
    m_sampleTitle->setText(tr("<b>Samples during training</b>"));
    m_sampleEveryLabel->setText(tr("Sample every N steps (0 = off):"));
    m_logTitle->setText(tr("<b>Log</b>"));
    m_charts->retranslate();
    setConfig(m_config, m_configValid, m_configName);
}

void TrainingDashboard::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void TrainingDashboard::connectWorker()
{
    TrainingWorker *worker = m_controller->worker();
    connect(worker, &TrainingWorker::started, this, &TrainingDashboard::onStarted);
    connect(worker, &TrainingWorker::stepsReady, this, &TrainingDashboard::onSteps);
    connect(worker, &TrainingWorker::evaluated, this, &TrainingDashboard::onEval);
    connect(worker, &TrainingWorker::sampleReady, this, [this](qint64 step, const QString &text) {
        m_sample->appendPlainText(tr("— step %1 —").arg(step));
        m_sample->appendPlainText(text + QLatin1Char('\n'));
    });
    connect(worker, &TrainingWorker::checkpointSaved, this, [this](const QString &dir, qint64 step) {
        log(tr("Checkpoint saved at step %1 in %2").arg(step).arg(QDir::toNativeSeparators(dir)));
    });
    connect(worker, &TrainingWorker::message, this, &TrainingDashboard::log);
    connect(worker, &TrainingWorker::pausedChanged, this, [this](bool paused) {
        Q_EMIT stateChanged(
            paused ? tr("Paused at step %1").arg(m_history.steps().isEmpty() ? 0 : m_history.steps().last().step)
                   : tr("Training"));
    });
    connect(worker, &TrainingWorker::finished, this, &TrainingDashboard::onFinished);
    connect(worker, &TrainingWorker::failed, this, &TrainingDashboard::onFailed);
    connect(worker, &TrainingWorker::snapshotReady, this, &TrainingDashboard::liveSnapshotReady);
    connect(m_controller, &TrainingController::runningChanged, this, &TrainingDashboard::updateButtons);
}

void TrainingDashboard::setConfig(const llmf::Config &config, bool valid, const QString &name)
{
    m_config = config;
    m_configValid = valid;
    m_configName = name;
    const auto params = llmf::countParameters(config.model);
    m_summary->setText(valid ? tr("Configuration: %1 — %2 parameters, %3 steps of %4 × %5 tokens")
                                   .arg(name)
                                   .arg(QString::fromStdString(llmf::humanCount(params.total)))
                                   .arg(config.training.max_iters)
                                   .arg(config.training.batch_size)
                                   .arg(config.trainingSeqLen())
                             : tr("Configuration: %1 is not valid; fix it in the Config Studio.").arg(name));
    updateButtons();
}

void TrainingDashboard::setRunsRoot(const QString &folder)
{
    m_runsRoot = folder;
}
QString TrainingDashboard::runsRoot() const
{
    return m_runsRoot;
}

void TrainingDashboard::setSampling(int everySteps, const QString &prompt)
{
    m_sampleEvery->setValue(everySteps);
    m_samplePrompt->setText(prompt);
}

bool TrainingDashboard::isTraining() const
{
    return m_controller->isRunning();
}
QString TrainingDashboard::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

bool TrainingDashboard::requestLiveSnapshot()
{
    if (!isTraining())
        return false;
    m_controller->worker()->requestSnapshot();
    return true;
}

void TrainingDashboard::setNote(const QString &text)
{
    m_note->setText(text);
    m_note->setVisible(!text.isEmpty());
}

QString TrainingDashboard::note() const
{
    return m_note->isVisible() ? m_note->text() : QString();
}

void TrainingDashboard::updateButtons()
{
    m_controls->setRunning(m_controller->isRunning(), m_configValid);
}

void TrainingDashboard::log(const QString &line)
{
    m_log->appendPlainText(line);
}

void TrainingDashboard::setProcesses(int processes)
{
    m_controls->setProcesses(processes);
}

int TrainingDashboard::processes() const
{
    return m_controls->processes();
}

void TrainingDashboard::startTraining()
{
    if (isTraining() || !m_configValid)
        return;
    if (const QString warning = memoryFitWarning(llmf::checkTrainingMemory(m_config)); !warning.isEmpty()) {
        // Refused before a thread starts or a byte is allocated.
        m_banner->showMessage(MessageBanner::Kind::Error, warning);
        return;
    }
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString runDir = QDir(m_runsRoot).filePath(m_configName + QLatin1Char('-') + stamp);
    for (int n = 2; QFileInfo::exists(runDir); ++n)
        runDir = QDir(m_runsRoot).filePath(QStringLiteral("%1-%2-%3").arg(m_configName, stamp).arg(n));
    m_controller->worker()->setSampling(m_sampleEvery->value(), m_samplePrompt->text());
    m_controller->worker()->setProcesses(m_controls->processes());
    m_charts->clear();
    m_history.clear();
    m_sample->clear();
    m_banner->hide();
    log(tr("Starting %1 in %2").arg(m_configName, QDir::toNativeSeparators(runDir)));
    m_controller->start(m_config, runDir);
    Q_EMIT stateChanged(tr("Preparing data…"));
}

void TrainingDashboard::loadHistory(const QString &runDir)
{
    if (!m_history.loadRun(runDir))
        return;
    m_charts->addSteps(m_history.steps());
    for (const llmf::EvalMetrics &eval : m_history.evals())
        m_charts->addEval(eval);
}

void TrainingDashboard::resumeRun(const QString &runDir)
{
    if (isTraining())
        return;
    m_controller->worker()->setSampling(m_sampleEvery->value(), m_samplePrompt->text());
    // A run continues with the process count it was trained with (its data streams depend on it).
    m_controls->setProcesses(readTrainerState(runDir).worldSize);
    m_controller->worker()->setProcesses(m_controls->processes());
    m_charts->clear();
    m_history.clear();
    loadHistory(runDir);
    m_banner->hide();
    log(tr("Resuming %1").arg(QDir::toNativeSeparators(runDir)));
    m_controller->resume(runDir);
    Q_EMIT stateChanged(tr("Preparing data…"));
}

void TrainingDashboard::setPaused(bool paused)
{
    m_controls->showPaused(paused);
    m_controller->setPaused(paused);
}

void TrainingDashboard::stopTraining()
{
    if (!isTraining())
        return;
    log(tr("Stopping: finishing the current step and saving a checkpoint…"));
    m_controller->stop();
}

void TrainingDashboard::stopAndWait()
{
    m_controller->stopAndWait();
}

void TrainingDashboard::onStarted(const QString &runDir, qint64 step, qint64 maxSteps, int vocabSize)
{
    m_runDir = runDir;
    m_controls->startProgress(step, maxSteps);
    m_charts->setExpectedInitialLoss(std::log(static_cast<double>(vocabSize)));
    Q_EMIT runStarted(runDir);
    Q_EMIT stateChanged(tr("Training"));
}

void TrainingDashboard::onSteps(const QVector<llmf::StepMetrics> &steps)
{
    if (steps.isEmpty())
        return;
    m_history.addSteps(steps);
    m_charts->addSteps(steps);
    m_controls->showStep(steps.last());
}

void TrainingDashboard::onEval(const llmf::EvalMetrics &metrics)
{
    m_history.addEval(metrics);
    m_charts->addEval(metrics);
    log(tr("step %1: train loss %2, val loss %3")
            .arg(metrics.step)
            .arg(metrics.trainLoss, 0, 'f', 4)
            .arg(metrics.valLoss, 0, 'f', 4));
}

void TrainingDashboard::onFinished(const QString &runDir, bool completed)
{
    log(completed ? tr("Training finished. Run directory: %1").arg(QDir::toNativeSeparators(runDir))
                  : tr("Training stopped; the checkpoint in %1 can be resumed.").arg(QDir::toNativeSeparators(runDir)));
    Q_EMIT stateChanged(completed ? tr("Finished") : tr("Stopped"));
    Q_EMIT runFinished(runDir, completed);
}

void TrainingDashboard::onFailed(const QString &message)
{
    m_banner->showMessage(MessageBanner::Kind::Error, tr("Training failed: %1").arg(message));
    log(tr("Error: %1").arg(message));
    Q_EMIT stateChanged(tr("Failed"));
    Q_EMIT runFailed(message);
}

void TrainingDashboard::chooseRunToResume()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Resume a run directory"), m_runsRoot);
    if (!dir.isEmpty())
        resumeRun(dir);
}

void TrainingDashboard::exportChart()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export chart"), tr("training.png"), tr("PNG images (*.png)"));
    if (!path.isEmpty() && !m_charts->savePng(path))
        m_banner->showMessage(MessageBanner::Kind::Error, tr("Could not write %1.").arg(path));
}

void TrainingDashboard::exportCsv()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export metrics"), tr("metrics.csv"), tr("CSV files (*.csv)"));
    if (!path.isEmpty() && !exportMetricsCsv(path))
        m_banner->showMessage(MessageBanner::Kind::Error, tr("Could not write %1.").arg(path));
}

bool TrainingDashboard::exportMetricsCsv(const QString &path) const
{
    return m_history.writeCsv(path);
}

} // namespace llmf::views
