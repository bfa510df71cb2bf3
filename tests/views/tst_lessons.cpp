#include <QtTest>

#include "smallrun.h"

#include "checklist/checkliststore.h"
#include "config/configstudio.h"
#include "inspector/inspectorpage.h"
#include "lessons/actionregistry.h"
#include "lessons/excerptextractor.h"
#include "lessons/lessoncatalog.h"
#include "lessons/lessondocument.h"
#include "lessons/lessonspage.h"
#include "lessons/quizpanel.h"
#include "mainwindow.h"
#include "playground/playgroundpage.h"
#include "training/experimentrunner.h"
#include "training/trainingcharts.h"
#include "training/trainingdashboard.h"

#include <QTabWidget>
#include <QTextBrowser>

using namespace llmf;
using namespace llmf::views;
using testing::arrived;

// The course content and the Lessons page: the manifest, both languages of every lesson, the code excerpts cut
// from the sources at build time, the quizzes, and the llmf: links driving the real window.
class TestLessons : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    LessonCatalog m_catalog;

    QString lessonText(const QString &id, const QString &language)
    {
        QFile file(LessonCatalog::markdownPath(QStringLiteral(":/lessons"), id, language));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("LLM Foundry Tests");
        QCoreApplication::setApplicationName("tst_lessons");
        QSettings().clear();
        QFile::remove(ChecklistStore::defaultPath());
        qputenv("LLMF_CACHE_DIR", m_dir.filePath("cache").toUtf8());
        qputenv("LLMF_RUNS_DIR", m_dir.filePath("runs").toUtf8());
        QString error;
        QVERIFY2(m_catalog.loadFile(LessonCatalog::defaultManifestPath(), &error), qPrintable(error));
    }

    void manifest_coversTheGuide()
    {
        QCOMPARE(m_catalog.stages().size(), 4);
        QVERIFY(m_catalog.lessonIds().size() >= 14); // the guide's 14 steps, some split in two
        QCOMPARE(m_catalog.checklist().size(), 4);
        QCOMPARE(m_catalog.checklistItemIds().size(), 16);
        for (const QString &item : m_catalog.checklistItemIds()) {
            bool served = false;
            for (const Stage &stage : m_catalog.stages())
                for (const Lesson &lesson : stage.lessons)
                    served = served || lesson.checklist.contains(item);
            QVERIFY2(served, qPrintable(item + " is served by no lesson"));
        }
        for (const Stage &stage : m_catalog.stages())
            for (const Lesson &lesson : stage.lessons) {
                for (const QString &item : lesson.checklist)
                    QVERIFY2(m_catalog.checklistItem(item), qPrintable(lesson.id + ": unknown item " + item));
                for (const QString &source : lesson.sources)
                    QVERIFY2(QFile::exists(source), qPrintable(lesson.id + ": no such source " + source));
            }
    }

    void manifest_errorsNameTheProblem()
    {
        LessonCatalog catalog;
        QString error;
        QVERIFY(!catalog.load("version: 1\nstages:\n  - id: s\n    title: {en: S}\n", &error));
        QVERIFY2(error.contains("zh_CN") && error.contains("stage s"), qPrintable(error));
        QVERIFY(!catalog.load("version: 2\n", &error));
        QVERIFY(error.contains("version: 1"));
        QVERIFY(!catalog.load("version: 1\nstages: [\n", &error));
        QVERIFY(!error.isEmpty());
    }

    void everyLesson_existsInBothLanguagesWithResolvedExcerptsAndQuizzes()
    {
        QStringList missingAtBuild;
        const QHash<QString, QString> excerpts = loadEmbeddedExcerpts(":/lessons/excerpts.json", &missingAtBuild);
        QVERIFY2(missingAtBuild.isEmpty(), qPrintable(missingAtBuild.join('\n')));
        QVERIFY(!excerpts.isEmpty());
        for (const QString &id : m_catalog.lessonIds()) {
            int quizCount = -1;
            for (const QString language : {"en", "zh_CN"}) {
                const QString where = id + " (" + language + ")";
                const QString text = lessonText(id, language);
                QVERIFY2(!text.isEmpty(), qPrintable(where + ": no Markdown file"));
                const LessonDocument doc = LessonDocument::parse(text, excerpts);
                QVERIFY2(doc.errors.isEmpty(), qPrintable(where + ": " + doc.errors.join("; ")));
                QVERIFY2(doc.missingExcerpts.isEmpty(), qPrintable(where + ": " + doc.missingExcerpts.join("; ")));
                QVERIFY2(doc.quizzes.size() >= 2 && doc.quizzes.size() <= 4, qPrintable(where + ": 2–4 quizzes"));
                if (quizCount >= 0)
                    QVERIFY2(doc.quizzes.size() == quizCount, qPrintable(where + ": quiz count differs by language"));
                quizCount = static_cast<int>(doc.quizzes.size());
                QVERIFY2(!doc.markdown.contains("@excerpt"), qPrintable(where));
            }
        }
    }

    void excerpts_followTheSources()
    {
        // Cut at build time from the real file: the RMSNorm excerpt is exactly today's definition.
        const QHash<QString, QString> excerpts = loadEmbeddedExcerpts();
        QFile source("core/src/model/rmsnorm.cpp");
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QString code = extractDefinition(QString::fromUtf8(source.readAll()), "RMSNormImpl::forward");
        QVERIFY(code.startsWith("torch::Tensor RMSNormImpl::forward("));
        QVERIFY(code.trimmed().endsWith('}'));
        QCOMPARE(excerpts.value("core/src/model/rmsnorm.cpp RMSNormImpl::forward"), code);
    }

    void extractor_handlesDeclarationsCommentsAndOverloads()
    {
        const QString source = "int f(int);\n"
                               "// see f(x) for details {\n\n"
                               "// Doubles.\n"
                               "int f(int x)\n{\n    return 2 * x; // }\n}\n"
                               "int f(double x)\n{\n    if (x) { return 1; }\n    return \"}\"[0];\n}\n"
                               "struct Point;\nstruct Point\n{\n    int x;\n};\n";
        QCOMPARE(extractDefinition(source, "f"), QString("// Doubles.\nint f(int x)\n{\n    return 2 * x; // }\n}"));
        QVERIFY(extractDefinition(source, "f#2").startsWith("int f(double x)"));
        QVERIFY(extractDefinition(source, "f#2").endsWith("return \"}\"[0];\n}"));
        QCOMPARE(extractDefinition(source, "Point"), QString("struct Point\n{\n    int x;\n};"));
        QVERIFY(extractDefinition(source, "g").isEmpty());
        QVERIFY(extractDefinition(source, "f#3").isEmpty());
    }

    void everyActionLink_isRegisteredAndListedInTheManifest()
    {
        MainWindow window;
        window.setConfirmOnClose(false);
        const QHash<QString, QString> excerpts = loadEmbeddedExcerpts();
        int links = 0;
        for (const QString &id : m_catalog.lessonIds()) {
            const Lesson *lesson = m_catalog.lesson(id);
            for (const QString language : {"en", "zh_CN"}) {
                const LessonDocument doc = LessonDocument::parse(lessonText(id, language), excerpts);
                for (const QUrl &url : doc.actionLinks) {
                    const QString name = ActionRegistry::actionName(url);
                    QVERIFY2(window.actions()->isRegistered(name), qPrintable(id + ": " + url.toString()));
                    QVERIFY2(lesson->actions.contains(name),
                             qPrintable(id + ": action " + name + " is not listed in the manifest"));
                    ++links;
                }
            }
            for (const QString &name : lesson->actions)
                QVERIFY2(window.actions()->isRegistered(name), qPrintable(id + ": unknown action " + name));
        }
        QVERIFY(links >= 30);
        QVERIFY(!window.actions()->trigger(QUrl("llmf:nonsense")).isEmpty());
    }

    void configLink_opensThePresetWithOverridesInConfigStudio()
    {
        MainWindow window;
        window.setConfirmOnClose(false);
        window.show();
        QSignalSpy triggered(window.actions(), &ActionRegistry::triggered);
        window.lessons()->activateLink(QUrl("llmf:config?preset=small&model.n_kv_heads=1"));
        QCOMPARE(triggered.count(), 1);
        QCOMPARE(window.currentPage(), int(MainWindow::ConfigPageIndex));
        QCOMPARE(window.configStudio()->config().model.dim, int64_t(256));
        QCOMPARE(window.configStudio()->config().model.n_kv_heads, int64_t(1));
        // The link's change shows as an edit of the preset (Diff tab, Reset back to n_kv_heads 4).
        auto *tabs = window.configStudio()->findChild<QTabWidget *>("studioTabs");
        QVERIFY(tabs->tabText(2).contains("(1)"));

        // A bad link says what is wrong on the lesson page and does nothing else.
        window.showPage(MainWindow::LessonsPageIndex);
        window.lessons()->activateLink(QUrl("llmf:config?preset=small&model.n_headz=3"));
        QCOMPARE(window.currentPage(), int(MainWindow::LessonsPageIndex));
        QVERIFY2(window.lessons()->bannerText().contains("n_heads"), qPrintable(window.lessons()->bannerText()));
        window.lessons()->activateLink(QUrl("llmf:page?name=checklist"));
        QCOMPARE(window.currentPage(), int(MainWindow::ChecklistPageIndex));
    }

    void viewerLinks_driveInspectorAndPlayground()
    {
        MainWindow window;
        window.setConfirmOnClose(false);
        window.show();
        // Without a run the link explains what to do instead of opening an empty page.
        QVERIFY(window.actions()->trigger(QUrl("llmf:inspector?tab=attention&layer=0&head=0")).contains("Quick start"));

        QTemporaryDir dir;
        const QString run = testing::trainSmallRun(dir);
        QVERIFY(!run.isEmpty());
        window.inspector()->openRun(run);
        QVERIFY(window.inspector()->waitUntilSettled());
        QSignalSpy opened(window.playground(), &PlaygroundPage::runOpened);
        window.playground()->openRun(run);
        QVERIFY(opened.wait(30000));
        QCOMPARE(window.actions()->trigger(QUrl("llmf:inspector?tab=rope")), QString());
        QCOMPARE(window.currentPage(), int(MainWindow::InspectorPageIndex));
        QCOMPARE(window.inspector()->tabs()->currentIndex(), 1);
        QCOMPARE(window.actions()->trigger(QUrl("llmf:inspector?tab=attention&layer=1&head=3")), QString());
        QCOMPARE(window.inspector()->tabs()->currentIndex(), 0);

        QCOMPARE(window.actions()->trigger(QUrl("llmf:playground?temperature=0.1&top_k=0&prompt=The%20cat")),
                 QString());
        QCOMPARE(window.currentPage(), int(MainWindow::PlaygroundPageIndex));
        QCOMPARE(window.playground()->sampling().temperature, 0.1);
        QVERIFY(!window.playground()->sampling().top_k.has_value());
        QCOMPARE(window.playground()->prompt(), QString("The cat"));
        QVERIFY(!window.actions()->trigger(QUrl("llmf:playground?temperature=hot")).isEmpty());

        // The guide's "T 0.1, then 1.0" as a compare: two columns, and the checklist hears about it.
        QSignalSpy compared(window.playground(), &PlaygroundPage::strategiesCompared);
        QCOMPARE(window.actions()->trigger(QUrl("llmf:compare?temperature=0.1,1.0")), QString());
        QVERIFY(arrived(compared, 30000));
        QCOMPARE(window.playground()->compareTexts().size(), 2);
        QVERIFY(window.checklistStore()->isDone("sampling-strategies"));
        QVERIFY(window.checklistStore()->entry("sampling-strategies").reason.contains("T 0.1"));
    }

    void experimentLink_trainsEachValueAndOverlaysTheCurves()
    {
        MainWindow window;
        window.setConfirmOnClose(false);
        window.show();
        QSignalSpy finished(window.experiment(), &ExperimentRunner::finished);
        const QUrl link("llmf:experiment?preset=tiny&key=training.learning_rate&values=0.0001,0.003"
                        "&training.max_iters=4&training.eval_interval=2&training.eval_iters=1&training.warmup_iters=1"
                        "&training.min_lr=0.00001"
                        "&model.n_layers=1&training.batch_size=2&model.max_seq_len=32");
        QCOMPARE(window.actions()->trigger(link), QString());
        QCOMPARE(window.currentPage(), int(MainWindow::TrainingPageIndex));
        QVERIFY(window.trainingDashboard()->note().contains("1 of 2"));
        QVERIFY(arrived(finished, 120000));
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(window.trainingDashboard()->charts()->overlayCount(), 2);
        QCOMPARE(window.trainingDashboard()->charts()->overlayLabels(),
                 QStringList({"learning_rate = 0.0001", "learning_rate = 0.003"}));
        QCOMPARE(window.experiment()->finalLosses().size(), 2);
        QVERIFY(window.trainingDashboard()->note().contains("learning_rate = 0.003 →"));
        QVERIFY(!window.actions()
                     ->trigger(QUrl("llmf:experiment?preset=tiny&key=training.learning_rate&values=1"))
                     .isEmpty());
    }

    void lessonPage_rendersExcerptsAndQuizEarnsTheChecklist()
    {
        MainWindow window;
        window.setConfirmOnClose(false);
        window.show();
        window.checklistStore()->reset();
        LessonsPage *page = window.lessons();
        QVERIFY(page->openLesson("s1-norm-and-rope"));
        QVERIFY(page->browser()->toPlainText().contains("RMSNormImpl::forward"));
        QVERIFY(!page->browser()->toPlainText().contains("@excerpt"));
        QuizPanel *quiz = page->quiz();
        QVERIFY(quiz->questionCount() >= 2);
        QSignalSpy passed(quiz, &QuizPanel::allCorrect);
        const QVector<QuizQuestion> questions = page->document().quizzes;
        quiz->choose(0, (questions[0].answer + 1) % questions[0].choices.size());
        QVERIFY(quiz->feedback(0).contains("Not quite"));
        for (int q = 0; q < questions.size(); ++q)
            quiz->choose(q, questions[q].answer);
        QCOMPARE(passed.count(), 1);
        QVERIFY(quiz->feedback(0).contains("Right"));
        QVERIFY(window.checklistStore()->isLessonPassed("s1-norm-and-rope"));
        QVERIFY(window.checklistStore()->isDone("rope"));
        QVERIFY(window.checklistStore()->entry("rope").reason.contains("RMSNorm and RoPE"));

        window.setLanguage("zh_CN");
        QVERIFY(page->browser()->toPlainText().contains("RMSNormImpl::forward"));
        QCOMPARE(page->quiz()->questionCount(), int(questions.size()));
        window.setLanguage("en");
    }
};

QTEST_MAIN(TestLessons)
#include "tst_lessons.moc"
