#include "training/trainingworker.h"

#include "llmf/common/error.h"
#include "llmf/data/trainingdata.h"
#include "llmf/infer/generator.h"
#include "llmf/train/trainer.h"

#include <QElapsedTimer>
#include <QDir>
#include <QThread>

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
                Generator generator = trainer->generator();
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

} // namespace llmf::views
