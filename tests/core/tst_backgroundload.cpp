#include <QtTest>

#include "llmf/bench/backgroundload.h"

#include <cerrno>
#include <sys/wait.h>

using namespace llmf;

// The benchmark's busy processes: they run, they burn CPU, and nothing is left behind.
class TestBackgroundLoad : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsBusyChildrenAndReapsThem()
    {
        std::vector<pid_t> children;
        {
            BackgroundLoad load(2, 30.0);
            QCOMPARE(load.processes(), 2);
            // A moment later they still run: waitpid(WNOHANG) on our children reports none that exited.
            QTest::qWait(200);
            QCOMPARE(waitpid(-1, nullptr, WNOHANG), 0);
        }
        // The destructor reaped them: no child of ours is left.
        QCOMPARE(waitpid(-1, nullptr, WNOHANG), -1);
        QCOMPARE(errno, ECHILD);
    }

    void childrenStopByThemselves()
    {
        BackgroundLoad load(1, 0.2);
        QElapsedTimer timer;
        timer.start();
        // Wait for the child to exit on its own deadline (bounded: 10 s).
        int status = 0;
        pid_t done = 0;
        while (done == 0 && timer.elapsed() < 10000) {
            done = waitpid(-1, &status, WNOHANG);
            QTest::qWait(20);
        }
        QVERIFY(done > 0);
        QVERIFY(WIFEXITED(status));
        QVERIFY(timer.elapsed() < 5000);
        load.stop(); // reaping an already reaped child is harmless
    }

    void noLoad_startsNothing()
    {
        BackgroundLoad load(0, 1.0);
        QCOMPARE(load.processes(), 0);
    }
};

QTEST_GUILESS_MAIN(TestBackgroundLoad)
#include "tst_backgroundload.moc"
