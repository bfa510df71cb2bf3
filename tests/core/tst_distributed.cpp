#include <QtTest>

#include "runfiles.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <csignal>

namespace {

// A socket listening on 127.0.0.1 (a port someone else uses), without Qt Network: its define would make this
// test unable to share the plain tests' precompiled header.
class ListeningSocket
{
public:
    ListeningSocket()
    {
        m_fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (m_fd < 0 || bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
            listen(m_fd, 4) != 0 || getsockname(m_fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
            return;
        m_port = ntohs(address.sin_port);
    }
    ~ListeningSocket() { close(); }
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }
    quint16 port() const { return m_port; }

private:
    int m_fd = -1;
    quint16 m_port = 0;
};

} // namespace

// Data-parallel training through the real `llmf` executable and real worker processes on 127.0.0.1: the launcher,
// c10d's TCPStore and Gloo, failures. Every process is started by the test and reaped before it returns.
using namespace runfiles;

class TestDistributed : public QObject
{
    Q_OBJECT

    struct Result
    {
        int code = -1;
        QString out;
        QString err;
    };

    QTemporaryDir m_dir;

    static QProcessEnvironment environment()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("LLMF_CACHE_DIR", cacheDir());
        env.insert("LLMF_DIST_TIMEOUT_S", "60");
        for (const char *name : {"RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"})
            env.remove(name);
        return env;
    }

    static Result finish(QProcess &p, int timeoutMs)
    {
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished(5000);
            return {-3, QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

    static Result llmf(const QStringList &args, const QProcessEnvironment &env = environment(), int timeoutMs = 180000)
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(LLMF_CLI_PATH), args);
        return finish(p, timeoutMs);
    }

    static QString cacheDir()
    {
        static QTemporaryDir dir;
        return dir.path();
    }

    QString config(int maxIters, int accum, int checkpointInterval = 0)
    {
        return writeTinyConfig(m_dir.path(), maxIters, accum, checkpointInterval, 5, 4);
    }

    static bool waitFor(const std::function<bool()> &condition, int timeoutMs)
    {
        QElapsedTimer timer;
        timer.start();
        while (!condition()) {
            if (timer.elapsed() > timeoutMs)
                return false;
            QThread::msleep(10);
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // The issue's equivalence: world size 2 with batch B against world size 1 with grad_accum_steps 2 drawing the
    // same batches (data stream s = rank x grad_accum_steps + micro-batch): losses and weights agree.
    void twoProcesses_matchOneProcessWithAccumulation()
    {
        const QString two = m_dir.filePath("two"), one = m_dir.filePath("one");
        const Result a = llmf({"train", "--config", config(10, 1), "--out", two, "--nproc-per-node", "2"});
        QVERIFY2(a.code == 0, qPrintable(a.err));
        QVERIFY2(a.err.contains("rank 1: pid"), qPrintable(a.err));
        const Result b = llmf({"train", "--config", config(10, 2), "--out", one});
        QVERIFY2(b.code == 0, qPrintable(b.err));

        const auto lossesTwo = stepLosses(two), lossesOne = stepLosses(one);
        QCOMPARE(lossesTwo.size(), 10);
        QCOMPARE(lossesTwo.keys(), lossesOne.keys());
        for (int step : lossesOne.keys())
            QVERIFY2(std::abs(lossesTwo[step] - lossesOne[step]) <= 1e-5 * std::abs(lossesOne[step]),
                     qPrintable(QString("step %1: %2 vs %3").arg(step).arg(lossesTwo[step]).arg(lossesOne[step])));
        const double weightsDiff = relativeDifference(weights(two), weights(one));
        QVERIFY2(weightsDiff <= 1e-5, qPrintable(QString::number(weightsDiff)));

        // What the dashboard charts: both ranks' tokens/s and the all-reduce time, from rank 0's metrics.
        const QJsonObject last = lastStep(two);
        QCOMPARE(last.value("world_size").toInt(), 2);
        QCOMPARE(last.value("rank_tokens_per_s").toArray().size(), 2);
        QVERIFY(last.value("rank_tokens_per_s").toArray().at(1).toDouble() > 0);
        QVERIFY(last.value("allreduce_s").toDouble() > 0);
        QVERIFY(!QFile::exists(two + "/rank1")); // rank 0 alone writes
        QFile state(two + "/trainer_state.json");
        QVERIFY(state.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(state.readAll()).object();
        QCOMPARE(json.value("world_size").toInt(), 2);
        QCOMPARE(json.value("sampler_rngs").toArray().size(), 2);
        QCOMPARE(json.value("rank_cpu_rngs").toArray().size(), 1);
    }

    // kill -9 of a worker: the launcher stops the other, exits non-zero within 30 s naming the rank; the last
    // checkpoint is whole and a resume with 2 processes ends exactly where an uninterrupted run ends.
    void killedWorker_isNamedAndResumeIsExact()
    {
        const int steps = 400;
        const QString cfg = config(steps, 1, 20);
        const QString reference = m_dir.filePath("reference"), killed = m_dir.filePath("killed");
        const Result ref = llmf({"train", "--config", cfg, "--out", reference, "--nproc-per-node", "2"});
        QVERIFY2(ref.code == 0, qPrintable(ref.err));

        QProcess launcher;
        launcher.setProcessEnvironment(environment());
        launcher.start(QStringLiteral(LLMF_CLI_PATH),
                       {"train", "--config", cfg, "--out", killed, "--nproc-per-node", "2"});
        QVERIFY(launcher.waitForStarted(10000));
        QString err;
        qint64 rank1 = 0;
        QVERIFY(waitFor(
            [&] {
                launcher.waitForReadyRead(10);
                err += QString::fromUtf8(launcher.readAllStandardError());
                const auto match = QRegularExpression("rank 1: pid (\\d+)").match(err);
                if (match.hasMatch())
                    rank1 = match.captured(1).toLongLong();
                return rank1 > 0 && QFile::exists(killed + "/trainer_state.json");
            },
            60000));
        QVERIFY2(launcher.state() == QProcess::Running, "the run ended before a worker could be killed");
        QCOMPARE(::kill(static_cast<pid_t>(rank1), SIGKILL), 0);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(launcher.waitForFinished(30000));
        QVERIFY(timer.elapsed() < 30000);
        err += QString::fromUtf8(launcher.readAllStandardError());
        QVERIFY(launcher.exitCode() != 0);
        QVERIFY2(err.contains("error: Distributed training failed: rank 1") && err.contains("signal 9"),
                 qPrintable(err));
        QVERIFY2(err.contains("--resume " + killed), qPrintable(err));
        QVERIFY(!err.contains("frame #"));

        const Result resumed = llmf({"train", "--resume", killed, "--nproc-per-node", "2"});
        QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
        QVERIFY(resumed.err.contains("Resuming"));
        const auto a = stepLosses(killed), b = stepLosses(reference);
        QCOMPARE(a.size(), steps);
        QCOMPARE(a, b); // bit for bit: same batches per rank, same all-reduce
        QCOMPARE(relativeDifference(weights(killed), weights(reference)), 0.0);

        // Another process count with the same processes x grad_accum_steps continues the same batches;
        // a different product is refused with the way out.
        const Result wrong =
            llmf({"train", "--resume", killed, "--set", "training.max_iters=" + QString::number(steps + 5)});
        QCOMPARE(wrong.code, 1);
        QVERIFY2(wrong.err.contains("trained with 2 process(es)") && wrong.err.contains("grad_accum_steps=2"),
                 qPrintable(wrong.err));
        const Result accumulated =
            llmf({"train", "--resume", killed, "--set", "training.max_iters=" + QString::number(steps + 5), "--set",
                  "training.grad_accum_steps=2"});
        QVERIFY2(accumulated.code == 0, qPrintable(accumulated.err));
        QCOMPARE(stepLosses(killed).size(), steps + 5);
    }

    // Workers started by hand (as a scheduler would) with different --set: one clear line naming the key.
    void mismatchedConfigs_areRefusedWithTheKey()
    {
        ListeningSocket probe;
        QVERIFY(probe.port() > 0);
        const QString port = QString::number(probe.port());
        probe.close();
        QProcess workers[2];
        for (int rank = 0; rank < 2; ++rank) {
            QProcessEnvironment env = environment();
            env.insert("RANK", QString::number(rank));
            env.insert("WORLD_SIZE", "2");
            env.insert("MASTER_ADDR", "127.0.0.1");
            env.insert("MASTER_PORT", port);
            workers[rank].setProcessEnvironment(env);
            QStringList args{"train", "--config", config(5, 1), "--out", m_dir.filePath("mismatch")};
            if (rank == 1)
                args << "--set"
                     << "training.learning_rate=0.01";
            workers[rank].start(QStringLiteral(LLMF_CLI_PATH), args);
        }
        const Result r0 = finish(workers[0], 60000), r1 = finish(workers[1], 60000);
        QCOMPARE(r0.code, 1);
        QCOMPARE(r1.code, 1);
        QVERIFY2(r1.err.contains("error: [rank 1] Rank 1's configuration differs from rank 0's: "
                                 "training.learning_rate (0.01 on rank 1, 0.003 on rank 0)"),
                 qPrintable(r1.err));
        QVERIFY(!r1.err.contains("frame #"));
        QVERIFY(!QFile::exists(m_dir.filePath("mismatch") + "/trainer_state.json"));
    }

    void portInUse_andUnreachableMaster_areOneLine()
    {
        ListeningSocket busy;
        QVERIFY(busy.port() > 0);
        const Result r = llmf({"train", "--config", config(5, 1), "--out", m_dir.filePath("busy"), "--nproc-per-node",
                               "2", "--master-port", QString::number(busy.port())});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QString("Port %1 on 127.0.0.1 is in use").arg(busy.port())), qPrintable(r.err));
        QVERIFY2(r.err.contains("error: Distributed training failed: rank 0"), qPrintable(r.err));

        const quint16 freedPort = busy.port();
        busy.close();
        QProcessEnvironment env = environment();
        env.insert("RANK", "1");
        env.insert("WORLD_SIZE", "2");
        env.insert("MASTER_ADDR", "127.0.0.1");
        env.insert("MASTER_PORT", QString::number(freedPort));
        env.insert("LLMF_RENDEZVOUS_TIMEOUT_S", "2");
        const Result lonely = llmf({"train", "--config", config(5, 1), "--out", m_dir.filePath("lonely")}, env, 60000);
        QCOMPARE(lonely.code, 1);
        QVERIFY2(lonely.err.contains("could not reach the master at 127.0.0.1:"), qPrintable(lonely.err));
        QCOMPARE(lonely.err.count('\n'), 2); // error: and hint:, no backtrace
    }

    void badEnvironment_namesTheVariable()
    {
        QProcessEnvironment env = environment();
        env.insert("WORLD_SIZE", "2");
        env.insert("RANK", "5");
        env.insert("MASTER_PORT", "29500");
        const Result r = llmf({"train", "--config", config(5, 1), "--out", m_dir.filePath("env")}, env);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("RANK is '5'; allowed: a whole number from 0 to 1"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "tst_distributed.moc"
