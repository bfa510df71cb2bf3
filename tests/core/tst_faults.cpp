#include <QtTest>

#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QStandardPaths>

#include "llmf/common/atomicfile.h"

#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

// Faults injected into the real `llmf` executable (docs/reliability.md): killed with SIGKILL at random moments, two
// trainings on one run directory, a run from a newer format, its training text changed before a resume.
class TestFaults : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_text;
    QByteArray m_reference;   // model.safetensors of the uninterrupted run
    qint64 m_startupMs = 0;   // until the uninterrupted run wrote its first metrics line (data and model ready)
    qint64 m_referenceMs = 0; // until it exited

    struct Result
    {
        int code = -1;
        QString err;
    };

    static QProcessEnvironment environment()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // One fixed thread count: the resumed weights are compared bit for bit with the uninterrupted run's.
        env.insert("LLMF_NUM_THREADS", "1");
        env.insert("OMP_NUM_THREADS", "1");
        return env;
    }

    // A model small enough that a whole run takes about a second, checkpointing (and writing a weight snapshot)
    // every second step and evaluating every third, so random kills land in every phase.
    QStringList trainArgs(const QString &out) const
    {
        QStringList args{"train", "--data", m_text, "--out", out};
        for (const char *set : {"model.dim=16", "model.n_layers=1", "model.n_heads=2", "model.n_kv_heads=1",
                                "model.vocab_size=300", "model.max_seq_len=16", "training.batch_size=4",
                                "training.max_iters=24", "training.warmup_iters=2", "training.checkpoint_interval=2",
                                "training.eval_interval=3", "training.eval_iters=2", "training.keep_checkpoints=3"})
            args << "--set" << set;
        return args;
    }

    static Result llmf(const QStringList &args)
    {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(LLMF_CLI_PATH), args);
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished(5000);
            return {-3, QStringLiteral("timed out")};
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2,
                QString::fromUtf8(p.readAllStandardError())};
    }

    static QByteArray read(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // Every line a whole JSON object, and no (type, step) twice: nothing torn or repeated by the resume.
    static QString metricsProblem(const QString &runDir)
    {
        QSet<QString> seen;
        const QList<QByteArray> lines = read(runDir + "/metrics.jsonl").split('\n');
        for (int i = 0; i < lines.size(); ++i) {
            if (lines[i].isEmpty() && i == lines.size() - 1)
                break;
            const QJsonObject o = QJsonDocument::fromJson(lines[i]).object();
            if (o.isEmpty())
                return QString("line %1 is not a JSON object: %2").arg(i + 1).arg(QString::fromUtf8(lines[i]));
            const QString key = o.value("type").toString() + "@" + QString::number(o.value("step").toInteger());
            if (seen.contains(key))
                return QString("line %1 repeats %2").arg(i + 1).arg(key);
            seen.insert(key);
        }
        return QString();
    }

    static QStringList temporaries(const QString &runDir)
    {
        QStringList found;
        QDirIterator it(runDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.contains(".tmp"))
                found << path;
        }
        return found;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_text = m_dir.filePath("text.txt");
        QFile f(m_text);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const char *words[] = {"The cat",   "A young woman", "My neighbour", "walked to",
                               "looked at", "the river",     "a letter",     "the garden"};
        for (int i = 0; i < 1500; ++i)
            f.write(QByteArray(words[i % 8]) + (i % 5 == 0 ? ".\n" : " "));
        f.close();
        QElapsedTimer timer;
        timer.start();
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(LLMF_CLI_PATH), trainArgs(m_dir.filePath("reference")));
        while (!p.waitForFinished(5) && timer.elapsed() < 120000)
            if (m_startupMs == 0 && QFileInfo::exists(m_dir.filePath("reference/metrics.jsonl")))
                m_startupMs = timer.elapsed();
        m_referenceMs = timer.elapsed();
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, p.readAllStandardError().constData());
        qInfo("uninterrupted run: training from %lld ms to %lld ms", m_startupMs, m_referenceMs);
        m_reference = read(m_dir.filePath("reference/model.safetensors"));
        QVERIFY(!m_reference.isEmpty());
    }

    void killedAtRandomMoments_resumeAlwaysReachesTheUninterruptedWeights()
    {
        const int kills = qEnvironmentVariableIntValue("LLMF_FAULT_KILLS") > 0
                              ? qEnvironmentVariableIntValue("LLMF_FAULT_KILLS")
                              : 50;
        QRandomGenerator random(20261202); // the same moments every run: a failure can be replayed
        int resumed = 0;
        for (int i = 0; i < kills; ++i) {
            const QString run = m_dir.filePath(QString("killed-%1").arg(i));
            // Mostly while it trains (steps, evaluations, checkpoint and snapshot writes), some during start-up.
            const qint64 from = m_startupMs * 8 / 10, to = m_referenceMs + 50;
            const int delayMs = static_cast<int>(from + random.bounded(static_cast<quint32>(to - from)));
            const QString context = QString("kill %1 after %2 ms").arg(i).arg(delayMs);
            QProcess p;
            p.setProcessEnvironment(environment());
            p.start(QStringLiteral(LLMF_CLI_PATH), trainArgs(run));
            QVERIFY(p.waitForStarted(30000));
            const qint64 pid = p.processId(); // 0 once finished, and kill(0) would signal this test's own group
            QVERIFY(pid > 0);
            if (!p.waitForFinished(delayMs) && p.state() == QProcess::Running)
                ::kill(static_cast<pid_t>(pid), SIGKILL);
            if (p.state() != QProcess::NotRunning)
                QVERIFY2(p.waitForFinished(30000), qPrintable(context));

            // A kill during a checkpoint write leaves its temporaries (nothing runs on SIGKILL); the next training
            // on the run removes them, and the files they were to replace are whole.
            Result r;
            if (QFileInfo::exists(run + "/trainer_state.json")) {
                r = llmf({"train", "--resume", run});
                ++resumed;
            } else { // killed before its first checkpoint: nothing to resume, and the message says so
                if (QFileInfo::exists(run))
                    QVERIFY(llmf({"train", "--resume", run}).err.contains("has no checkpoint to resume"));
                r = llmf(trainArgs(run));
            }
            QVERIFY2(r.code == 0, qPrintable(context + ": " + r.err));
            const QStringList left = temporaries(run);
            QVERIFY2(left.isEmpty(), qPrintable(context + ": left " + left.join(", ")));
            const QString problem = metricsProblem(run);
            QVERIFY2(problem.isEmpty(), qPrintable(context + ": metrics.jsonl " + problem));
            QVERIFY2(read(run + "/model.safetensors") == m_reference,
                     qPrintable(context + ": the finished weights differ from the uninterrupted run's"));
            QDir(run).removeRecursively();
        }
        qInfo("%d kills, %d of them after a checkpoint (resumed)", kills, resumed);
        QVERIFY(resumed > kills / 4); // the moments really fell during training, not only before it
    }

    void commitKilledBetweenTwoRenames_isRolledForward()
    {
        // What a kill between the renames of a checkpoint leaves: the weights already new, the state still old, the
        // state's complete temporary beside it and the journal naming both.
        QTemporaryDir dir;
        const QString weights = dir.filePath("model.safetensors"), state = dir.filePath("trainer_state.json");
        for (const QString &path : {weights, state})
            llmf::writeFileAtomically(path.toStdString(), "old");
        std::vector<llmf::PendingWrite> pending;
        pending.emplace_back(weights.toStdString(), "new weights");
        pending.emplace_back(state.toStdString(), "new state");
        const std::string journal = dir.filePath("checkpoint.commit").toStdString();
        std::string lines;
        for (const auto &file : pending)
            lines += QFileInfo(QString::fromStdString(file.path())).fileName().toStdString() + "\t" +
                     QFileInfo(QString::fromStdString(file.temporary())).fileName().toStdString() + "\n";
        llmf::writeFileAtomically(journal, lines);
        QVERIFY(QFile::remove(weights));
        QVERIFY(QFile::rename(QString::fromStdString(pending[0].temporary()), weights));
        const std::string stateTemporary = pending[1].temporary();
        QFile::copy(QString::fromStdString(stateTemporary), dir.filePath("keep")); // the destructor removes it
        pending.clear();
        QVERIFY(QFile::rename(dir.filePath("keep"), QString::fromStdString(stateTemporary)));

        QCOMPARE(llmf::recoverCommit(journal), 1);
        QCOMPARE(read(weights), QByteArray("new weights"));
        QCOMPARE(read(state), QByteArray("new state"));
        QVERIFY(!QFileInfo::exists(QString::fromStdString(journal)));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 2);
        QCOMPARE(llmf::recoverCommit(journal), 0); // nothing to do the second time
    }

    void secondTraining_onTheSameRun_isRefusedWithTheFirstsPid()
    {
        const QString run = m_dir.filePath("busy");
        QStringList args = trainArgs(run);
        args << "--set"
             << "training.max_iters=1000000"
             << "--set"
             << "training.warmup_iters=2";
        QProcess first;
        first.setProcessEnvironment(environment());
        first.start(QStringLiteral(LLMF_CLI_PATH), args);
        QVERIFY(first.waitForStarted(30000));
        QTRY_VERIFY_WITH_TIMEOUT(read(run + "/train.lock").contains("PID"), 60000);
        const qint64 pid = first.processId();
        QVERIFY(pid > 0);
        const Result second = llmf(trainArgs(run));
        if (first.state() == QProcess::Running)
            ::kill(static_cast<pid_t>(pid), SIGKILL);
        if (first.state() != QProcess::NotRunning)
            QVERIFY(first.waitForFinished(30000));
        QVERIFY(second.code != 0);
        QVERIFY2(second.err.contains(QString("is being trained by process %1").arg(pid)), qPrintable(second.err));
        QVERIFY2(!second.err.contains("terminate") && !second.err.contains("c10::"), qPrintable(second.err));
        // The kernel dropped the lock with the killed process: the run can be resumed (or restarted) now.
        const Result after = llmf({"train", "--resume", run});
        QVERIFY2(!after.err.contains("is being trained"), qPrintable(after.err));
    }

    void runFromANewerFormat_isRefusedWithBothVersions()
    {
        const QString run = m_dir.filePath("newer");
        QVERIFY(llmf(trainArgs(run)).code == 0);
        QJsonObject state = QJsonDocument::fromJson(read(run + "/trainer_state.json")).object();
        state["version"] = 99;
        QFile f(run + "/trainer_state.json");
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QJsonDocument(state).toJson());
        f.close();
        const Result r = llmf({"train", "--resume", run});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("newer LLM Foundry (format version 99; this one reads up to 2)"), qPrintable(r.err));
    }

    void legacyOptimizerArchive_isNotLoaded()
    {
        // Earlier versions saved AdamW's state as optimizer.pt, a LibTorch (TorchScript) archive that can carry code.
        const QString run = m_dir.filePath("legacy");
        QVERIFY(llmf(trainArgs(run)).code == 0);
        QVERIFY(QFile::rename(run + "/optimizer.safetensors", run + "/optimizer.pt"));
        const Result r = llmf({"train", "--resume", run});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("optimizer.pt") && r.err.contains("does not read it"), qPrintable(r.err));
    }

    void trainingTextChangedBeforeResume_isRefused_andDeletedTextIsNamed()
    {
        const QString run = m_dir.filePath("changed");
        const QString text = m_dir.filePath("own.txt");
        QVERIFY(QFile::copy(m_text, text));
        QStringList args = trainArgs(run);
        args[args.indexOf("--data") + 1] = text;
        args << "--stop-at"
             << "6";
        QVERIFY(llmf(args).code == 0);
        QFile f(text);
        QVERIFY(f.open(QIODevice::Append));
        f.write("A whole new paragraph the first session never saw, about ships and the sea.\n");
        f.close();
        Result r = llmf({"train", "--resume", run});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("changed since its last checkpoint (step 6)"), qPrintable(r.err));
        QVERIFY(QFile::remove(text));
        r = llmf({"train", "--resume", run});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains(text) && r.err.contains("does not exist"), qPrintable(r.err));
    }

    // A run directory nobody may write (a downloaded run unpacked read-only, a mounted share): the resume is
    // refused naming the directory and the OS reason, and not one byte of the run changes. The tests run as root,
    // which ignores permissions, so the trainer then runs as user "nobody".
    void readOnlyRunDirectory_isRefusedAndLeftUntouched()
    {
        const QString run = m_dir.filePath("readonly");
        QStringList args = trainArgs(run);
        args << "--stop-at"
             << "6";
        QVERIFY(llmf(args).code == 0);
        QMap<QString, QByteArray> before;
        QDirIterator files(run, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString path = files.next();
            before[path] = read(path);
        }
        QDirIterator all(run, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        QStringList entries{run};
        while (all.hasNext())
            entries << all.next();
        for (const QString &entry : entries)
            QVERIFY(::chmod(QFile::encodeName(entry).constData(), QFileInfo(entry).isDir() ? 0555 : 0444) == 0);
        QVERIFY(::chmod(QFile::encodeName(m_dir.path()).constData(), 0755) == 0); // "nobody" may read the text

        QTemporaryDir cache; // nobody's cache and home: writable by anyone, like /tmp
        QVERIFY(cache.isValid() && ::chmod(QFile::encodeName(cache.path()).constData(), 0777) == 0);
        QProcess p;
        QProcessEnvironment env = environment();
        env.insert("LLMF_CACHE_DIR", cache.path());
        env.insert("HOME", cache.path());
        p.setProcessEnvironment(env);
        const bool asNobody = ::geteuid() == 0;
        if (asNobody)
            p.setChildProcessModifier([] {
                if (::setgid(65534) != 0 || ::setuid(65534) != 0)
                    ::_exit(97);
            });
        p.start(QStringLiteral(LLMF_CLI_PATH), {"train", "--resume", run});
        QVERIFY(p.waitForFinished(120000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        if (asNobody && (p.exitCode() == 97 || p.error() == QProcess::FailedToStart ||
                         err.contains("error while loading shared libraries")))
            QSKIP("cannot run llmf as user nobody here (no setuid, or the build folder is not readable by others)");
        QVERIFY(p.exitCode() != 0);
        QVERIFY2(err.contains("Cannot write in the run directory '" + run) && err.contains("Permission denied"),
                 qPrintable(err));
        QVERIFY2(!err.contains("terminate called") && !err.contains("libtorch"), qPrintable(err));

        for (const QString &entry : entries)
            ::chmod(QFile::encodeName(entry).constData(), QFileInfo(entry).isDir() ? 0755 : 0644);
        QMap<QString, QByteArray> after;
        QDirIterator again(run, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (again.hasNext()) {
            const QString path = again.next();
            after[path] = read(path);
        }
        QCOMPARE(after.keys(), before.keys());
        QVERIFY(after == before);
        QVERIFY(llmf({"train", "--resume", run}).code == 0); // writable again: the run goes on from step 6
    }

    // A real full disk: the run is copied onto a small tmpfs (mounted in a user and mount namespace of its own,
    // so no mount rights are needed and nothing outlives the test) whose free space is then filled up to half a
    // checkpoint. The resumed training fails at its next checkpoint with the OS's reason; the checkpoint before
    // stays whole, and once there is room again the run resumes to the uninterrupted run's weights.
    void realFullDisk_keepsThePreviousCheckpoint_andSaysWhy()
    {
        const QString unshare = QStandardPaths::findExecutable("unshare");
        if (unshare.isEmpty())
            QSKIP("util-linux's unshare is not installed");
        const QString run = m_dir.filePath("diskfull"), mount = m_dir.filePath("diskfull-mnt"),
                      out = m_dir.filePath("diskfull-out");
        QStringList args = trainArgs(run);
        args << "--stop-at"
             << "6";
        QVERIFY(llmf(args).code == 0);
        const QByteArray model = read(run + "/model.safetensors");
        QVERIFY(QDir().mkpath(mount) && QDir().mkpath(out));
        const char *script = R"(set -u
mnt=$1 run=$2 out=$3 llmf=$4
size=$(( $(du -sb "$run" | cut -f1) * 2 + 1048576 ))
mount -t tmpfs -o size=$size tmpfs "$mnt" || exit 90
cp -a "$run" "$mnt/run" || exit 91
keep=$(( $(stat -c %s "$mnt/run/model.safetensors") / 2 ))
avail=$(df --output=avail -B1 "$mnt" | tail -1)
dd if=/dev/zero of="$mnt/filler" bs=4096 count=$(( (avail - keep) / 4096 )) status=none
"$llmf" train --resume "$mnt/run" 2>"$out/stderr"
echo $? >"$out/code"
cp -a "$mnt/run" "$out/run")";
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(unshare, {"--user", "--map-root-user", "--mount", "bash", "-c", script, "bash", mount, run, out,
                          QStringLiteral(LLMF_CLI_PATH)});
        QVERIFY(p.waitForFinished(120000));
        if (p.exitCode() == 90 || p.exitCode() == 1)
            QSKIP("this machine does not let a user namespace mount a tmpfs");
        QCOMPARE(p.exitCode(), 0);
        const QString err = QString::fromUtf8(read(out + "/stderr"));
        QVERIFY2(read(out + "/code").trimmed() != "0", qPrintable(err));
        QVERIFY2(err.contains("No space left on device"), qPrintable(err));
        qInfo("full disk: %s", qPrintable(err.mid(err.indexOf("error:")).trimmed()));
        QVERIFY2(!err.contains("terminate called") && !err.contains("libtorch"), qPrintable(err));

        const QString after = out + "/run";
        QCOMPARE(read(after + "/model.safetensors"), model);
        QCOMPARE(QJsonDocument::fromJson(read(after + "/trainer_state.json")).object().value("step").toInt(), 6);
        QVERIFY2(temporaries(after).isEmpty(), qPrintable(temporaries(after).join(", ")));
        QVERIFY2(metricsProblem(after).isEmpty(), qPrintable(metricsProblem(after)));
        const Result resumed = llmf({"train", "--resume", after});
        QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
        QVERIFY(temporaries(after).isEmpty());
        QVERIFY2(metricsProblem(after).isEmpty(), qPrintable(metricsProblem(after)));
        QVERIFY(read(after + "/model.safetensors") == m_reference);
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
