#include "training/trainingworker.h"

#include "llmf/common/systeminfo.h"
#include "llmf/common/error.h"
#include "llmf/data/trainingdata.h"
#include "llmf/infer/generator.h"
#include "llmf/config/configio.h"
#include "llmf/run/rundirectory.h"
#include "llmf/train/distributed.h"
#include "llmf/train/trainer.h"
#include "llmf/train/workersupervisor.h"
#include "training/metricsfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>

#include <exception>

namespace llmf::views {

// Adapts the Trainer's observer callbacks (training thread) to batched Qt signals.
class TrainingWorker::Observer final : public TrainObserver
{
public:
    explicit Observer(TrainingWorker &worker) : m_worker(worker) { m_sinceEmit.start(); }

    void onStep(const StepMetrics &m) override
    {
        m_pending.push_back(m);
        if (m_sinceEmit.elapsed() >= 50)
            flush();
    }
    void onEval(const EvalMetrics &m) override
    {
        flush(); // keep order: the steps before this evaluation first
        Q_EMIT m_worker.evaluated(m);
    }
    void onCheckpoint(const std::string &runDir, int64_t step) override
    {
        flush();
        Q_EMIT m_worker.checkpointSaved(QString::fromStdString(runDir), step);
    }
    void onMessage(const std::string &text) override { Q_EMIT m_worker.message(QString::fromStdString(text)); }

    void flush()
    {
        if (!m_pending.isEmpty())
            Q_EMIT m_worker.stepsReady(m_pending);
        m_pending.clear();
        m_sinceEmit.restart();
    }

private:
    TrainingWorker &m_worker;
    QVector<StepMetrics> m_pending;
    QElapsedTimer m_sinceEmit;
};

TrainingWorker::TrainingWorker(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<llmf::Config>();
    qRegisterMetaType<llmf::StepMetrics>();
    qRegisterMetaType<llmf::EvalMetrics>();
    qRegisterMetaType<QVector<llmf::StepMetrics>>();
}

TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::setSampling(int everySteps, const QString &prompt)
{
    m_sampleEvery = everySteps;
    m_samplePrompt = prompt;
}

void TrainingWorker::start(const llmf::Config &config, const QString &runDir)
{
    runLoop(config, runDir, false);
}

void TrainingWorker::resume(const QString &runDir)
{
    try {
        runLoop(Trainer::resumeConfig(runDir.toStdString()), runDir, true);
    } catch (const Error &e) {
        Q_EMIT failed(QString::fromStdString(e.fullMessage()));
    }
}

void TrainingWorker::runLoop(const llmf::Config &config, const QString &runDir, bool resuming)
{
    // Once the run ends, this thread's idle OpenMP workers would slow the Playground's or the Inspector's.
    const llmf::OpenMPWorkersReleaser releaseWhenDone;
    if (m_processes > 1)
        return runProcesses(config, runDir, resuming);
    m_stop.store(false);
    Observer observer(*this);
    try {
        TrainingData data = prepareTrainingData(config, defaultCacheDirectory(), [this](const std::string &line) {
            Q_EMIT message(QString::fromStdString(line));
        });
        std::unique_ptr<Trainer> trainer =
            resuming ? Trainer::resume(runDir.toStdString(), config, std::move(data))
                     : std::make_unique<Trainer>(config, std::move(data), runDir.toStdString());
        trainer->setObserver(&observer);
        const int64_t maxSteps = config.training.max_iters;
        Q_EMIT started(runDir, trainer->currentStep(), maxSteps, static_cast<int>(config.model.vocab_size));

        GenerationConfig sampling = config.generation;
        sampling.max_new_tokens = 48;
        bool wasPaused = false;
        while (trainer->currentStep() < maxSteps && !m_stop.load()) {
            if (m_snapshot.exchange(false)) {
                const QString dir = QDir(runDir).filePath(QStringLiteral("live"));
                trainer->saveSnapshot(dir.toStdString());
                Q_EMIT snapshotReady(dir, trainer->currentStep());
            }
            if (m_paused.load() != wasPaused) {
                wasPaused = m_paused.load();
                observer.flush();
                Q_EMIT pausedChanged(wasPaused);
            }
            if (wasPaused) {
                QThread::msleep(20);
                continue;
            }
            const StepMetrics m = trainer->advance();
            if (m_sampleEvery > 0 && (m.step % m_sampleEvery == 0 || m.step == maxSteps)) {
                observer.flush();
                Generator generator(trainer->liveModel());
                generator.setCollectStages(false);
                const auto result = generator.generate(m_samplePrompt.toStdString(), sampling);
                Q_EMIT sampleReady(m.step, m_samplePrompt + QString::fromStdString(result.text));
            }
        }
        observer.flush();
        if (m_stop.load())
            Q_EMIT message(tr("Stopped at step %1; saving a checkpoint.").arg(trainer->currentStep()));
        trainer->saveCheckpoint();
        observer.flush();
        Q_EMIT finished(runDir, trainer->finished());
    } catch (const Error &e) {
        observer.flush();
        Q_EMIT failed(QString::fromStdString(e.fullMessage()));
    } catch (const std::exception &e) {
        // Out of memory, LibTorch errors: the run ends, the app does not.
        observer.flush();
        Q_EMIT failed(QString::fromStdString(describeException(e)));
    }
}

namespace {

// The error and hint lines a failed worker printed (its log holds its whole stdout and stderr).
QString workerError(const QString &logFile)
{
    QFile file(logFile);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList lines;
    for (const QByteArray &line : file.readAll().split('\n'))
        if (line.startsWith("error:") || line.startsWith("hint:"))
            lines << QString::fromUtf8(line);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

void TrainingWorker::runProcesses(const llmf::Config &config, const QString &runDir, bool resuming)
{
    m_stop.store(false);
    const QString llmf = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("llmf"));
    QTemporaryDir work; // the config the workers read, and their logs
    try {
        if (!QFileInfo::exists(llmf))
            throw Error(tr("Training with several processes needs the llmf program next to this app (%1).")
                            .arg(llmf)
                            .toStdString());
        // Once here, so the workers find the tokenizer and the tokens in the cache instead of each training one.
        prepareTrainingData(config, defaultCacheDirectory(),
                            [this](const std::string &line) { Q_EMIT message(QString::fromStdString(line)); });
        std::vector<std::string> args{"train", "--set", "training.log_interval=1"}; // every step in metrics.jsonl
        if (resuming) {
            args.insert(args.end(), {"--resume", runDir.toStdString()});
        } else {
            const QString configPath = work.filePath(QStringLiteral("config.yaml"));
            saveConfig(config, configPath.toStdString());
            args.insert(args.end(), {"--config", configPath.toStdString(), "--out", runDir.toStdString()});
            // The text the learner chose in the app: named on the command line, since a config file may only
            // name text in its own folder (llmf/config/datapath.h) and this one lives in a temporary folder.
            if (!config.data.file_path.empty())
                args.insert(args.end(), {"--data", config.data.file_path});
        }
        SupervisedRun run;
        run.launch.nprocPerNode = m_processes;
        run.launch.logDirectory = work.path().toStdString();
        run.program = llmf.toStdString();
        run.arguments = args;
        run.metricsPath = QDir(runDir).filePath(QStringLiteral("metrics.jsonl")).toStdString();
        run.firstStep = resuming ? readTrainerState(runDir).step : 0;
        run.maxSteps = config.training.max_iters;
        Q_EMIT started(runDir, run.firstStep, run.maxSteps, static_cast<int>(config.model.vocab_size));
        Q_EMIT message(tr("Training with %n worker process(es): c10d over Gloo on 127.0.0.1.", nullptr, m_processes));

        SupervisorEvents events;
        events.onSteps = [&](const std::vector<StepMetrics> &steps) {
            Q_EMIT stepsReady(QVector<StepMetrics>(steps.begin(), steps.end()));
        };
        events.onEval = [&](const EvalMetrics &m) { Q_EMIT evaluated(m); };
        events.onCheckpoint = [&](int64_t step) { Q_EMIT checkpointSaved(runDir, step); };
        events.onPaused = [&](bool paused) { Q_EMIT pausedChanged(paused); };
        events.onStopping = [&] {
            Q_EMIT message(tr("Stopping: the workers finish their step and save a checkpoint."));
        };
        bool snapshotExplained = false;
        events.onPoll = [&] {
            if (m_snapshot.exchange(false) && !snapshotExplained) {
                snapshotExplained = true; // once: the live model needs one process
                Q_EMIT message(tr("The live model needs one process; the run's checkpoints open in the Inspector."));
            }
        };
        const LaunchResult result = superviseWorkers(run, SupervisorControls{&m_stop, &m_paused}, events);
        if (result.exitCode != 0) {
            const QString detail = workerError(work.filePath(QStringLiteral("rank-%1.log").arg(result.failedRank)));
            throw Error(
                tr("Distributed training failed: %1.").arg(QString::fromStdString(result.message)).toStdString(),
                detail.toStdString());
        }
        Q_EMIT finished(runDir, readTrainerState(runDir).step >= run.maxSteps);
    } catch (const Error &e) {
        Q_EMIT failed(QString::fromStdString(e.fullMessage()));
    } catch (const std::exception &e) {
        Q_EMIT failed(QString::fromStdString(describeException(e)));
    }
}

} // namespace llmf::views
