#include <QtTest>

#include "runfiles.h"

#include <QProcess>
#include <QRegularExpression>

#include <csignal>
#include <memory>

#include <unistd.h>

using namespace runfiles;

namespace {

// Two "hosts" on this machine: network namespaces joined by a veth pair, 169.254.77.1 and .2 (link-local, routed
// nowhere; each namespace has only its loopback and its end of the pair, so no packet of the test can leave them).
// Created by the test and deleted, with their interfaces, when it ends.
class TwoHosts
{
public:
    TwoHosts()
    {
        const QString id = QString::number(::getpid());
        m_a = "llmf-a-" + id;
        m_b = "llmf-b-" + id;
        m_linkA = "llmfa" + id.right(8);
        m_linkB = "llmfb" + id.right(8);
    }
    ~TwoHosts()
    {
        ip({"netns", "del", m_a});
        ip({"netns", "del", m_b});
    }

    // Empty on success, otherwise why (no `ip`, not root, namespaces not allowed here).
    QString create()
    {
        const QList<QStringList> steps{{"netns", "add", m_a},
                                       {"netns", "add", m_b},
                                       {"link", "add", m_linkA, "type", "veth", "peer", "name", m_linkB},
                                       {"link", "set", m_linkA, "netns", m_a},
                                       {"link", "set", m_linkB, "netns", m_b},
                                       {"-n", m_a, "addr", "add", "169.254.77.1/24", "dev", m_linkA},
                                       {"-n", m_b, "addr", "add", "169.254.77.2/24", "dev", m_linkB},
                                       {"-n", m_a, "link", "set", "lo", "up"},
                                       {"-n", m_b, "link", "set", "lo", "up"},
                                       {"-n", m_a, "link", "set", m_linkA, "up"},
                                       {"-n", m_b, "link", "set", m_linkB, "up"}};
        for (const QStringList &step : steps)
            if (const QString error = ip(step); !error.isNull())
                return "ip " + step.join(' ') + ": " + error;
        return {};
    }
    QString setLink(bool up) { return ip({"-n", m_a, "link", "set", m_linkA, up ? "up" : "down"}); }

    QString hostA() const { return m_a; }
    QString hostB() const { return m_b; }

private:
    // Null on success, otherwise the error text.
    static QString ip(const QStringList &args)
    {
        QProcess p;
        p.start("ip", args);
        if (!p.waitForFinished(10000)) {
            p.kill();
            p.waitForFinished(2000);
            return "timed out";
        }
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            return QString::fromUtf8(p.readAllStandardError()).trimmed() + " ";
        return {};
    }

    QString m_a, m_b, m_linkA, m_linkB;
};

} // namespace

// Two machines, for real, on one: one `llmf train` node per network namespace (--nnodes 2 --node-rank K
// --master-addr <node 0's address>), Gloo and the c10d store over the veth link. A 2-node run equals one process with
// grad_accum_steps 2; a node whose worker is killed, or whose link is cut, ends the other node within the bounded
// wait; --resume then continues exactly. Every process and namespace the test makes is reaped.
class TestTwoHosts : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<TwoHosts> m_hosts;
    int m_port = 29611;

    static QString cacheDir()
    {
        static QTemporaryDir dir;
        return dir.path();
    }

    static QProcessEnvironment environment()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("LLMF_CACHE_DIR", cacheDir());
        for (const char *name : {"RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT",
                                 "LLMF_DIST_TIMEOUT_S", "GLOO_SOCKET_IFNAME", "TORCHELASTIC_USE_AGENT_STORE"})
            env.remove(name);
        return env;
    }

    QString config(int maxIters, int accum, int checkpointInterval = 0)
    {
        return writeTinyConfig(m_dir.path(), maxIters, accum, checkpointInterval, 50, 2);
    }

    // Node `rank` of 2 in its namespace; the run directory is shared, as on a cluster's shared file system (rank 0
    // alone writes it).
    // A fresh rendezvous port for every pair of nodes: the last pair's store port may still be in TIME_WAIT.
    int nextPort() { return ++m_port; }

    std::unique_ptr<QProcess> startNode(int rank, const QStringList &trainArgs, int port)
    {
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(environment());
        QStringList args{"netns", "exec", rank == 0 ? m_hosts->hostA() : m_hosts->hostB(),
                         QStringLiteral(LLMF_CLI_PATH), "train"};
        args << trainArgs << "--nproc-per-node"
             << "1"
             << "--nnodes"
             << "2"
             << "--node-rank" << QString::number(rank) << "--master-addr"
             << "169.254.77.1"
             << "--master-port" << QString::number(port) << "--rendezvous-timeout"
             << "8";
        p->start("ip", args);
        return p;
    }

    struct Finished
    {
        int code = -1;
        QString err;
    };
    static Finished finish(QProcess &p, int timeoutMs)
    {
        Finished f;
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished(5000);
            f.code = -3;
        } else {
            f.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        }
        f.err = QString::fromUtf8(p.readAllStandardError());
        return f;
    }

    // Both nodes to their end (bounded).
    QVector<Finished> runBoth(const QStringList &trainArgs)
    {
        const int port = nextPort();
        auto a = startNode(0, trainArgs, port), b = startNode(1, trainArgs, port);
        return {finish(*a, 180000), finish(*b, 180000)};
    }

    static Finished runLocal(const QStringList &args)
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(LLMF_CLI_PATH), args);
        return finish(p, 180000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_port = 20000 + static_cast<int>(::getpid() % 20000);
        m_hosts = std::make_unique<TwoHosts>();
        if (const QString why = m_hosts->create(); !why.isEmpty()) {
            m_hosts.reset();
            QSKIP(qPrintable("network namespaces are not available here (" + why + ")"));
        }
    }
    void cleanupTestCase() { m_hosts.reset(); }

    void twoNodes_equalOneProcessWithAccumulation()
    {
        const QString two = m_dir.filePath("two-nodes"), one = m_dir.filePath("one");
        const auto nodes = runBoth({"--config", config(12, 1, 0), "--out", two});
        QVERIFY2(nodes[0].code == 0, qPrintable(nodes[0].err));
        QVERIFY2(nodes[1].code == 0, qPrintable(nodes[1].err));
        const Finished local = runLocal({"train", "--config", config(12, 2, 0), "--out", one});
        QVERIFY2(local.code == 0, qPrintable(local.err));

        const auto a = stepLosses(two), b = stepLosses(one);
        QCOMPARE(a.size(), 12);
        for (int step : b.keys())
            QVERIFY2(std::abs(a[step] - b[step]) <= 1e-5 * std::abs(b[step]), qPrintable(QString::number(step)));
        const double diff = relativeDifference(weights(two), weights(one));
        QVERIFY2(diff <= 1e-5, qPrintable(QString::number(diff)));
        const QJsonObject last = lastStep(two);
        QCOMPARE(last.value("world_size").toInt(), 2);
        qInfo("all-reduce per step across the veth link: %.3f ms (step %.3f ms)",
              last.value("allreduce_s").toDouble() * 1e3, last.value("step_s").toDouble() * 1e3);
    }

    // kill -9 of node 1's worker: node 0 ends within the bounded wait, the last checkpoint is whole, and a resume on
    // both nodes ends where an uninterrupted run ends.
    void remoteWorkerKilled_otherNodeEndsAndResumeIsExact()
    {
        const int steps = 120;
        const QString cfg = config(steps, 1, 10);
        const QString reference = m_dir.filePath("reference"), run = m_dir.filePath("killed");
        const auto ref = runBoth({"--config", cfg, "--out", reference});
        QVERIFY2(ref[0].code == 0 && ref[1].code == 0, qPrintable(ref[0].err + ref[1].err));

        const int port = nextPort();
        auto a = startNode(0, {"--config", cfg, "--out", run}, port);
        auto b = startNode(1, {"--config", cfg, "--out", run}, port);
        QString errB;
        qint64 worker = 0;
        QElapsedTimer wait;
        wait.start();
        while ((worker == 0 || !QFile::exists(run + "/trainer_state.json")) && wait.elapsed() < 60000) {
            b->waitForReadyRead(10);
            errB += QString::fromUtf8(b->readAllStandardError());
            const auto match = QRegularExpression("rank 1: pid (\\d+)").match(errB);
            if (match.hasMatch())
                worker = match.captured(1).toLongLong();
        }
        QVERIFY2(worker > 0 && !a->waitForFinished(0), qPrintable(errB + QString::fromUtf8(a->readAllStandardError())));
        QCOMPARE(::kill(static_cast<pid_t>(worker), SIGKILL), 0);
        QElapsedTimer timer;
        timer.start();
        const Finished nodeA = finish(*a, 60000), nodeB = finish(*b, 60000);
        qInfo("node 0 ended %lld ms after node 1's worker was killed: %s", timer.elapsed(),
              qPrintable(nodeA.err.section("error:", -1).trimmed().left(300)));
        QVERIFY(nodeA.code != 0 && nodeA.code != -3);
        QVERIFY2(nodeA.err.contains("lost the other workers"), qPrintable(nodeA.err));
        QVERIFY2(nodeA.err.contains("--resume " + run +
                                    " --nproc-per-node 1 --nnodes 2 --node-rank 0 --master-addr "
                                    "169.254.77.1"),
                 qPrintable(nodeA.err)); // the resume command names this node's own options
        QVERIFY2((errB + nodeB.err).contains("rank 1") && (errB + nodeB.err).contains("signal 9"),
                 qPrintable(errB + nodeB.err));

        const auto resumed = runBoth({"--resume", run});
        QVERIFY2(resumed[0].code == 0 && resumed[1].code == 0, qPrintable(resumed[0].err + resumed[1].err));
        QCOMPARE(stepLosses(run), stepLosses(reference));
        QCOMPARE(relativeDifference(weights(run), weights(reference)), 0.0);
    }

    // The link cut mid-run (no reset, no packet: only the timeout can tell): both nodes give up within the bounded
    // wait (8 s here), and with the link back a resume ends where an uninterrupted run ends.
    void linkCut_bothNodesEndWithinTheTimeoutAndResumeIsExact()
    {
        const int steps = 120;
        const QString cfg = config(steps, 1, 10);
        const QString reference = m_dir.filePath("reference-link"), run = m_dir.filePath("cut");
        const auto ref = runBoth({"--config", cfg, "--out", reference});
        QVERIFY2(ref[0].code == 0 && ref[1].code == 0, qPrintable(ref[0].err + ref[1].err));

        const int port = nextPort();
        auto a = startNode(0, {"--config", cfg, "--out", run}, port);
        auto b = startNode(1, {"--config", cfg, "--out", run}, port);
        QElapsedTimer wait;
        wait.start();
        while (!QFile::exists(run + "/trainer_state.json") && wait.elapsed() < 60000)
            QThread::msleep(10);
        QVERIFY2(!a->waitForFinished(0), qPrintable(QString::fromUtf8(a->readAllStandardError())));
        QVERIFY(m_hosts->setLink(false).isNull());
        QElapsedTimer timer;
        timer.start();
        const Finished nodeA = finish(*a, 90000), nodeB = finish(*b, 90000);
        const qint64 ms = timer.elapsed();
        QVERIFY(m_hosts->setLink(true).isNull());
        qInfo("both nodes ended %lld ms after the link was cut: %s", ms,
              qPrintable(nodeA.err.section("error:", -1).trimmed().left(300)));
        QVERIFY2(nodeA.code != 0 && nodeA.code != -3 && nodeB.code != 0 && nodeB.code != -3,
                 qPrintable(nodeA.err + nodeB.err));
        QVERIFY2(ms < 60000, "bounded by the 8 s rendezvous timeout and the launchers' grace");

        const auto resumed = runBoth({"--resume", run});
        QVERIFY2(resumed[0].code == 0 && resumed[1].code == 0, qPrintable(resumed[0].err + resumed[1].err));
        QCOMPARE(stepLosses(run), stepLosses(reference));
        QCOMPARE(relativeDifference(weights(run), weights(reference)), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestTwoHosts)
#include "tst_twohosts.moc"
