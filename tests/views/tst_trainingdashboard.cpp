#include <QtTest>

#include "smallrun.h"

#include "training/trainingcharts.h"
#include "training/trainingcontroller.h"
#include "training/trainingdashboard.h"
#include "training/trainingworker.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSpinBox>

using namespace llmf;

using testing::arrived;
using namespace llmf::views;

namespace {

// A tiny model on a small generated text: a step takes milliseconds.
Config tinyConfig(const QString &dataFile, int64_t steps)
{
    Config c;
    c.model.dim = 32;
    c.model.n_layers = 2;
    c.model.n_heads = 4;
    c.model.n_kv_heads = 2;
    c.model.vocab_size = 300;
    c.model.max_seq_len = 32;
    c.training.batch_size = 4;
    c.training.max_iters = steps;
    c.training.warmup_iters = 2;
    c.training.eval_interval = 10;
    c.training.eval_iters = 2;
    c.training.checkpoint_interval = 0;
    c.data.file_path = dataFile.toStdString();
    return c;
}

} // namespace

class TestTrainingDashboard : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_data;

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("LLMF_CACHE_DIR", m_dir.filePath("cache").toUtf8());
        m_data = m_dir.filePath("text.txt");
        QFile f(m_data);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (int i = 0; i < 400; ++i)
            f.write("The quick brown fox jumps over the lazy dog while the cat sleeps. ");
    }

    void shortRun_emitsMetricsAndFillsCharts()
    {
        TrainingDashboard dashboard;
        dashboard.setRunsRoot(m_dir.filePath("runs"));
        dashboard.setSampling(10, QStringLiteral("The"));
        dashboard.setConfig(tinyConfig(m_data, 20), true, QStringLiteral("test"));
        QSignalSpy steps(dashboard.controller()->worker(), &TrainingWorker::stepsReady);
        QSignalSpy evals(dashboard.controller()->worker(), &TrainingWorker::evaluated);
        QSignalSpy samples(dashboard.controller()->worker(), &TrainingWorker::sampleReady);
        QSignalSpy finished(&dashboard, &TrainingDashboard::runFinished);
        dashboard.show();
        dashboard.startTraining();
        QVERIFY(dashboard.isTraining());
        QVERIFY(arrived(finished, 60000));
        QCOMPARE(finished.first().at(1).toBool(), true);
        QVERIFY(steps.count() >= 1);
        QCOMPARE(evals.count(), 3); // steps 0, 10, 20
        QCOMPARE(samples.count(), 2);
        QCOMPARE(dashboard.charts()->lossPointCount(), 20);
        QCOMPARE(dashboard.charts()->evalPointCount(), 3);
        QVERIFY(!dashboard.isTraining());
        QVERIFY(QFile::exists(dashboard.runDirectory() + "/model.safetensors"));

        const QString csv = m_dir.filePath("metrics.csv");
        QVERIFY(dashboard.exportMetricsCsv(csv));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().count('\n'), 21); // header + 20 steps
        QVERIFY(dashboard.charts()->savePng(m_dir.filePath("chart.png")));
    }

    void resume_restoresTheRunsHistory()
    {
        QString runDir;
        {
            TrainingDashboard first;
            first.setRunsRoot(m_dir.filePath("runs"));
            first.setSampling(0, QString());
            first.setConfig(tinyConfig(m_data, 20), true, QStringLiteral("history"));
            QSignalSpy finished(&first, &TrainingDashboard::runFinished);
            first.startTraining();
            QVERIFY(arrived(finished, 60000));
            runDir = first.runDirectory();
        }
        TrainingDashboard second;
        QSignalSpy finished(&second, &TrainingDashboard::runFinished);
        second.resumeRun(runDir);
        // metrics.jsonl logs steps 1, 10 and 20 (log_interval 10) and the evaluations at 0, 10, 20.
        QCOMPARE(second.charts()->lossPointCount(), 3);
        QCOMPARE(second.charts()->evalPointCount(), 3);
        QVERIFY(arrived(finished, 60000)); // already at max_iters: saves and finishes at once
    }

    void pause_stopsProgressAndStopSavesALoadableRun()
    {
        TrainingDashboard dashboard;
        dashboard.setRunsRoot(m_dir.filePath("runs"));
        dashboard.setSampling(0, QString());
        dashboard.setConfig(tinyConfig(m_data, 100000), true, QStringLiteral("long"));
        QSignalSpy steps(dashboard.controller()->worker(), &TrainingWorker::stepsReady);
        QSignalSpy paused(dashboard.controller()->worker(), &TrainingWorker::pausedChanged);
        QSignalSpy finished(&dashboard, &TrainingDashboard::runFinished);
        dashboard.startTraining();
        QVERIFY(arrived(steps, 30000));

        dashboard.findChild<QPushButton *>("pauseButton")->click();
        QVERIFY(arrived(paused, 10000));
        QCOMPARE(paused.last().at(0).toBool(), true);
        QTest::qWait(100); // let any batch already in flight arrive
        const int before = dashboard.charts()->lossPointCount();
        QTest::qWait(400);
        QCOMPARE(dashboard.charts()->lossPointCount(), before);

        dashboard.findChild<QPushButton *>("pauseButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(dashboard.charts()->lossPointCount() > before, 10000);

        dashboard.findChild<QPushButton *>("stopButton")->click();
        QVERIFY(arrived(finished, 30000));
        QCOMPARE(finished.first().at(1).toBool(), false);
        QFile state(dashboard.runDirectory() + "/trainer_state.json");
        QVERIFY(state.open(QIODevice::ReadOnly));
        QVERIFY(QJsonDocument::fromJson(state.readAll()).object().value("step").toInt() > before);
        for (const char *file : {"config.yaml", "tokenizer.json", "model.safetensors", "optimizer.safetensors"})
            QVERIFY2(QFile::exists(dashboard.runDirectory() + "/" + file), file);
    }

    // The Processes setting: worker processes through core's launcher, per-rank tokens/s and the all-reduce share
    // on the charts, pause stops the processes, Stop makes them save one checkpoint together.
    void twoProcesses_trainPauseAndStopFromThePage()
    {
        TrainingDashboard dashboard;
        dashboard.setRunsRoot(m_dir.filePath("runs"));
        dashboard.setSampling(0, QString());
        auto *processes = dashboard.findChild<QSpinBox *>("processesSpin");
        QVERIFY(processes);
        if (processes->maximum() < 2)
            QSKIP("one core: the Processes setting stops at 1");
        processes->setValue(2);
        dashboard.setConfig(tinyConfig(m_data, 100000), true, QStringLiteral("ddp"));
        QSignalSpy steps(dashboard.controller()->worker(), &TrainingWorker::stepsReady);
        QSignalSpy paused(dashboard.controller()->worker(), &TrainingWorker::pausedChanged);
        QSignalSpy finished(&dashboard, &TrainingDashboard::runFinished);
        QSignalSpy failed(&dashboard, &TrainingDashboard::runFailed);
        dashboard.startTraining();
        QVERIFY(!processes->isEnabled());
        QVERIFY2(arrived(steps, 60000), qPrintable(failed.isEmpty() ? QString() : failed.first().at(0).toString()));
        QTRY_COMPARE_WITH_TIMEOUT(dashboard.charts()->rankLineCount(), 2, 30000);
        QCOMPARE(dashboard.steps().last().worldSize, 2);
        QCOMPARE(static_cast<int>(dashboard.steps().last().rankTokensPerSecond.size()), 2);
        QVERIFY(dashboard.charts()->lastAllReduceShare() > 0.0 && dashboard.charts()->lastAllReduceShare() < 100.0);

        dashboard.findChild<QPushButton *>("pauseButton")->click();
        QVERIFY(arrived(paused, 10000));
        QTest::qWait(400); // lines written before the processes stopped arrive
        const int before = dashboard.charts()->lossPointCount();
        QTest::qWait(500);
        QCOMPARE(dashboard.charts()->lossPointCount(), before);
        dashboard.findChild<QPushButton *>("pauseButton")->click();
        QTRY_VERIFY_WITH_TIMEOUT(dashboard.charts()->lossPointCount() > before, 10000);

        dashboard.findChild<QPushButton *>("stopButton")->click();
        QVERIFY(arrived(finished, 60000));
        QCOMPARE(finished.first().at(1).toBool(), false);
        QVERIFY(processes->isEnabled());
        QFile state(dashboard.runDirectory() + "/trainer_state.json");
        QVERIFY(state.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(state.readAll()).object();
        QCOMPARE(json.value("world_size").toInt(), 2);
        QVERIFY(json.value("step").toInt() > before);
    }

    void engineError_appearsInBanner()
    {
        TrainingDashboard dashboard;
        dashboard.setRunsRoot(m_dir.filePath("runs"));
        dashboard.setConfig(tinyConfig(m_dir.filePath("missing.txt"), 10), true, QStringLiteral("broken"));
        QSignalSpy failed(dashboard.controller()->worker(), &TrainingWorker::failed);
        dashboard.show();
        dashboard.startTraining();
        QVERIFY(arrived(failed, 30000));
        QTRY_VERIFY(!dashboard.isTraining());
        QVERIFY2(dashboard.bannerText().contains("missing.txt"), qPrintable(dashboard.bannerText()));
        QVERIFY(dashboard.findChild<QPushButton *>("startButton")->isEnabled());
    }

    void configThatCannotFit_isRefusedBeforeStarting()
    {
        TrainingDashboard dashboard;
        dashboard.setRunsRoot(m_dir.filePath("runs"));
        llmf::Config config = tinyConfig(m_data, 10);
        config.model.dim = 1048576;
        config.model.n_heads = 8;
        config.model.n_kv_heads = 8;
        dashboard.setConfig(config, true, QStringLiteral("huge"));
        dashboard.show();
        dashboard.startTraining();
        QVERIFY(!dashboard.isTraining());
        QVERIFY2(dashboard.bannerText().contains("will not fit"), qPrintable(dashboard.bannerText()));
        QVERIFY(dashboard.bannerText().contains("dim"));
        QVERIFY(!QDir(m_dir.filePath("runs")).exists() || QDir(m_dir.filePath("runs")).entryList({"huge-*"}).isEmpty());
    }

    void invalidConfig_disablesStart()
    {
        TrainingDashboard dashboard;
        dashboard.setConfig(tinyConfig(m_data, 10), false, QStringLiteral("bad"));
        QVERIFY(!dashboard.findChild<QPushButton *>("startButton")->isEnabled());
    }

    void destroyingWhileTraining_stopsCleanly()
    {
        QString runDir;
        {
            TrainingDashboard dashboard;
            dashboard.setRunsRoot(m_dir.filePath("runs"));
            dashboard.setSampling(0, QString());
            dashboard.setConfig(tinyConfig(m_data, 100000), true, QStringLiteral("destroyed"));
            QSignalSpy steps(dashboard.controller()->worker(), &TrainingWorker::stepsReady);
            dashboard.startTraining();
            QVERIFY(arrived(steps, 30000));
            runDir = dashboard.runDirectory();
        } // the controller stops the worker (which saves) and joins the thread
        QVERIFY(QFile::exists(runDir + "/trainer_state.json"));
    }
};

QTEST_MAIN(TestTrainingDashboard)
#include "tst_trainingdashboard.moc"
