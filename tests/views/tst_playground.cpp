#include <QtTest>

#include "common/qcustomplot.h"
#include "playground/precisionpanel.h"
#include "playground/servepanel.h"

#include <httplib.h>

#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>

#include <future>

#include "playground/playgroundpage.h"
#include "playground/tokenview.h"
#include "smallrun.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>

#include <memory>
#include <numeric>

using namespace llmf;
using namespace llmf::views;

namespace {

using testing::arrived;

GenerationConfig settings(double temperature, std::optional<int64_t> topK, std::optional<double> topP, int64_t tokens)
{
    GenerationConfig c;
    c.temperature = temperature;
    c.top_k = topK;
    c.top_p = topP;
    c.max_new_tokens = tokens;
    c.seed = 7;
    return c;
}

} // namespace

class TestPlayground : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_runDir;

    // Opens `runDir` and waits for the answer (the page loads on its generation thread): true when it opened.
    static bool openAndWait(PlaygroundPage &page, const QString &runDir)
    {
        QSignalSpy opened(&page, &PlaygroundPage::runOpened);
        QSignalSpy failed(&page, &PlaygroundPage::runOpenFailed);
        page.openRun(runDir);
        QElapsedTimer timer;
        timer.start();
        while (opened.isEmpty() && failed.isEmpty() && timer.elapsed() < 30000)
            QTest::qWait(5);
        return !opened.isEmpty();
    }

    std::unique_ptr<PlaygroundPage> openedPage()
    {
        auto page = std::make_unique<PlaygroundPage>();
        page->resize(1280, 800);
        page->findChild<QCheckBox *>(QStringLiteral("fixSeedCheck"))->setChecked(true);
        if (!openAndWait(*page, m_runDir))
            qWarning() << page->bannerText();
        return page;
    }

    // Generates and waits for the end; returns the generationFinished arguments.
    QList<QVariant> generateAndWait(PlaygroundPage &page)
    {
        QSignalSpy finished(&page, &PlaygroundPage::generationFinished);
        page.generate();
        if (!arrived(finished, 5000))
            return {};
        return finished.first();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_runDir = testing::trainSmallRun(m_dir, {30, 8, 3e-3});
        QVERIFY(QFile::exists(m_runDir + QStringLiteral("/model.safetensors")));
    }

    // Opening does not freeze the window: openRun() returns before the weights are loaded, Generate waits for
    // them, and of two opens in a row only the last one's answer counts.
    void openRun_loadsInTheBackground()
    {
        PlaygroundPage page;
        QSignalSpy opened(&page, &PlaygroundPage::runOpened);
        QSignalSpy failed(&page, &PlaygroundPage::runOpenFailed);
        page.openRun(m_dir.filePath(QStringLiteral("does-not-exist")));
        page.openRun(m_runDir);
        QVERIFY(page.isOpening());
        QVERIFY(page.isBusy());
        QVERIFY(!page.findChild<QPushButton *>(QStringLiteral("generateButton"))->isEnabled());
        QVERIFY(opened.wait(30000));
        QCOMPARE(opened.first().first().toString(), m_runDir);
        QTest::qWait(50);
        QCOMPARE(failed.count(), 0); // the superseded open's failure is dropped
        QVERIFY(!page.isOpening());
        QCOMPARE(page.runDirectory(), m_runDir);
        QVERIFY(page.findChild<QPushButton *>(QStringLiteral("generateButton"))->isEnabled());
    }

    void openRun_trainedRun_enablesGenerate()
    {
        auto page = openedPage();
        QCOMPARE(page->runDirectory(), m_runDir);
        QVERIFY(page->bannerText().isEmpty());
        QVERIFY(page->findChild<QPushButton *>(QStringLiteral("generateButton"))->isEnabled());
        QVERIFY(page->findChild<QLabel *>(QStringLiteral("runLabel"))->text().contains(QStringLiteral("run")));
    }

    void openRun_corruptWeights_showsMessageAndKeepsWorking()
    {
        const QString bad = m_dir.filePath(QStringLiteral("corrupt"));
        QVERIFY(QDir().mkpath(bad));
        for (const char *name : {"config.yaml", "tokenizer.json"})
            QVERIFY(QFile::copy(m_runDir + QLatin1Char('/') + QLatin1String(name),
                                bad + QLatin1Char('/') + QLatin1String(name)));
        QFile weights(bad + QStringLiteral("/model.safetensors"));
        QVERIFY(weights.open(QIODevice::WriteOnly));
        weights.write(QByteArray(300, 'x'));
        weights.close();

        PlaygroundPage fresh;
        QVERIFY(!openAndWait(fresh, bad));
        QVERIFY(!fresh.bannerText().isEmpty());
        QVERIFY(fresh.runDirectory().isEmpty());
        QVERIFY(!fresh.findChild<QPushButton *>(QStringLiteral("generateButton"))->isEnabled());
        fresh.generate(); // no run: a message, not a crash
        QVERIFY(fresh.bannerText().contains(QStringLiteral("Open")));
        fresh.findChild<QToolButton *>(QStringLiteral("bannerCloseButton"))->click();
        QVERIFY(fresh.bannerText().isEmpty());

        // A failed open keeps the run that was open.
        auto page = openedPage();
        QVERIFY(!openAndWait(*page, bad));
        QCOMPARE(page->runDirectory(), m_runDir);
        QVERIFY(!openAndWait(*page, m_dir.filePath(QStringLiteral("does-not-exist"))));
        page->setSampling(settings(0.8, 50, 0.9, 5));
        QVERIFY(!generateAndWait(*page).isEmpty());
    }

    void generate_streamsTokensThenFinishes()
    {
        auto page = openedPage();
        page->setSampling(settings(0.8, 50, 0.9, 1500));
        QSignalSpy finished(page.get(), &PlaygroundPage::generationFinished);
        page->generate();
        QVERIFY(page->isGenerating());
        QSet<int> lengths;
        QElapsedTimer timer;
        timer.start();
        while (finished.isEmpty() && timer.elapsed() < 5000) {
            QTest::qWait(5);
            lengths.insert(static_cast<int>(page->outputText().size()));
        }
        QCOMPARE(finished.count(), 1);
        QVERIFY2(lengths.size() >= 3, "the output should grow in several steps while streaming");
        QCOMPARE(finished.first().at(0).toString(), page->outputText());
        QVERIFY(finished.first().at(1).toDouble() > 0.0);
        QVERIFY(page->tokenCount() > 0);
        QVERIFY(!page->isBusy());
        // The last token is selected and explained; its tooltip names the id and probability.
        QCOMPARE(page->selectedToken(), page->tokenCount() - 1);
        QCOMPARE(page->stageBarCount(PlaygroundPage::RawStage), 10);
        auto *view = page->findChild<TokenView *>(QStringLiteral("outputView"));
        QVERIFY(view->toolTipFor(0).contains(QString::number(view->token(0).id)));
        // Left/Right step through the tokens and the charts follow.
        QTest::keyClick(view, Qt::Key_Left);
        QCOMPARE(page->selectedToken(), page->tokenCount() - 2);
        QCOMPARE(page->stageBarCount(PlaygroundPage::RawStage), 10);
    }

    void seed_notFixed_drawsAndShowsNewSeedEachTime()
    {
        auto page = openedPage();
        page->findChild<QCheckBox *>(QStringLiteral("fixSeedCheck"))->setChecked(false);
        page->setSampling(settings(0.8, 50, 0.9, 4));
        auto *seed = page->findChild<QSpinBox *>(QStringLiteral("seedSpin"));
        QVERIFY(!generateAndWait(*page).isEmpty());
        const int first = seed->value();
        QVERIFY(!generateAndWait(*page).isEmpty());
        QVERIFY(seed->value() != first);
        QCOMPARE(page->sampling().seed, seed->value());
    }

    void stop_midStream_endsEarly()
    {
        auto page = openedPage();
        page->setSampling(settings(0.8, 50, 0.9, 4096));
        QSignalSpy finished(page.get(), &PlaygroundPage::generationFinished);
        page->generate();
        QTRY_VERIFY_WITH_TIMEOUT(page->tokenCount() > 0, 5000);
        page->findChild<QPushButton *>(QStringLiteral("stopButton"))->click();
        QVERIFY(arrived(finished, 5000));
        QVERIFY(page->tokenCount() < 4096);
        QVERIFY(!page->isBusy());
        QVERIFY(page->findChild<QPushButton *>(QStringLiteral("generateButton"))->isEnabled());
    }

    void topK1_leavesOneBarInTopKChart()
    {
        auto page = openedPage();
        page->setSampling(settings(1.0, 1, std::nullopt, 6));
        QVERIFY(!generateAndWait(*page).isEmpty());
        page->selectToken(0);
        QCOMPARE(page->selectedToken(), 0);
        QCOMPARE(page->stageBarCount(PlaygroundPage::RawStage), 10);
        QCOMPARE(page->stageBarCount(PlaygroundPage::TopKStage), 1);
        QCOMPARE(page->stageBarCount(PlaygroundPage::TopPStage), 1);
        QCOMPARE(page->stageValues(PlaygroundPage::TopKStage).at(0), 1.0);
    }

    void topP_keptMassReachesP()
    {
        auto page = openedPage();
        const double p = 0.6;
        page->setSampling(settings(0.7, std::nullopt, p, 6));
        QVERIFY(!generateAndWait(*page).isEmpty());
        for (int i = 0; i < page->tokenCount(); ++i) {
            page->selectToken(i);
            QVERIFY(page->topPKeptMass() >= p - 1e-5);
            const int kept = page->stageBarCount(PlaygroundPage::TopPStage);
            QVERIFY(kept >= 1);
            if (kept < 10) {
                // Top-p keeps a prefix of the sorted distribution before it; that prefix carries at least p.
                const QVector<double> before = page->stageValues(PlaygroundPage::TopKStage);
                const double mass = std::accumulate(before.begin(), before.begin() + kept, 0.0);
                QVERIFY2(mass >= p - 1e-5, qPrintable(QString::number(mass)));
                const QVector<double> after = page->stageValues(PlaygroundPage::TopPStage);
                QCOMPARE(std::accumulate(after.begin(), after.end(), 0.0) + 1.0, 2.0); // renormalised
            }
        }
    }

    void temperatureSlider_recomputesChartWithoutGenerating()
    {
        auto page = openedPage();
        page->setSampling(settings(0.8, 50, 0.9, 8));
        QVERIFY(!generateAndWait(*page).isEmpty());
        page->selectToken(2);
        const QVector<double> raw = page->stageValues(PlaygroundPage::RawStage);
        const QVector<double> tempered = page->stageValues(PlaygroundPage::TemperatureStage);
        QSignalSpy finished(page.get(), &PlaygroundPage::generationFinished);

        auto *slider = page->findChild<QSlider *>(QStringLiteral("temperatureSlider"));
        slider->setValue(200); // T = 2.0 flattens the distribution
        QCOMPARE(page->findChild<QDoubleSpinBox *>(QStringLiteral("temperatureSpin"))->value(), 2.0);
        QCOMPARE(page->selectedToken(), 2);
        QCOMPARE(page->stageValues(PlaygroundPage::RawStage), raw);
        const QVector<double> flat = page->stageValues(PlaygroundPage::TemperatureStage);
        QVERIFY(flat != tempered);
        QVERIFY(flat.first() < tempered.first());

        slider->setValue(0); // greedy: one candidate left
        QCOMPARE(page->stageBarCount(PlaygroundPage::TemperatureStage), 1);
        QTest::qWait(100);
        QCOMPARE(finished.count(), 0);
        QVERIFY(!page->isBusy());
    }

    void compare_sameSettingsAndSeed_giveIdenticalColumns()
    {
        auto page = openedPage();
        page->setSampling(settings(1.0, 50, 0.95, 30));
        auto *add = page->findChild<QPushButton *>(QStringLiteral("compareAddButton"));
        add->click();
        add->click();
        QTRY_VERIFY_WITH_TIMEOUT(!page->isBusy(), 5000);
        QStringList texts = page->compareTexts();
        QCOMPARE(texts.size(), 2);
        QVERIFY(!texts[0].isEmpty());
        QCOMPARE(texts[0], texts[1]);

        page->setSampling(settings(0.0, 50, 0.95, 30)); // greedy: its own column
        add->click();
        QTRY_VERIFY_WITH_TIMEOUT(!page->isBusy(), 5000);
        QCOMPARE(page->compareTexts().size(), 3);
        QVERIFY(!add->isEnabled()); // three columns at most
    }

    void kvCacheAb_reportsBothSpeeds()
    {
        auto page = openedPage();
        page->setSampling(settings(0.8, 50, 0.9, 60));
        page->findChild<QPushButton *>(QStringLiteral("abButton"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(!page->isBusy(), 5000);
        QVERIFY(page->abTokensPerSecond(true) > 0.0);
        QVERIFY(page->abTokensPerSecond(false) > 0.0);
        const QString result = page->findChild<QLabel *>(QStringLiteral("abResultLabel"))->text();
        QVERIFY2(result.count(QStringLiteral("tokens/s")) >= 2, qPrintable(result));
    }

    void setSampling_outOfRange_isClampedWithMessage()
    {
        auto page = openedPage();
        GenerationConfig c = settings(5.0, 50, 0.9, 10);
        page->setSampling(c);
        QCOMPARE(page->sampling().temperature, 2.0);
        QVERIFY(page->bannerText().contains(QStringLiteral("temperature")));
        c = settings(0.5, std::nullopt, std::nullopt, 10);
        page->setSampling(c);
        QCOMPARE(page->sampling().top_k, std::optional<int64_t>());
        QCOMPARE(page->sampling().top_p, std::optional<double>());
        QVERIFY(!page->findChild<QSlider *>(QStringLiteral("topKSlider"))->isEnabled());
    }

    // The Serve tab: a real OpenAI-compatible server for the open run, answering HTTP on 127.0.0.1, with a row per
    // request and the running batch size charted.
    void precisionTab_comparesFp32Int8AndInt4()
    {
        PlaygroundPage page;
        QVERIFY(openAndWait(page, m_runDir));
        PrecisionPanel *panel = page.precisionPanel();
        auto *button = panel->findChild<QPushButton *>("precisionButton");
        QVERIFY(button->isEnabled());
        llmf::GenerationConfig g = page.sampling();
        g.temperature = 0.0; // greedy: the continuations differ only where the rounding changes a choice
        g.max_new_tokens = 24;
        page.setSampling(g);
        page.setPrompt("The cat");
        QSignalSpy finished(panel, &PrecisionPanel::finished);
        QSignalSpy failed(panel, &PrecisionPanel::failed);
        button->click(); // → runRequested → the page runs it with its prompt and sliders
        QVERIFY(panel->isBusy());
        QCOMPARE(page.findChild<QTabWidget *>("playgroundTabs")->currentIndex(), int(PlaygroundPage::PrecisionTab));
        QCOMPARE(button->text(), QString("Stop"));
        QVERIFY(llmf::testing::arrived(finished, 120000));
        QCOMPARE(failed.count(), 0);
        const auto &rows = panel->rows();
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[0].precision, QString("fp32"));
        QCOMPARE(rows[2].precision, QString("int4"));
        QVERIFY(rows[1].weightsBytes < rows[0].weightsBytes / 2); // int8: ~1/3.6 of fp32 with the f32 norms
        QVERIFY(rows[2].weightsBytes < rows[1].weightsBytes);
        for (const auto &row : rows) {
            QVERIFY(row.tokensPerSecond > 0);
            QVERIFY2(row.perplexity > 1.0 && row.perplexity < 300.0, qPrintable(QString::number(row.perplexity)));
            QVERIFY(!row.continuation.isEmpty());
        }
        QCOMPARE(rows[0].agreement, 1.0);
        QVERIFY(rows[1].agreement > 0.9); // int8 rounding rarely changes the top token
        QVERIFY(std::abs(rows[1].perplexity / rows[0].perplexity - 1.0) < 0.05);
        const auto *table = panel->findChild<QTableWidget *>("precisionTable");
        QVERIFY(!table->item(2, 2)->text().isEmpty());
        QVERIFY(table->item(1, 3)->text().endsWith("%"));
        QCOMPARE(panel->findChild<QPlainTextEdit *>("precisionText0")->toPlainText(), rows[0].continuation);
        QVERIFY(panel->findChild<QLabel *>("precisionStatus")->text().contains("int8:"));
        QCOMPARE(button->text(), QString("Compare precisions"));
    }

    void serveTab_answersRequestsAndListsThem()
    {
        PlaygroundPage page;
        QVERIFY(openAndWait(page, m_runDir));
        ServePanel *serve = page.servePanel();
        serve->findChild<QSpinBox *>("servePort")->setValue(0);
        QSignalSpy served(serve, &ServePanel::requestsServed);
        QVERIFY(serve->startServer());
        QVERIFY(serve->isServing());
        QVERIFY(serve->url().startsWith("http://127.0.0.1:"));
        QVERIFY(serve->findChild<QPlainTextEdit *>("serveCurl")->toPlainText().contains(serve->url() + "/completions"));
        std::vector<std::future<int>> statuses;
        for (int i = 0; i < 3; ++i)
            statuses.push_back(std::async(std::launch::async, [port = serve->port(), i] {
                httplib::Client client("127.0.0.1", port);
                client.set_read_timeout(60, 0);
                const std::string body =
                    "{\"prompt\": \"The cat " + std::to_string(i) + "\", \"max_tokens\": 20, \"temperature\": 0}";
                const auto res = client.Post("/v1/completions", body, "application/json");
                return res ? res->status : 0;
            }));
        for (auto &status : statuses) {
            while (status.wait_for(std::chrono::milliseconds(10)) != std::future_status::ready)
                QCoreApplication::processEvents();
            QCOMPARE(status.get(), 200);
        }
        QTRY_COMPARE_WITH_TIMEOUT(serve->finishedRequests(), 3, 10000);
        QCOMPARE(serve->requestRows(), 3);
        const auto *table = serve->findChild<QTableWidget *>("serveRequests");
        QVERIFY(table->item(0, 3)->text().startsWith("done"));
        QVERIFY(table->item(0, 1)->text().toInt() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(serve->batchPoints() > 0, 5000);
        const auto *chart = serve->findChild<QCustomPlot *>("serveBatchChart");
        bool found = false;
        QVERIFY(chart->graph(0)->data()->valueRange(found).upper >= 1.0); // the burst was drawn, however short
        serve->stopServer();
        QVERIFY(!serve->isServing());
        QVERIFY(serve->url().isEmpty());
    }
};

QTEST_MAIN(TestPlayground)
#include "tst_playground.moc"
