#include <QtTest>

#include "llmf/train/lrschedule.h"

using namespace llmf;

class TestLrSchedule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void warmupThenCosine_valuesAtChosenSteps()
    {
        TrainConfig t;
        t.learning_rate = 1e-3;
        t.min_lr = 1e-4;
        t.warmup_iters = 10;
        t.max_iters = 110;
        QCOMPARE(learningRateAt(t, 0), 1e-4); // 1/10 of the peak
        QCOMPARE(learningRateAt(t, 4), 5e-4);
        QCOMPARE(learningRateAt(t, 9), 1e-3);                  // warmup reaches the peak
        QCOMPARE(learningRateAt(t, 10), 1e-3);                 // cosine starts at the peak
        QVERIFY(qAbs(learningRateAt(t, 60) - 5.5e-4) < 1e-12); // half way: (lr + min_lr) / 2
        QVERIFY(qAbs(learningRateAt(t, 110) - 1e-4) < 1e-12);
        QCOMPARE(learningRateAt(t, 500), 1e-4); // after the end: the floor
    }

    void cosine_isMonotoneDecreasing()
    {
        TrainConfig t;
        t.warmup_iters = 5;
        t.max_iters = 100;
        for (int64_t s = 6; s <= 100; ++s)
            QVERIFY(learningRateAt(t, s) <= learningRateAt(t, s - 1));
    }

    void noWarmup_startsAtPeak()
    {
        TrainConfig t;
        t.warmup_iters = 0;
        t.max_iters = 50;
        QCOMPARE(learningRateAt(t, 0), t.learning_rate);
    }
};

QTEST_GUILESS_MAIN(TestLrSchedule)
#include "tst_lrschedule.moc"
