#include <QtTest>

#include "llmf/common/threadtuner.h"

using namespace llmf;

// The tuner's decisions on scripted step times: what a 2-core machine does when a busy process comes and goes.
class TestThreadTuner : public QObject
{
    Q_OBJECT

    // Feeds `units` steps whose duration depends on the thread count the tuner asks for.
    template <typename Speed> static void run(ThreadTuner &tuner, int units, Speed secondsAt)
    {
        for (int i = 0; i < units; ++i)
            tuner.record(secondsAt(tuner.threads()));
    }

private Q_SLOTS:
    void startsWithAllThreads()
    {
        ThreadTuner tuner(2);
        QCOMPARE(tuner.threads(), 2);
        QCOMPARE(tuner.settled(), 2);
    }

    void idleMachine_staysAtAllThreads()
    {
        ThreadTuner tuner(2, 40, 4.0);
        // Idle: 2 threads 0.10 s a step, 1 thread 0.18 s, with ±2 % jitter.
        int explorations = 0;
        for (int i = 0; i < 400; ++i) {
            const int t = tuner.threads();
            if (t == 1)
                ++explorations;
            tuner.record((t == 2 ? 0.10 : 0.18) * (1.0 + 0.02 * ((i * 7) % 5 - 2) / 2.0));
        }
        QCOMPARE(tuner.settled(), 2);
        // It looks now and then (that is how it notices a load going away) but rarely: under 3 % of the steps.
        QVERIFY2(explorations >= 1 && explorations <= 12, qPrintable(QString::number(explorations)));
    }

    void busyFromTheStart_settlesOnFewerThreads()
    {
        ThreadTuner tuner(2);
        // Loaded: 2 threads spin at barriers (0.80 s), 1 thread keeps its core (0.20 s).
        run(tuner, 10, [](int t) { return t == 2 ? 0.80 : 0.20; });
        QCOMPARE(tuner.settled(), 1);
    }

    void loadComesAndGoes_followsIt()
    {
        ThreadTuner tuner(2, 40, 4.0);
        run(tuner, 50, [](int t) { return t == 2 ? 0.10 : 0.18; }); // idle
        QCOMPARE(tuner.settled(), 2);
        run(tuner, 5, [](int t) { return t == 2 ? 0.80 : 0.20; }); // a busy process starts
        QCOMPARE(tuner.settled(), 1);
        run(tuner, 100, [](int t) { return t == 2 ? 0.10 : 0.18; }); // it ends: back to both cores
        QCOMPARE(tuner.settled(), 2);
    }

    void oneSlowStep_isNotALoad()
    {
        ThreadTuner tuner(2, 40, 4.0);
        run(tuner, 20, [](int t) { return t == 2 ? 0.10 : 0.18; });
        tuner.record(0.5);            // one hiccup
        QCOMPARE(tuner.threads(), 2); // not even a look
        run(tuner, 5, [](int t) { return t == 2 ? 0.10 : 0.18; });
        QCOMPARE(tuner.settled(), 2);
    }

    void singleCore_neverChanges()
    {
        ThreadTuner tuner(1);
        run(tuner, 100, [](int) { return 0.1; });
        QCOMPARE(tuner.threads(), 1);
    }

    void environment_fixedCountDisablesTuning()
    {
        qputenv("LLMF_NUM_THREADS", "2");
        QVERIFY(!ThreadTuner::enabledByEnvironment());
        qunsetenv("LLMF_NUM_THREADS");
        qputenv("LLMF_ADAPTIVE_THREADS", "0");
        QVERIFY(!ThreadTuner::enabledByEnvironment());
        qunsetenv("LLMF_ADAPTIVE_THREADS");
        QVERIFY(ThreadTuner::enabledByEnvironment());
    }
};

QTEST_GUILESS_MAIN(TestThreadTuner)
#include "tst_threadtuner.moc"
