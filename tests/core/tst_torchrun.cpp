#include <QtTest>

#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <memory>

// torchrun's contract, emulated exactly: its agent hosts the c10d TCPStore on MASTER_ADDR:MASTER_PORT and starts the
// workers with TORCHELASTIC_USE_AGENT_STORE=True and the rest of its environment. Here the test is the agent: it
// hosts the store itself and starts real `llmf train` workers, which must connect to it as clients (rank 0
// included), keep their keys under the run id, and give up within the rendezvous timeout, naming what they waited
// for. Every process is started by the test and reaped before it returns.
class TestTorchrun : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    struct Result
    {
        int code = -1;
        QString err;
        qint64 ms = 0;
    };

    static QString cacheDir()
    {
        static QTemporaryDir dir;
        return dir.path();
    }

    QString config()
    {
        const QString path = m_dir.filePath("tiny.yaml");
        QFile f(path);
        if (!f.exists() && f.open(QIODevice::WriteOnly))
            f.write("model:\n  dim: 64\n  n_layers: 2\n  n_heads: 4\n  n_kv_heads: 2\n  vocab_size: 300\n"
                    "  max_seq_len: 32\n  dropout: 0.0\n"
                    "training:\n  batch_size: 4\n  learning_rate: 0.003\n  max_iters: 6\n  warmup_iters: 2\n"
                    "  eval_interval: 3\n  eval_iters: 2\n  log_interval: 1\n  checkpoint_interval: 0\n"
                    "  keep_checkpoints: 0\n  seed: 7\n"
                    "data:\n  corpus: fallback\n");
        return path;
    }

    // torchrun's environment for worker `rank` of `world` on one node.
    static QProcessEnvironment torchrunEnvironment(int rank, int world, int port, const QString &runId)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("LLMF_CACHE_DIR", cacheDir());
        env.insert("RANK", QString::number(rank));
        env.insert("LOCAL_RANK", QString::number(rank));
        env.insert("GROUP_RANK", "0");
        env.insert("ROLE_RANK", QString::number(rank));
        env.insert("ROLE_NAME", "default");
        env.insert("WORLD_SIZE", QString::number(world));
        env.insert("LOCAL_WORLD_SIZE", QString::number(world));
        env.insert("ROLE_WORLD_SIZE", QString::number(world));
        env.insert("GROUP_WORLD_SIZE", "1");
        env.insert("MASTER_ADDR", "127.0.0.1");
        env.insert("MASTER_PORT", QString::number(port));
        env.insert("TORCHELASTIC_USE_AGENT_STORE", "True");
        env.insert("TORCHELASTIC_RUN_ID", runId);
        env.insert("TORCHELASTIC_RESTART_COUNT", "0");
        env.insert("TORCHELASTIC_MAX_RESTARTS", "0");
        return env;
    }

    static std::unique_ptr<c10d::TCPStore> hostStore()
    {
        c10d::TCPStoreOptions options;
        options.port = 0; // a free one
        options.isServer = true;
        options.waitWorkers = false;
        options.timeout = std::chrono::seconds(30);
        return std::make_unique<c10d::TCPStore>("127.0.0.1", options);
    }

    // Starts the ranks in `ranks` of a `world`-rank job, waits for all of them (bounded) and returns each result.
    QVector<Result> runJob(int port, const QString &runId, const QString &out, const QVector<int> &ranks, int world,
                           const QString &rendezvousTimeout = QString(), const std::function<void()> &meanwhile = {})
    {
        std::vector<std::unique_ptr<QProcess>> workers;
        QElapsedTimer timer;
        timer.start();
        for (int rank : ranks) {
            auto p = std::make_unique<QProcess>();
            QProcessEnvironment env = torchrunEnvironment(rank, world, port, runId);
            if (!rendezvousTimeout.isEmpty())
                env.insert("LLMF_RENDEZVOUS_TIMEOUT_S", rendezvousTimeout);
            p->setProcessEnvironment(env);
            p->start(QStringLiteral(LLMF_CLI_PATH), {"train", "--config", config(), "--out", out});
            workers.push_back(std::move(p));
        }
        if (meanwhile)
            meanwhile();
        QVector<Result> results;
        for (auto &p : workers) {
            Result r;
            if (!p->waitForFinished(120000)) {
                p->kill();
                p->waitForFinished(5000);
                r.code = -3;
            } else {
                r.code = p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -2;
            }
            r.err = QString::fromUtf8(p->readAllStandardError());
            r.ms = timer.elapsed();
            results.push_back(r);
        }
        return results;
    }

    static int worldSizeOf(const QString &runDir)
    {
        QFile f(runDir + "/trainer_state.json");
        if (!f.open(QIODevice::ReadOnly))
            return 0;
        return QJsonDocument::fromJson(f.readAll()).object().value("world_size").toInt();
    }

private Q_SLOTS:
    // Two workers under the agent's store train, and the run records world size 2. A second job in the same store
    // (another run id, as a restarted job gets) trains too: its keys never meet the first job's.
    void agentStore_workersConnectAsClientsAndTrain()
    {
        auto store = hostStore();
        const int port = store->getPort();
        for (const QString &runId : {QString("job-a"), QString("job-b")}) {
            const QString out = m_dir.filePath(runId);
            const auto results = runJob(port, runId, out, {0, 1}, 2);
            for (const Result &r : results)
                QVERIFY2(r.code == 0, qPrintable(runId + ": " + r.err));
            QCOMPARE(worldSizeOf(out), 2);
        }
        QVERIFY(store->check({"llmf/job-a/joined/1"}));
        QVERIFY(store->check({"llmf/job-b/joined/1"}));
    }

    // A rank whose peer never starts gives up within the rendezvous timeout, naming the missing rank.
    void agentStore_missingRank_isNamedWithinTheTimeout()
    {
        auto store = hostStore();
        const auto results = runJob(store->getPort(), "lonely", m_dir.filePath("lonely"), {0}, 2, "3");
        QCOMPARE(results.size(), 1);
        const Result &r = results.front();
        qInfo("rank 0 alone gave up after %lld ms: %s", r.ms, qPrintable(r.err.trimmed()));
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("rank 1 of 2 never joined"), qPrintable(r.err));
        QVERIFY2(r.ms < 30000, "bounded by the 3 s rendezvous timeout (plus start-up)");
        QVERIFY(!r.err.contains("frame #"));
    }

    // The store going away while a rank waits for its peer: it says so instead of waiting for the timeout.
    void agentStore_storeThatCloses_isNamed()
    {
        auto store = hostStore();
        const int port = store->getPort();
        const auto results = runJob(port, "closing", m_dir.filePath("closing"), {0}, 2, "60", [&] {
            QTest::qWait(4000); // rank 0 is up and waiting for rank 1 in the store
            store.reset();
        });
        const Result &r = results.front();
        qInfo("rank 0 noticed the closed store after %lld ms: %s", r.ms, qPrintable(r.err.trimmed()));
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QString("the store at 127.0.0.1:%1 closed").arg(port)), qPrintable(r.err));
        QVERIFY2(r.ms < 40000, "well before the 60 s timeout");
    }

    // Without the agent's store, rank 0 hosting on a port the agent holds is the one clear line it always was, and
    // now says what to set.
    void withoutAgentStore_portOfTheAgent_isExplained()
    {
        auto store = hostStore();
        QProcess p;
        QProcessEnvironment env = torchrunEnvironment(0, 2, store->getPort(), "noagent");
        env.remove("TORCHELASTIC_USE_AGENT_STORE");
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(LLMF_CLI_PATH), {"train", "--config", config(), "--out", m_dir.filePath("noagent")});
        QVERIFY(p.waitForFinished(60000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(err.contains("is in use") && err.contains("TORCHELASTIC_USE_AGENT_STORE=True"), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestTorchrun)
#include "tst_torchrun.moc"
