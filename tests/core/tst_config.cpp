#include <QtTest>

#include "llmf/common/error.h"
#include "llmf/config/configio.h"
#include "llmf/config/datapath.h"
#include "llmf/config/configschema.h"
#include "llmf/config/presets.h"
#include "llmf/config/validation.h"
#include "llmf/model/accounting.h"
#include "llmf/model/memoryfit.h"

using namespace llmf;

namespace {

// The message of the llmf::Error thrown by f, or "" if it did not throw.
template <class F> QString errorOf(F f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromStdString(e.fullMessage());
    }
    return {};
}

bool hasIssue(const Config &c, const std::string &field)
{
    for (const auto &issue : validate(c))
        if (issue.field == field)
            return true;
    return false;
}

} // namespace

class TestConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults_matchTheGuide()
    {
        const Config c;
        QCOMPARE(c.model.dim, 512);
        QCOMPARE(c.model.n_layers, 8);
        QCOMPARE(c.model.n_kv_heads, 4);
        QCOMPARE(c.model.vocab_size, 8192);
        QCOMPARE(c.model.resolvedFfnHiddenDim(), 1365);
        QCOMPARE(c.training.batch_size, 16);
        QCOMPARE(c.training.learning_rate, 3e-4);
        QVERIFY(validate(c).empty());
    }

    void emptyFile_givesDefaults()
    {
        const Config c = parseConfig("", "empty.yaml");
        QCOMPARE(c.model.dim, Config().model.dim);
    }

    void roundTrip_fullAndDiff()
    {
        Config c;
        c.model.dim = 320;
        c.model.tie_embeddings = true;
        c.training.learning_rate = 0.00123;
        c.training.device = "cuda:1";
        c.data.file_path = "my data/ä.txt";
        c.generation.top_p.reset();
        c.generation.top_k = 7;
        for (bool full : {true, false}) {
            const Config back = parseConfig(configToYaml(c, full), "roundtrip.yaml");
            QCOMPARE(back.model.dim, 320);
            QCOMPARE(back.model.tie_embeddings, true);
            QCOMPARE(back.training.learning_rate, 0.00123);
            QCOMPARE(back.training.device, std::string("cuda:1"));
            QCOMPARE(back.data.file_path, std::string("my data/ä.txt"));
            QVERIFY(!back.generation.top_p.has_value());
            QCOMPARE(*back.generation.top_k, int64_t(7));
        }
        // A diff holds only what changed; a full file resolves derived values.
        const std::string diff = configToYaml(c, false);
        QVERIFY(diff.find("n_layers") == std::string::npos);
        QVERIFY(diff.find("dim: 320") != std::string::npos);
        QVERIFY(configToYaml(c, true).find("ffn_hidden_dim: 853") != std::string::npos);
    }

    void saveConfig_isAtomicAndReadable()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("c.yaml").toStdString();
        Config c;
        c.model.n_layers = 3;
        saveConfig(c, path);
        QCOMPARE(loadConfig(path).model.n_layers, 3);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // no temporary left behind
    }

    void unknownKey_namesFileLineAndNearestKey()
    {
        const QString msg = errorOf([] { parseConfig("model:\n  dim: 64\n  n_head: 4\n", "cfg.yaml"); });
        QVERIFY2(msg.contains("cfg.yaml:3"), qPrintable(msg));
        QVERIFY2(msg.contains("'n_head'"), qPrintable(msg));
        QVERIFY2(msg.contains("Did you mean 'n_heads'?"), qPrintable(msg));
        QVERIFY2(msg.contains("n_kv_heads"), qPrintable(msg)); // the allowed keys are listed in the hint
    }

    void unknownSection_suggestsSection()
    {
        const QString msg = errorOf([] { parseConfig("trainig:\n  batch_size: 4\n", "cfg.yaml"); });
        QVERIFY2(msg.contains("cfg.yaml:1") && msg.contains("Did you mean 'training'?"), qPrintable(msg));
    }

    void wrongType_namesLineKeyAndAllowed()
    {
        const QString msg =
            errorOf([] { parseConfig("model:\n  dim: 64\ntraining:\n  batch_size: lots\n", "t.yaml"); });
        QVERIFY2(msg.contains("t.yaml:4"), qPrintable(msg));
        QVERIFY2(msg.contains("training.batch_size") && msg.contains("an integer") && msg.contains("'lots'"),
                 qPrintable(msg));
        QVERIFY(!errorOf([] { parseConfig("model:\n  dim: 6.5\n", "t.yaml"); }).isEmpty());
        QVERIFY(!errorOf([] { parseConfig("model:\n  tie_embeddings: maybe\n", "t.yaml"); }).isEmpty());
        QVERIFY(!errorOf([] { parseConfig("model:\n  dim: [1, 2]\n", "t.yaml"); }).isEmpty());
    }

    void badChoice_listsChoices()
    {
        const QString msg = errorOf([] { parseConfig("training:\n  dtype: bfloat61\n", "d.yaml"); });
        QVERIFY2(msg.contains("float32, bfloat16, float16") && msg.contains("Did you mean 'bfloat16'?"),
                 qPrintable(msg));
    }

    void malformedYaml_isAnErrorWithLine()
    {
        const QString msg = errorOf([] { parseConfig("model:\n  dim: 64\n   n_layers: [\n", "bad.yaml"); });
        QVERIFY2(msg.contains("bad.yaml:") && msg.contains("not valid YAML"), qPrintable(msg));
        QVERIFY(!errorOf([] { parseConfig("- just\n- a list\n", "list.yaml"); }).isEmpty());
    }

    void nullTurnsOptionalsOff()
    {
        const Config c = parseConfig("generation:\n  top_p: null\n  top_k: ~\n");
        QVERIFY(!c.generation.top_p && !c.generation.top_k);
        QVERIFY(!errorOf([] { parseConfig("model:\n  dim: null\n"); }).isEmpty());
    }

    void override_setsTypedValue()
    {
        Config c;
        applyOverride(c, "training.max_iters=42");
        applyOverride(c, "generation.top_p=null");
        QCOMPARE(c.training.max_iters, 42);
        QVERIFY(!c.generation.top_p);
        QVERIFY(errorOf([&] { applyOverride(c, "training.max_iter=1"); }).contains("max_iters"));
        QVERIFY(!errorOf([&] { applyOverride(c, "nonsense"); }).isEmpty());
    }

    void validation_dimDivisibleByHeads()
    {
        Config c;
        c.model.dim = 704;
        c.model.n_heads = 10;
        c.model.n_kv_heads = 5;
        const auto issues = validate(c);
        QVERIFY(!issues.empty());
        QCOMPARE(issues.front().field, std::string("model.n_heads"));
        QVERIFY2(issues.front().message.find("70.4") != std::string::npos, issues.front().message.c_str());
        const HeadSuggestion s = nearestValidHeads(704, 10, 5);
        QCOMPARE(s.n_heads, 11);
        QCOMPARE(s.n_kv_heads, 11);
        QVERIFY(issues.front().fix.find("n_heads = 11") != std::string::npos);
    }

    void validation_headsMultipleOfKvHeads()
    {
        Config c;
        c.model.n_heads = 8;
        c.model.n_kv_heads = 3;
        QVERIFY(hasIssue(c, "model.n_kv_heads"));
        c.model.n_kv_heads = 16;
        QVERIFY(hasIssue(c, "model.n_kv_heads"));
    }

    void validation_evenHeadDimForRope()
    {
        Config c;
        c.model.dim = 36;
        c.model.n_heads = 4; // head_dim 9
        c.model.n_kv_heads = 2;
        bool found = false;
        for (const auto &issue : validate(c))
            found = found || issue.message.find("must be even") != std::string::npos;
        QVERIFY(found);
    }

    void validation_positiveSizesAndRanges()
    {
        Config c;
        c.model.n_layers = 0;
        QVERIFY(hasIssue(c, "model.n_layers"));
        c = Config();
        c.model.dropout = 1.5;
        QVERIFY(hasIssue(c, "model.dropout"));
        c = Config();
        c.generation.top_p = 1.2;
        QVERIFY(hasIssue(c, "generation.top_p"));
        c.generation.top_p = 0.0;
        QVERIFY(hasIssue(c, "generation.top_p"));
        c = Config();
        c.generation.temperature = -0.5;
        QVERIFY(hasIssue(c, "generation.temperature"));
        c = Config();
        c.training.device = "gpu";
        QVERIFY(hasIssue(c, "training.device"));
        c = Config();
        c.training.min_lr = 1.0;
        QVERIFY(hasIssue(c, "training.min_lr"));
        c = Config();
        c.data.split_ratio = 1.0;
        QVERIFY(hasIssue(c, "data.split_ratio"));
        QVERIFY(errorOf([&] { validateOrThrow(c, "x.yaml"); }).contains("x.yaml"));
    }

    void presets_allLoadAndValidate()
    {
        const auto names = listPresets();
        for (const char *expected : {"tiny", "small", "medium", "rtx5060"})
            QVERIFY2(std::find(names.begin(), names.end(), expected) != names.end(), expected);
        for (const auto &name : names) {
            const Config c = loadPreset(name);
            QVERIFY2(validate(c).empty(), name.c_str());
        }
        const Config small = loadPreset("small");
        QCOMPARE(small.model.dim, 256);
        QCOMPARE(small.model.n_layers, 4);
        QCOMPARE(small.model.n_heads, 8);
        QCOMPARE(small.model.n_kv_heads, 4);
        QVERIFY(errorOf([] { loadPreset("huge"); }).contains("small"));
    }

    void presets_stateOnlyDifferences()
    {
        // A preset that repeats a default hides what makes it special (nanoGPT's "presets as diffs").
        const Config defaults;
        for (const auto &name : listPresets()) {
            const std::string text = readPresetText(name);
            const Config diff = parseConfig(text, name);
            for (const auto &spec : configFields()) {
                const bool mentioned = text.find("\n  " + spec.key + ":") != std::string::npos;
                if (mentioned && spec.section != "model") // model keys are stated for readability of the shape
                    QVERIFY2(getField(diff, spec) != getField(defaults, spec), (name + ": " + spec.path()).c_str());
            }
        }
    }

    void nearestName_ignoresFarNames()
    {
        QCOMPARE(nearestName("lerning_rate", {"learning_rate", "min_lr"}), std::string("learning_rate"));
        QCOMPARE(nearestName("zzzzzz", {"learning_rate", "min_lr"}), std::string());
    }

    // Found by fuzzing (tests/fuzz/corpus/config/regression-*): both escaped as a yaml-cpp exception or UB.
    void fuzzRegression_keyThatIsAMap_isAnErrorWithItsLine()
    {
        try {
            parseConfig("model:\n  dim: 64\n? [a, b]\n: 3\n", "shared.yaml");
            QFAIL("expected an error");
        } catch (const Error &e) {
            QVERIFY2(QString(e.what()).contains("shared.yaml:3") && QString(e.what()).contains("plain name"), e.what());
        }
    }

    void fuzzRegression_hugeSizes_saturateInsteadOfOverflowing()
    {
        Config c = loadPreset("tiny");
        c.model.dim = int64_t(1) << 40;
        c.model.vocab_size = int64_t(1) << 40;
        c.model.n_layers = 1 << 20;
        QCOMPARE(countParameters(c.model).total, INT64_MAX);
        QCOMPARE(estimateMemory(c.model, 8, 128).total(), INT64_MAX);
        const MemoryFit fit = checkTrainingMemory(c, int64_t(8) << 30);
        QVERIFY(!fit.fits());
        QVERIFY2(QString::fromStdString(fit.message()).contains("is available"), fit.message().c_str());
        QCOMPARE(loadPreset("small").model.resolvedFfnHiddenDim(), int64_t(682)); // 8·256/3, as before
    }

    // std::stod throws out_of_range for subnormal numbers: a learning rate of 1e-316 ended the Config Studio.
    void fuzzRegression_subnormalNumber_isFormattedNotThrown()
    {
        QCOMPARE(formatFieldValue(FieldValue(1e-316)), std::string("1e-316"));
        Config c = loadPreset("tiny");
        applyOverride(c, "training.learning_rate=1e-316");
        const auto issues = validate(c); // min_lr above learning_rate: the message formats both
        QVERIFY(hasIssue(c, "training.min_lr"));
        QVERIFY(!issues.empty());
    }

    // "dtype:" with no value loaded as an empty dtype, which the memory estimate then refused with an exception.
    void fuzzRegression_nullChoice_isAnErrorWithItsLine()
    {
        try {
            parseConfig("training:\n  dtype:\n", "shared.yaml");
            QFAIL("expected an error");
        } catch (const Error &e) {
            QVERIFY2(QString(e.what()).contains("shared.yaml:") && QString(e.what()).contains("float32"), e.what());
        }
        Config c = loadPreset("tiny");
        c.training.dtype = "int3";
        QVERIFY(hasIssue(c, "training.dtype"));
    }

    // A width far beyond the schema's range made the head-count suggestion walk sqrt(dim) = 2^31 divisors (the
    // fuzzer's timeouts). The walk is capped now; the suggestions inside the range stay the nearest.
    void fuzzRegression_absurdWidth_headSuggestionStaysBounded()
    {
        Config c = loadPreset("tiny");
        c.model.dim = (int64_t(1) << 62) + 2;
        c.model.n_heads = 7;
        c.model.n_kv_heads = 7;
        QVERIFY(hasIssue(c, "model.dim"));
        QVERIFY(hasIssue(c, "model.n_heads"));
        const HeadSuggestion absurd = nearestValidHeads(c.model.dim, int64_t(1) << 61, 1);
        QVERIFY(absurd.n_heads >= 1);
        QVERIFY(c.model.dim % absurd.n_heads == 0);
        // Inside the range the O(n_heads) walk agrees with an exhaustive search.
        for (const int64_t dim : {int64_t(96), int64_t(704), int64_t(4098), int64_t(1) << 20}) {
            for (const int64_t heads : {int64_t(3), int64_t(10), int64_t(1000)}) {
                int64_t expected = 1;
                for (int64_t h = 1; h <= dim; ++h) {
                    if (dim % h != 0 || (dim / h) % 2 != 0)
                        continue;
                    const int64_t d = std::llabs(h - heads), e = std::llabs(expected - heads);
                    if (d < e || (d == e && h > expected))
                        expected = h;
                }
                QCOMPARE(nearestValidHeads(dim, heads, 1).n_heads, expected);
            }
        }
    }

    // A shared config's data.file_path may only name text in the config's own folder (llmf/config/datapath.h).
    void dataPath_confinedToTheConfigsFolder()
    {
        QTemporaryDir dir;
        const auto write = [&](const QString &name, const QByteArray &content) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        };
        QVERIFY(QDir(dir.path()).mkpath("shared/sub"));
        write("shared/text.txt", "Some text.\n");
        write("secret.txt", "not for training\n");
        const std::string config = dir.filePath("shared/config.yaml").toStdString();
        const auto load = [&](const QByteArray &path) {
            write("shared/config.yaml", "model:\n  dim: 64\ndata:\n  file_path: " + path + "\n");
            return loadConfigConfiningData(config);
        };
        const std::string beside = QFileInfo(dir.filePath("shared/text.txt")).canonicalFilePath().toStdString();
        QCOMPARE(load("text.txt").data.file_path, beside); // relative to the config, not to the working folder
        QCOMPARE(load("sub/../text.txt").data.file_path, beside);
        QCOMPARE(load(QByteArray::fromStdString(beside)).data.file_path, beside);
        QVERIFY(QFile::link(dir.filePath("secret.txt"), dir.filePath("shared/innocent.txt")));
        for (const QByteArray &outside : {QByteArray("../secret.txt"), dir.filePath("secret.txt").toUtf8(),
                                          QByteArray("/etc/passwd"), QByteArray("innocent.txt")}) {
            try {
                load(outside);
                QFAIL(qPrintable("accepted " + outside));
            } catch (const Error &e) {
                const QString message = e.what();
                QVERIFY2(message.contains("config.yaml', line 4") && message.contains("data.file_path '" + outside) &&
                             message.contains("outside the config's folder"),
                         e.what());
                QVERIFY2(QString::fromStdString(e.hint()).contains("--data"), e.hint().c_str());
            }
        }
        // Where the data is not read, or the user names it, the path is kept as written.
        write("shared/config.yaml", "data:\n  file_path: /etc/passwd\n");
        QCOMPARE(loadConfigOrPreset(config, DataPathRule::AsWritten).data.file_path, std::string("/etc/passwd"));
        QVERIFY_THROWS_EXCEPTION(Error, loadConfigOrPreset(config));
    }

private:
    static std::string readPresetText(const std::string &name)
    {
        QFile f(QString::fromStdString(presetPath(name)));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return f.readAll().toStdString();
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
