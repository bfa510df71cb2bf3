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
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("LLMF_CACHE_DIR", cacheDir());
        p.setProcessEnvironment(env);
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

    static QString cacheDir()
    {
        static QTemporaryDir dir;
        return dir.path();
    }

    // ~40 KB of varied English sentences.
    static QByteArray englishText()
    {
        const char *subjects[] = {"The cat", "A young woman", "My neighbour", "The old captain", "Every child"};
        const char *verbs[] = {"walked to", "looked at", "talked about", "dreamed of", "wrote to"};
        const char *objects[] = {"the river", "a letter", "the garden", "her sister", "the morning train"};
        QByteArray text;
        for (int i = 0; i < 900; ++i)
            text += QByteArray(subjects[i % 5]) + " " + verbs[(i / 5) % 5] + " " + objects[(i / 25) % 5] + ". ";
        return text;
    }

private Q_SLOTS:
    void help_listsSubcommands()
    {
        const Result r = llmf({"--help"});
        QCOMPARE(r.code, 0);
        for (const char *cmd : {"info", "tokenizer", "corpus", "train", "generate", "eval", "tokenize", "export"})
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

    void trainGenerateEvalExport_endToEnd()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath("story.txt");
        writeFile(data, englishText());
        const QString run = dir.filePath("run");
        const Result train =
            llmf({"train", "--config", "tiny", "--data", data, "--out", run, "--set", "training.max_iters=30", "--set",
                  "training.eval_interval=10", "--set", "model.vocab_size=320", "--set", "training.batch_size=8"});
        QVERIFY2(train.code == 0, qPrintable(train.err));
        QVERIFY2(train.out.contains("step 0: train loss") && train.out.contains("step 30: train loss"),
                 qPrintable(train.out));
        QVERIFY(train.out.contains("Training finished in"));
        for (const char *file : {"config.yaml", "tokenizer.json", "model.safetensors", "optimizer.safetensors",
                                 "trainer_state.json", "metrics.jsonl"})
            QVERIFY2(QFile::exists(run + "/" + file), file);

        const Result gen =
            llmf({"generate", "--run", run, "--prompt", "The cat", "--max-new-tokens", "20", "--seed", "3", "--json"});
        QVERIFY2(gen.code == 0, qPrintable(gen.err));
        const QJsonObject json = QJsonDocument::fromJson(gen.out.toUtf8()).object();
        QVERIFY(json.value("generated_ids").toArray().size() > 0);
        QVERIFY(json.value("tokens_per_s").toDouble() > 0);
        // Same seed, same text; the KV cache changes speed, never tokens.
        const Result again = llmf({"generate", "--run", run, "--prompt", "The cat", "--max-new-tokens", "20", "--seed",
                                   "3", "--json", "--no-kv-cache"});
        QCOMPARE(QJsonDocument::fromJson(again.out.toUtf8()).object().value("text"), json.value("text"));

        const Result badP = llmf({"generate", "--run", run, "--prompt", "x", "--top-p", "1.5"});
        QCOMPARE(badP.code, 1);
        QVERIFY2(badP.err.contains("top_p"), qPrintable(badP.err));
        const Result badT = llmf({"generate", "--run", run, "--prompt", "x", "--temperature", "-1"});
        QCOMPARE(badT.code, 1);
        QVERIFY2(badT.err.contains("temperature"), qPrintable(badT.err));
        const Result longPrompt = llmf({"generate", "--run", run, "--prompt", QString::fromUtf8(englishText())});
        QCOMPARE(longPrompt.code, 1);
        QVERIFY2(longPrompt.err.contains("context"), qPrintable(longPrompt.err));

        const Result eval = llmf({"eval", "--run", run, "--data", data, "--json"});
        QVERIFY2(eval.code == 0, qPrintable(eval.err));
        const double loss = QJsonDocument::fromJson(eval.out.toUtf8()).object().value("mean_loss").toDouble();
        QVERIFY2(loss > 0 && loss < std::log(320.0), qPrintable(eval.out)); // learned something

        const Result tok = llmf({"tokenize", "--run", run, "--text", "The cat"});
        QCOMPARE(tok.code, 0);
        QVERIFY(!tok.out.trimmed().isEmpty());

        const QString hf = dir.filePath("hf");
        const Result exported = llmf({"export", "--run", run, "--format", "hf", "--out", hf});
        QVERIFY2(exported.code == 0, qPrintable(exported.err));
        for (const char *file : {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"})
            QVERIFY2(QFile::exists(hf + "/" + file), file);

        // Resume for 10 more steps; a different model is refused.
        const Result resumed = llmf({"train", "--resume", run, "--set", "training.max_iters=40"});
        QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
        QVERIFY(resumed.out.contains("step 40: train loss"));
        const Result wrong = llmf({"train", "--resume", run, "--config", "small"});
        QCOMPARE(wrong.code, 1);
        QVERIFY2(wrong.err.contains("different model"), qPrintable(wrong.err));
    }

    void runCommands_rejectBadInput()
    {
        QTemporaryDir dir;
        QCOMPARE(llmf({"generate", "--run", dir.filePath("missing"), "--prompt", "x"}).code, 1);
        const Result notRun = llmf({"generate", "--run", dir.path(), "--prompt", "x"});
        QVERIFY2(notRun.err.contains("config.yaml"), qPrintable(notRun.err));
        const QString binary = dir.filePath("data.bin");
        writeFile(binary, QByteArray("\x00\x01\x02binary", 9));
        const Result bad = llmf({"train", "--config", "tiny", "--data", binary, "--out", dir.filePath("r")});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains("data.bin"), qPrintable(bad.err));
        const QString empty = dir.filePath("empty.txt");
        writeFile(empty, "");
        QVERIFY(
            llmf({"train", "--config", "tiny", "--data", empty, "--out", dir.filePath("r2")}).err.contains("empty"));
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

    void corpusDump_writesTheTextTheTrainerReads()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("fallback.txt");
        const Result r = llmf({"corpus", "dump", "--corpus", "fallback", "--out", out});
        QCOMPARE(r.code, 0);
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.size() > 10000);
        QVERIFY(llmf({"corpus", "dump", "--corpus", "klingon", "--out", out}).code != 0);
    }

    // An impossible size is refused before anything is allocated, with numbers and without a LibTorch backtrace.
    void train_modelThatCannotFit_isRefusedWithNumbers()
    {
        const Result r = llmf({"train", "--config", "tiny", "--set", "model.dim=1048576", "--set", "model.n_heads=8",
                               "--set", "model.n_kv_heads=8", "--set", "data.corpus=fallback", "--out",
                               QDir::temp().filePath("llmf-never-created")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("error: Training this configuration needs about"), qPrintable(r.err));
        QVERIFY2(r.err.contains("is available") && r.err.contains("model.dim"), qPrintable(r.err));
        QVERIFY2(!r.err.contains("frame #") && !r.err.contains("Exception raised from"), qPrintable(r.err));
        QVERIFY(!QFile::exists(QDir::temp().filePath("llmf-never-created")));
    }

    // A shared config names training text only in its own folder; relative paths resolve against that folder.
    void train_sharedConfigsDataPath_staysInItsFolder()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("shared"));
        writeFile(dir.filePath("secret.txt"), englishText());
        writeFile(dir.filePath("shared/text.txt"), englishText());
        const QByteArray small = "model:\n  dim: 16\n  n_layers: 1\n  n_heads: 2\n  n_kv_heads: 1\n  vocab_size: 300\n"
                                 "  max_seq_len: 16\ntraining:\n  batch_size: 2\n  max_iters: 2\n  warmup_iters: 1\n";
        const QString config = dir.filePath("shared/config.yaml");
        writeFile(config, small + "data:\n  file_path: ../secret.txt\n");
        const QString out = dir.filePath("run");
        Result r = llmf({"train", "--config", config, "--out", out});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("error: '" + config + "', line 13: data.file_path '../secret.txt' points outside"),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains("--data " + QFileInfo(dir.filePath("secret.txt")).canonicalFilePath()),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(out));
        // Named by the user, the same file is theirs to train on.
        r = llmf({"train", "--config", config, "--data", dir.filePath("secret.txt"), "--out", out});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        // Relative to the config, whatever the working folder (the test runs in the source tree).
        writeFile(config, small + "data:\n  file_path: text.txt\n");
        r = llmf({"train", "--config", config, "--out", dir.filePath("run2")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile saved(dir.filePath("run2/config.yaml"));
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QVERIFY2(saved.readAll().contains(QFileInfo(dir.filePath("shared/text.txt")).canonicalFilePath().toUtf8()),
                 "the run records the text it trained on");
    }

    void bench_jsonHasTheMeasurements()
    {
        const Result r = llmf({"bench", "--config", "tiny", "--steps", "1", "--new-tokens", "8", "--parts",
                               "train,generate,prefill,matmul", "--set", "data.corpus=fallback", "--set",
                               "model.n_layers=1", "--batch-size", "2", "--seq-len", "32", "--json"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        for (const char *key : {"train_tokens_per_s", "generate_tokens_per_s_kv_cache",
                                "generate_tokens_per_s_no_cache", "prefill_ms", "matmul_peak_gflops", "train_gflops"})
            QVERIFY2(o.value(key).toDouble() > 0, key);
        QVERIFY(o.value("peak_rss_bytes").toInteger() > 10'000'000);
        QCOMPARE(o.value("batch_size").toInt(), 2);
        QCOMPARE(o.value("seq_len").toInt(), 32);
        QCOMPARE(o.value("new_tokens").toInt(), 8);
        QVERIFY(!o.value("blas").toString().isEmpty());
        QCOMPARE(o.value("tokenizer_train_s").toDouble(), 0.0);         // not asked for
        QCOMPARE(o.value("train_tokens_per_s_loaded").toDouble(), 0.0); // no --background-load

        // One busy process beside: both figures again, loaded; the children are gone when llmf exits.
        const Result loaded = llmf({"bench",
                                    "--config",
                                    "tiny",
                                    "--steps",
                                    "2",
                                    "--new-tokens",
                                    "8",
                                    "--parts",
                                    "train,generate",
                                    "--set",
                                    "data.corpus=fallback",
                                    "--set",
                                    "model.n_layers=1",
                                    "--batch-size",
                                    "2",
                                    "--seq-len",
                                    "32",
                                    "--background-load",
                                    "1",
                                    "--json"});
        QVERIFY2(loaded.code == 0, qPrintable(loaded.err));
        const QJsonObject l = QJsonDocument::fromJson(loaded.out.toUtf8()).object();
        QCOMPARE(l.value("background_load").toInt(), 1);
        QVERIFY(l.value("train_tokens_per_s_loaded").toDouble() > 0);
        QVERIFY(l.value("generate_tokens_per_s_kv_cache_loaded").toDouble() > 0);
        QVERIFY(l.value("train_threads_loaded").toInt() >= 1);

        const Result bad = llmf({"bench", "--config", "tiny", "--parts", "train,warp"});
        QVERIFY(bad.code != 0);
        QVERIFY2(bad.err.contains("warp") && bad.err.contains("tokenizer"), qPrintable(bad.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
