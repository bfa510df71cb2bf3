#include <QtTest>

#include "smallrun.h"

#include "checklist/checklistpage.h"
#include "checklist/checkliststore.h"
#include "common/appdata.h"
#include "checklist/learningevidence.h"
#include "config/configstudio.h"
#include "config/parameterquiz.h"
#include "lessons/lessoncatalog.h"
#include "llmf/common/atomicfile.h"
#include "mainwindow.h"

#include <QCheckBox>

using namespace llmf;
using namespace llmf::views;

// The learning checklist: persistence (restart, failed and torn writes), the page's progress and export, and the
// evidence that ticks items automatically.
class TestChecklist : public QObject
{
    Q_OBJECT

    LessonCatalog m_catalog;

    static void writeFile(const QString &path, const QByteArray &bytes)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }

    // A run directory as the trainer leaves it: the resolved config and the evaluation events.
    static QString fakeRun(const QTemporaryDir &dir, const QByteArray &configYaml, double firstLoss, double lastLoss)
    {
        const QString run = dir.filePath("tiny-20261125-120000");
        QDir().mkpath(run);
        writeFile(run + "/config.yaml", configYaml);
        writeFile(
            run + "/metrics.jsonl",
            QByteArray("{\"type\":\"eval\",\"step\":0,\"train_loss\":7.6,\"val_loss\":") +
                QByteArray::number(firstLoss) +
                "}\n{\"type\":\"step\",\"step\":1,\"loss\":7.5}\n{\"type\":\"eval\",\"step\":500,\"train_loss\":4.3,"
                "\"val_loss\":" +
                QByteArray::number(lastLoss) + "}\n");
        return run;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("LLM Foundry Tests");
        QCoreApplication::setApplicationName("tst_checklist");
        QString error;
        QVERIFY2(m_catalog.loadFile(LessonCatalog::defaultManifestPath(), &error), qPrintable(error));
    }

    // One data folder (~/.local/share/<application>/): an earlier version's <organisation>/<application> folder is
    // moved over on the first start, once, and never over a folder that already exists.
    void appData_isOneLevelAndTheLegacyFolderMovesOver()
    {
        const QString root = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
        const QString legacy = root + "/LLM Foundry Tests/tst_checklist";
        const QString current = appDataDirectory();
        QCOMPARE(current, root + "/tst_checklist");
        QCOMPARE(runsDirectory(), qEnvironmentVariable("LLMF_RUNS_DIR", current + "/runs"));
        QDir(current).removeRecursively();
        QDir(legacy).removeRecursively();
        QVERIFY(QDir().mkpath(legacy + "/runs/tiny-1"));
        writeFile(legacy + "/checklist.json", "{\"version\":1}");

        const QString moved = migrateLegacyAppData();
        QVERIFY2(moved.contains(QDir::toNativeSeparators(current)), qPrintable(moved));
        QVERIFY(!QFileInfo::exists(legacy));
        QVERIFY(QFileInfo::exists(current + "/runs/tiny-1"));
        QFile file(current + "/checklist.json");
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("{\"version\":1}"));
        QVERIFY(migrateLegacyAppData().isEmpty()); // once

        QVERIFY(QDir().mkpath(legacy));
        const QString both = migrateLegacyAppData();
        QVERIFY2(both.contains(QDir::toNativeSeparators(legacy)), qPrintable(both));
        QVERIFY(QFileInfo::exists(legacy)); // neither touched
        QVERIFY(QFileInfo::exists(current + "/checklist.json"));
        QDir(legacy).removeRecursively();
        QDir(current).removeRecursively();
    }

    void progress_survivesARestart()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("sub/checklist.json");
        {
            ChecklistStore store(path);
            store.setDone("gqa", true);
            store.earn("train-small-model", "run x finished");
            store.markLessonPassed("s1-configuration");
        }
        ChecklistStore again(path);
        QVERIFY(again.loadWarning().isEmpty());
        QVERIFY(again.isDone("gqa"));
        QVERIFY(!again.entry("gqa").automatic);
        QVERIFY(again.entry("train-small-model").automatic);
        QCOMPARE(again.entry("train-small-model").reason, QString("run x finished"));
        QVERIFY(again.isLessonPassed("s1-configuration"));
        QVERIFY(!again.isDone("rope"));
        // Earning an item twice keeps the first reason.
        QVERIFY(!again.earn("train-small-model", "another run"));
        QCOMPARE(again.entry("train-small-model").reason, QString("run x finished"));
    }

    void failedWrite_keepsTheOldFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("checklist.json");
        ChecklistStore store(path);
        store.setDone("rope", true);
        const QByteArray before = [&] {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        QVERIFY(before.contains("rope"));
        // The disk fills up in the middle of the next save: the file on disk is the previous complete one.
        llmf::setWriteFaultForTesting(
            [](const std::string &p) { return p.find("checklist.json") != std::string::npos; });
        store.setDone("swiglu", true);
        llmf::setWriteFaultForTesting(nullptr);
        QVERIFY(!store.saveError().isEmpty());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
        QVERIFY(QDir(dir.path()).entryList(QDir::Files).size() == 1); // no temporary file left behind
        ChecklistStore reloaded(path);
        QVERIFY(reloaded.isDone("rope"));
        QVERIFY(!reloaded.isDone("swiglu"));
    }

    void tornFile_isSetAsideAndReported()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("checklist.json");
        writeFile(path, "{\"version\": 1, \"items\": {\"rope\": {\"do");
        ChecklistStore store(path);
        QVERIFY2(store.loadWarning().contains(".corrupt"), qPrintable(store.loadWarning()));
        QVERIFY(QFile::exists(path + ".corrupt"));
        QVERIFY(!store.isDone("rope"));
        ChecklistPage page(&m_catalog, &store);
        QVERIFY(page.bannerText().contains("could not be read"));
    }

    void page_showsProgressTicksByHandExportsAndResets()
    {
        QTemporaryDir dir;
        ChecklistStore store(dir.filePath("checklist.json"));
        ChecklistPage page(&m_catalog, &store);
        page.setConfirmReset(false);
        page.show();
        QCOMPARE(page.totalProgress(), 0);
        page.checkBox("rope")->click();
        page.checkBox("gqa")->click();
        QVERIFY(store.isDone("rope"));
        QCOMPARE(page.groupProgress("core-techniques"), 50);
        QCOMPARE(page.totalProgress(), 13); // 2 of 16
        QVERIFY(page.reasonText("rope").startsWith("Ticked by hand"));
        store.earn("own-data", "run r trained on your text a.txt");
        QVERIFY(page.checkBox("own-data")->isChecked());
        QVERIFY(page.reasonText("own-data").contains("a.txt"));

        const QString md = dir.filePath("out.md");
        QVERIFY(page.exportMarkdown(md));
        QFile f(md);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY(text.contains("- [x] Can explain how RoPE encodes position information"));
        QVERIFY(text.contains("- [ ] Can write test cases"));
        QVERIFY(text.contains("## Core techniques (2/4)"));
        QVERIFY(text.contains("3 of 16 done"));

        page.setLanguage("zh_CN");
        QCOMPARE(page.checkBox("rope")->text(), QString::fromUtf8("能解释 RoPE 如何编码位置信息"));
        page.reset();
        QCOMPARE(page.totalProgress(), 0);
        QVERIFY(!page.checkBox("rope")->isChecked());
    }

    void finishedRun_earnsTrainingAndOwnData()
    {
        QTemporaryDir dir;
        ChecklistStore store(dir.filePath("checklist.json"));
        LearningEvidence evidence(&store);
        // Loss did not fall: nothing earned.
        evidence.onRunFinished(fakeRun(dir, "model: {dim: 64}\n", 7.6, 7.9), true);
        QVERIFY(!store.isDone("train-small-model"));
        // A stopped run does not count either.
        evidence.onRunFinished(fakeRun(dir, "model: {dim: 64}\n", 7.6, 4.5), false);
        QVERIFY(!store.isDone("train-small-model"));
        const QString run = fakeRun(dir, "data: {file_path: /home/me/poems.txt}\n", 7.636, 4.541);
        evidence.onRunFinished(run, true);
        QVERIFY(store.isDone("train-small-model"));
        const QString reason = store.entry("train-small-model").reason;
        QVERIFY2(reason.contains("7.636") && reason.contains("4.541") && reason.contains("step 500"),
                 qPrintable(reason));
        QVERIFY(store.isDone("own-data"));
        QVERIFY(store.entry("own-data").reason.contains("poems.txt"));
    }

    void startedRun_earnsAdjustConfigOnlyWhenItMatchesNoPreset()
    {
        QTemporaryDir dir;
        ChecklistStore store(dir.filePath("checklist.json"));
        LearningEvidence evidence(&store);
        QFile preset("configs/tiny.yaml");
        QVERIFY(preset.open(QIODevice::ReadOnly));
        const QByteArray tiny = preset.readAll();
        // The preset itself, trained longer on another device: not a configuration of one's own.
        evidence.onRunStarted(fakeRun(dir, tiny + "\n", 7.6, 4.5));
        QVERIFY(!store.isDone("adjust-config"));
        QByteArray changed = tiny;
        changed.replace("n_layers: 4", "n_layers: 6");
        QVERIFY(changed != tiny);
        evidence.onRunStarted(fakeRun(dir, changed, 7.6, 4.5));
        QVERIFY(store.isDone("adjust-config"));
    }

    void inspectorViews_earnArchitectureAndSelfAttention()
    {
        QTemporaryDir dir;
        ChecklistStore store(dir.filePath("checklist.json"));
        LearningEvidence evidence(&store);
        evidence.onLogitLensCell(4, 5, "It", " was"); // the model's own output row: nothing learned about layers
        QVERIFY(!store.isDone("transformer-architecture"));
        evidence.onLogitLensCell(1, 5, "It", " was");
        QVERIFY(store.isDone("transformer-architecture"));
        QVERIFY(store.entry("transformer-architecture").reason.contains("block 1"));
        QVERIFY(!store.isDone("self-attention"));
        evidence.onHeadOpened(1, 2, 200);
        QVERIFY(store.isDone("self-attention"));
        QVERIFY(store.entry("self-attention").reason.contains("step 200"));
    }

    void parameterQuiz_inConfigStudioEarnsTheParameterCount()
    {
        MainWindow window;
        window.setConfirmOnClose(false);
        window.checklistStore()->reset();
        QVERIFY(window.configStudio()->openPreset("small"));
        ParameterQuiz *quiz = window.configStudio()->parameterQuiz();
        QCOMPARE(ParameterQuiz::parseCount("7,078,144"), qint64(7078144));
        QCOMPARE(ParameterQuiz::parseCount("7.08M"), qint64(7080000));
        QCOMPARE(ParameterQuiz::parseCount("1.2k"), qint64(1200));
        QCOMPARE(ParameterQuiz::parseCount("many"), qint64(-1));
        QVERIFY(!quiz->check("2M")); // the guide's figure for "small" is not this model's
        QVERIFY(quiz->feedback().contains("too low"));
        QVERIFY(!window.checklistStore()->isDone("parameter-count"));
        QVERIFY(quiz->check("7.08M"));
        QVERIFY(quiz->feedback().contains("7,078,144"));
        QVERIFY(quiz->feedback().contains("embedding V×C = 8192×256"));
        QVERIFY(window.checklistStore()->isDone("parameter-count"));
        QVERIFY(window.checklistStore()->entry("parameter-count").reason.contains("7,080,000"));
    }
};

QTEST_MAIN(TestChecklist)
#include "tst_checklist.moc"
