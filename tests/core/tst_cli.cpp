#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

// Drives the real `llmf` executable: exit codes, messages and JSON output.
class TestCli : public QObject
{
    Q_OBJECT

    struct Result
    {
        int code = -1;
        QString out;
        QString err;
    };

    static Result llmf(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(LLMF_CLI_PATH), args);
        if (!p.waitForFinished(120000))
            return {};
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }

    static void writeFile(const QString &path, const QByteArray &bytes)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }

private Q_SLOTS:
    void help_listsSubcommands()
    {
        const Result r = llmf({"--help"});
        QCOMPARE(r.code, 0);
        for (const char *cmd : {"info", "tokenizer", "corpus"})
            QVERIFY2(r.out.contains(cmd), cmd);
        QCOMPARE(llmf({"tokenizer", "train", "--help"}).code, 0);
    }

    void info_smallPresetHasGuideParameterCount()
    {
        const Result r = llmf({"info", "--config", "configs/small.yaml", "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(json.value("total_parameters").toInteger(), 7078144);
        QCOMPARE(json.value("ffn_hidden_dim").toInteger(), 682);
        QVERIFY(json.value("kv_cache_bytes").toObject().value("mha").toInteger() > 0);
        QVERIFY(!json.value("system").toObject().value("blas").toString().isEmpty());
        // The preset name works too, and the text report names the BLAS.
        const Result text = llmf({"info", "--config", "small"});
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.contains("7,078,144"));
        QVERIFY(text.out.contains("BLAS"));
    }

    void info_invalidConfigExplainsAndFails()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("rtx.yaml");
        writeFile(path, "model:\n  dim: 704\n  n_layers: 10\n  n_heads: 10\n  n_kv_heads: 5\n");
        const Result r = llmf({"info", "--config", path});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("divisible") && r.err.contains("n_heads = 11"), qPrintable(r.err));

        writeFile(path, "model:\n  dimm: 64\n");
        const Result typo = llmf({"info", "--config", path});
        QCOMPARE(typo.code, 1);
        QVERIFY2(typo.err.contains("rtx.yaml:2") && typo.err.contains("'dim'"), qPrintable(typo.err));

        QVERIFY(llmf({"info", "--config", dir.filePath("missing.yaml")}).code != 0);
        QVERIFY(llmf({"info", "--config", "nosuchpreset"}).err.contains("tiny"));
    }

    void tokenizer_trainEncodeDecodeRoundTrip()
    {
        QTemporaryDir dir;
        const QString corpus = dir.filePath("text.txt");
        QByteArray text;
        for (int i = 0; i < 200; ++i)
            text += "the quick brown fox jumps over the lazy dog. 床前明月光 " + QByteArray::number(i) + "\n";
        writeFile(corpus, text);
        const QString out = dir.filePath("tok.json");
        const Result train = llmf({"tokenizer", "train", "--input", corpus, "--vocab-size", "300", "--out", out});
        QVERIFY2(train.code == 0, qPrintable(train.err));
        QVERIFY(QFile::exists(out));
        QVERIFY(train.out.contains("vocabulary 300"));

        const Result enc = llmf({"tokenizer", "encode", "--tokenizer", out, "--text", "the lazy fox 明月", "--json"});
        QCOMPARE(enc.code, 0);
        const QJsonArray ids = QJsonDocument::fromJson(enc.out.toUtf8()).object().value("ids").toArray();
        QVERIFY(ids.size() > 0 && ids.size() < 16); // merges made it shorter than the 22 bytes
        QStringList idText;
        for (const auto &id : ids)
            idText << QString::number(id.toInt());
        const Result dec = llmf({"tokenizer", "decode", "--tokenizer", out, "--ids", idText.join(',')});
        QCOMPARE(dec.code, 0);
        QCOMPARE(dec.out.trimmed(), QString("the lazy fox 明月"));

        QCOMPARE(llmf({"tokenizer", "decode", "--tokenizer", out, "--ids", "1,x"}).code, 1);
    }

    void tokenizer_badInputFailsWithReason()
    {
        QTemporaryDir dir;
        const QString empty = dir.filePath("empty.txt");
        writeFile(empty, "");
        const Result r = llmf({"tokenizer", "train", "--input", empty, "--out", dir.filePath("t.json")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("empty.txt"), qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath("t.json")));
        QVERIFY(llmf({"tokenizer", "encode", "--tokenizer", dir.filePath("none.json"), "--text", "x"}).code != 0);
    }

    void corpusList_alwaysHasFallback()
    {
        const Result r = llmf({"corpus", "list", "--json"});
        QCOMPARE(r.code, 0);
        bool fallback = false;
        for (const auto &entry : QJsonDocument::fromJson(r.out.toUtf8()).array()) {
            const QJsonObject o = entry.toObject();
            if (o.value("id").toString() == "fallback")
                fallback = o.value("installed").toBool();
        }
        QVERIFY(fallback);
        QCOMPARE(llmf({"corpus", "list"}).code, 0);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
