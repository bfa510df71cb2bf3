#include <QtTest>

#include "common/qcustomplot.h"
#include "inspector/attentiongrid.h"
#include "inspector/attentionheatmap.h"
#include "inspector/attentionview.h"
#include "inspector/checkpointslider.h"
#include "inspector/embeddingmapview.h"
#include "inspector/headsview.h"
#include "inspector/inspectorpage.h"
#include "inspector/logitlensview.h"
#include "inspector/ropeview.h"
#include "llmf/inspect/attentionprobe.h"
#include "llmf/inspect/embeddingmap.h"
#include "llmf/inspect/headmetrics.h"
#include "llmf/inspect/logitlens.h"
#include "llmf/run/rundirectory.h"
#include "smallrun.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QSlider>
#include <QSpinBox>

#include <cmath>

using namespace llmf;
using namespace llmf::views;

namespace {

const QString kSentence = QStringLiteral("The cat looked at the quiet river.");

// The Inspector loads and probes on its worker thread: opens a run and waits for the answer (true: it opened).
bool open(InspectorPage &page, const QString &runDir)
{
    QSignalSpy opened(&page, &InspectorPage::runOpened);
    QSignalSpy failed(&page, &InspectorPage::loadFailed);
    page.openRun(runDir);
    return page.waitUntilSettled(60000) && opened.count() == 1 && failed.isEmpty();
}

} // namespace

class TestInspector : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_runDir;
    LoadedRun m_run;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_runDir = testing::trainSmallRun(m_dir, {20, 4, 3e-4});
        QVERIFY(!m_runDir.isEmpty());
        m_run = loadRun(m_runDir.toStdString(), "cpu");
    }

    void attentionMap_equalsTheProbeForTheSelectedHead()
    {
        InspectorPage page;
        QVERIFY(open(page, m_runDir));
        QCOMPARE(page.runDirectory(), m_runDir);
        QVERIFY(page.bannerText().isEmpty());
        page.setText(kSentence);
        QVERIFY(page.waitUntilSettled());
        page.showAttention(1, 2);
        const AttentionMaps expected = probeAttention(m_run, kSentence.toStdString());
        QVERIFY(expected.tokens > 3);
        QCOMPARE(page.attentionView()->heatmap()->tokenCount(), expected.tokens);
        for (int q = 0; q < expected.tokens; ++q)
            for (int k = 0; k < expected.tokens; ++k)
                QCOMPARE(static_cast<float>(page.attentionValue(q, k)), expected.at(1, 2, q, k));
        QCOMPARE(page.findChild<QSpinBox *>("layerSpin")->value(), 1);
        QCOMPARE(page.findChild<QSpinBox *>("headSpin")->value(), 2);
        QVERIFY(page.attentionView()->heatmap()->describeCell(2, 1).contains(
            QString::number(expected.at(1, 2, 2, 1), 'f', 4)));
    }

    void checkpointSlider_showsTheModelAtEachSavedStep()
    {
        // The fixture's run saved the untrained weights (step 0) and its final ones (step 20).
        InspectorPage page;
        QVERIFY(open(page, m_runDir));
        CheckpointSlider *slider = page.checkpointSlider();
        QCOMPARE(slider->count(), 2);
        QCOMPARE(page.weightsStep(), qint64(20));
        page.setText(kSentence);
        QVERIFY(page.waitUntilSettled());
        page.showAttention(0, 0);
        const double trained = page.attentionValue(3, 1);
        slider->setIndex(0);
        QVERIFY(page.waitUntilSettled());
        QCOMPARE(page.weightsStep(), qint64(0));
        LoadedRun untrained =
            loadRun(m_runDir.toStdString(), "cpu", RunDirectory(m_runDir.toStdString()).historyPath(0));
        const AttentionMaps expected = probeAttention(untrained, kSentence.toStdString());
        QCOMPARE(static_cast<float>(page.attentionValue(3, 1)), expected.at(0, 0, 3, 1));
        QVERIFY(page.attentionValue(3, 1) != trained);
        slider->setIndex(1);
        QVERIFY(page.waitUntilSettled());
        QCOMPARE(page.weightsStep(), qint64(20));
        QCOMPARE(page.attentionValue(3, 1), trained);
    }

    void causalMap_isZeroAboveTheDiagonal()
    {
        InspectorPage page;
        QVERIFY(open(page, m_runDir));
        page.setText(kSentence);
        QVERIFY(page.waitUntilSettled());
        auto *spin = page.findChild<QSpinBox *>("headSpin");
        for (int layer = 0; layer < 2; ++layer)
            for (int head = 0; head < 4; ++head) {
                page.findChild<QSpinBox *>("layerSpin")->setValue(layer);
                spin->setValue(head);
                const int T = page.attentionView()->heatmap()->tokenCount();
                for (int q = 0; q < T; ++q) {
                    double sum = 0;
                    for (int k = 0; k < T; ++k) {
                        sum += page.attentionValue(q, k);
                        if (k > q)
                            QCOMPARE(page.attentionValue(q, k), 0.0);
                    }
                    QVERIFY(std::abs(sum - 1.0) < 1e-5);
                }
            }
        page.setText(QStringLiteral("A")); // one token: it can only look at itself
        QVERIFY(page.waitUntilSettled());
        QCOMPARE(page.attentionView()->heatmap()->tokenCount(), 1);
        QCOMPARE(page.attentionValue(0, 0), 1.0);
    }

    void grid_hasEveryHeadAndAClickSelectsIt()
    {
        InspectorPage page;
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(open(page, m_runDir));
        page.setText(kSentence);
        QVERIFY(page.waitUntilSettled());
        QCOMPARE(page.gridThumbnailCount(), 2 * 4);
        auto *grid = page.findChild<AttentionGrid *>("attentionGrid");
        QVERIFY(grid);
        const QRect target = grid->thumbnailRect(1, 3);
        QVERIFY(!target.isEmpty());
        QTest::mouseClick(grid, Qt::LeftButton, {}, target.center());
        QCOMPARE(page.findChild<QSpinBox *>("layerSpin")->value(), 1);
        QCOMPARE(page.findChild<QSpinBox *>("headSpin")->value(), 3);
        QCOMPARE(grid->selectedLayer(), 1);
        QCOMPARE(grid->selectedHead(), 3);
        const AttentionMaps expected = probeAttention(m_run, kSentence.toStdString());
        QCOMPARE(static_cast<float>(page.attentionValue(4, 2)), expected.at(1, 3, 4, 2));
        // Hovering a cell names both tokens and the exact weight.
        AttentionHeatmap *map = page.attentionView()->heatmap();
        map->replot();
        const QPoint cell(qRound(map->xAxis->coordToPixel(2)), qRound(map->yAxis->coordToPixel(4)));
        QTest::mouseMove(map, cell);
        QTRY_VERIFY(map->hoverText().contains(QString::number(expected.at(1, 3, 4, 2), 'f', 4)));
        QVERIFY(map->hoverText().startsWith("query 4"));
        // GQA: heads 2 and 3 read KV head 1, and the head selector says so.
        QVERIFY(page.findChild<QSpinBox *>("headSpin")->text().contains("kv 1"));
    }

    void typing_reprobesOnceTheTextSettles()
    {
        InspectorPage page;
        QVERIFY(open(page, m_runDir));
        page.findChild<QPlainTextEdit *>("textEdit")->setPlainText(QStringLiteral("ab"));
        QTRY_COMPARE(page.attentionView()->heatmap()->tokenCount(), probeAttention(m_run, "ab").tokens);
    }

    void rope_relativeCurvesMatchForTwoStarts()
    {
        InspectorPage page;
        QVERIFY(open(page, m_runDir));
        RopeView *rope = page.ropeView();
        const QVector<double> a = rope->relativeScores(0), b = rope->relativeScores(1);
        QVERIFY(a.size() > 10);
        QCOMPARE(a.size(), b.size());
        for (int i = 0; i < a.size(); ++i)
            QVERIFY2(std::abs(a[i] - b[i]) < 1e-4,
                     qPrintable(QString("offset %1: %2 vs %3").arg(i).arg(a[i]).arg(b[i])));
        QCOMPARE(page.findChild<QCustomPlot *>("ropeFrequencyPlot")->graph(0)->dataCount(), 4); // head_dim 8
        // Moving the slider turns the arrow but keeps its length.
        const QPointF start = rope->rotationPoint();
        page.findChild<QSlider *>("ropePositionSlider")->setValue(5);
        const QPointF turned = rope->rotationPoint();
        QVERIFY(start != turned);
        QVERIFY(std::abs(std::hypot(start.x(), start.y()) - std::hypot(turned.x(), turned.y())) < 1e-5);
    }

    void corruptRun_showsAMessageNotACrash()
    {
        const QString broken = m_dir.filePath("broken");
        QVERIFY(QDir().mkpath(broken));
        for (const char *name : {"config.yaml", "tokenizer.json"})
            QVERIFY(QFile::copy(m_runDir + "/" + name, broken + "/" + name));
        QFile weights(broken + "/model.safetensors");
        QVERIFY(weights.open(QIODevice::WriteOnly));
        weights.write("this is not a safetensors file at all, just some garbage bytes \x01\x02\x03");
        weights.close();

        InspectorPage page;
        page.show();
        QVERIFY(!open(page, broken));
        auto *banner = page.findChild<QLabel *>("bannerLabel");
        QVERIFY(banner && banner->isVisible());
        QVERIFY2(page.bannerText().contains("model.safetensors"), qPrintable(page.bannerText()));
        QVERIFY(!page.hasRun());

        // A good run stays open when the next one fails.
        QVERIFY(open(page, m_runDir));
        QVERIFY(page.bannerText().isEmpty());
        QVERIFY(!open(page, m_dir.filePath("does-not-exist")));
        QCOMPARE(page.runDirectory(), m_runDir);
        QVERIFY(!page.bannerText().isEmpty());
    }

    void loadingAndProbing_happenOffTheGuiThread_andStaleRequestsAreSkipped()
    {
        InspectorPage page;
        QSignalSpy shown(&page, &InspectorPage::weightsShown);
        page.openRun(m_runDir);
        // openRun returned before anything was loaded: the answer arrives through the event loop.
        QVERIFY(page.isBusy());
        QVERIFY(page.hasRun()); // a lesson link may already ask for a text on it
        QCOMPARE(page.weightsStep(), qint64(-1));
        QVERIFY(page.findChild<QLabel *>("runSummary")->text().startsWith("Opening"));
        page.setText(QStringLiteral("first text"));
        page.setText(QStringLiteral("second text"));
        page.setText(kSentence);
        QVERIFY(page.waitUntilSettled());
        QCOMPARE(shown.count(), 1);
        QCOMPARE(shown.front().front().toLongLong(), qint64(20));
        const AttentionMaps expected = probeAttention(m_run, kSentence.toStdString());
        QCOMPARE(page.attentionView()->heatmap()->tokenCount(), expected.tokens);
        QCOMPARE(static_cast<float>(page.attentionValue(2, 1)), expected.at(0, 0, 2, 1));

        // The slider dragged across steps ends on the step it was released at, whatever was skipped on the way.
        CheckpointSlider *slider = page.checkpointSlider();
        slider->setIndex(0);
        slider->setIndex(1);
        slider->setIndex(0);
        QVERIFY(page.waitUntilSettled());
        QCOMPARE(page.weightsStep(), qint64(0));
        QCOMPARE(shown.back().front().toLongLong(), qint64(0));

        // A page closed while it loads waits for its worker and leaves nothing behind.
        {
            InspectorPage closing;
            closing.openRun(m_runDir);
            closing.setText(kSentence);
        }
        QTest::qWait(50); // answers for the deleted page must not be delivered
    }

    void logitLens_showsWhatEachLayerPredictsAndAClickShowsItsCandidates()
    {
        InspectorPage page;
        QVERIFY(open(page, m_runDir));
        page.setText(kSentence);
        QVERIFY(page.waitUntilSettled());
        LogitLensView *view = page.logitLensView();
        const LogitLens expected = probeLogitLens(m_run, kSentence.toStdString());
        QVERIFY(view->lens() == nullptr); // computed when its tab is shown, not for every text
        page.tabs()->setCurrentIndex(3);
        QVERIFY(page.waitUntilSettled());
        QVERIFY(view->lens() != nullptr);
        QCOMPARE(view->lens()->rows, 3); // embeddings + 2 blocks
        QCOMPARE(view->lens()->tokens, expected.tokens);
        // Unselected: the model's own prediction after the last token.
        QCOMPARE(view->selectedRow(), 2);
        QCOMPARE(view->selectedPosition(), expected.tokens - 1);
        QCOMPARE(view->cellText(1, 2), QString::fromStdString(expected.text(1, 2)).left(8));

        // A click on the cell (row 1, position 2) of the grid selects it and shows its ten candidates.
        auto *grid = view->findChild<QCustomPlot *>("logitLensGrid");
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        grid->replot();
        QSignalSpy selected(view, &LogitLensView::cellSelected);
        const QPoint cell(static_cast<int>(grid->xAxis->coordToPixel(2)),
                          static_cast<int>(grid->yAxis->coordToPixel(1)));
        QTest::mouseClick(grid, Qt::LeftButton, {}, cell);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(view->selectedRow(), 1);
        QCOMPARE(view->selectedPosition(), 2);
        const QStringList bars = view->barLabels();
        QCOMPARE(bars.size(), 10);
        QCOMPARE(bars.front(), QString::fromStdString(expected.text(1, 2, 0)));
        QVERIFY(view->summary().contains(QString::fromStdString(expected.text(1, 2))));
        QVERIFY(view->summary().contains("block 1"));
        auto *norms = view->findChild<QCustomPlot *>("logitLensNorms");
        QCOMPARE(norms->graph(0)->dataCount(), 3);
        QCOMPARE(norms->graph(1)->dataCount(), 2);

        page.setText(QString()); // an empty text clears the lens too

        QVERIFY(page.waitUntilSettled());
        QVERIFY(view->lens() == nullptr);
    }

    void embeddingMap_searchesNeighboursAndStaysAlignedAcrossSteps()
    {
        InspectorPage page;
        QVERIFY(open(page, m_runDir));
        EmbeddingMapView *view = page.embeddingMapView();
        QVERIFY(view->map() == nullptr); // computed when its tab is shown
        page.tabs()->setCurrentIndex(4);
        QVERIFY(page.waitUntilSettled());
        QVERIFY(view->map() != nullptr);
        QCOMPARE(view->map()->tokens, m_run.tokenizer.vocabSize());
        QVERIFY(!view->map()->labelled.empty());
        const QString word = QString::fromStdString(view->map()->labels[static_cast<size_t>(view->map()->labelled[0])]);
        QVERIFY(view->search(word));
        const QStringList neighbours = view->neighbourLabels();
        QCOMPARE(neighbours.size(), 10);
        const auto expected =
            nearestRows(view->map()->rows, view->map()->tokens, view->map()->dim, view->map()->labelled[0], 10);
        QCOMPARE(neighbours.front(), QString::fromStdString(view->map()->labels[static_cast<size_t>(expected[0].id)]));
        QVERIFY(!view->search("no such token at all"));
        QVERIFY(view->findChild<QLabel *>("embeddingStatus")->text().contains("no such token"));

        // Another step: the new map is the fresh PCA turned onto the previous one.
        const auto history = RunDirectory(m_runDir.toStdString()).weightHistory();
        QVERIFY(!history.empty());
        const QVector<QPointF> before = view->points();
        std::vector<float> previous;
        for (const QPointF &p : before)
            previous.insert(previous.end(), {float(p.x()), float(p.y())});
        page.showWeights(QString::fromStdString(history.front().second));
        QVERIFY(page.waitUntilSettled());
        const EmbeddingMap fresh =
            probeEmbeddingMap(loadRun(m_runDir.toStdString(), "cpu", history.front().second), EmbeddingTable::Input);
        const std::vector<float> aligned = alignTo(fresh.projection.points, previous);
        const QVector<QPointF> after = view->points();
        for (int i = 0; i < after.size(); ++i) {
            QVERIFY(std::abs(after[i].x() - aligned[2 * size_t(i)]) < 1e-5);
            QVERIFY(std::abs(after[i].y() - aligned[2 * size_t(i) + 1]) < 1e-5);
        }
    }

    void heads_measureEveryCheckpoint_andOpenAHeadAtAStep()
    {
        InspectorPage page;
        QVERIFY(open(page, m_runDir));
        HeadsView *view = page.headsView();
        QSignalSpy finished(view, &HeadsView::finished);
        view->findChild<QPushButton *>("headsMeasureButton")->click();
        QVERIFY(view->isBusy());
        QVERIFY(testing::arrived(finished, 60000));
        const HeadSpecialisation *result = view->result();
        QVERIFY(result != nullptr);
        QVERIFY(result->steps.size() >= 2); // step 0 and the end
        QCOMPARE(result->steps.front(), int64_t(0));
        QCOMPARE(result->layers, 2);
        QCOMPARE(result->heads, 4);
        // The view shows what the core measures for that snapshot.
        const auto expected = measureHeads(m_run, defaultHeadProbeText());
        const size_t last = result->steps.size() - 1;
        view->setMetric(HeadsView::PreviousToken);
        QCOMPARE(float(view->value(int(last), 1, 3)), expected[size_t(1 * 4 + 3)].previousToken);
        view->setMetric(HeadsView::Entropy);
        QCOMPARE(float(view->value(int(last), 0, 2)), expected[2].entropy);
        QVERIFY(!view->summary().isEmpty());

        QSignalSpy chosen(view, &HeadsView::headChosen);
        view->chooseCell(0, 1 * 4 + 2); // step 0, layer 1 head 2
        QCOMPARE(chosen.count(), 1);
        QVERIFY(page.waitUntilSettled());
        QCOMPARE(page.weightsStep(), qint64(0));
        QCOMPARE(page.attentionView()->layer(), 1);
        QCOMPARE(page.attentionView()->head(), 2);
        QCOMPARE(page.attentionView()->text(), QString::fromStdString(defaultHeadProbeText()));
    }

    void export_writesPngAndCsvForEveryTab()
    {
        InspectorPage page;
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(open(page, m_runDir));
        page.setText(kSentence);
        QVERIFY(page.waitUntilSettled());
        for (int tab = 0; tab < 5; ++tab) {
            const QString png = m_dir.filePath(QString("tab%1.png").arg(tab));
            const QString csv = m_dir.filePath(QString("tab%1.csv").arg(tab));
            page.tabs()->setCurrentIndex(tab); // the lens and the map are computed when their tab is shown
            QVERIFY(page.waitUntilSettled());
            QVERIFY(page.exportPng(tab, png));
            QVERIFY(page.exportCsv(tab, csv));
            QVERIFY(!QImage(png).isNull());
            QVERIFY(QFileInfo(csv).size() > 50);
        }
        QFile csv(m_dir.filePath("tab0.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const int T = page.attentionView()->heatmap()->tokenCount();
        QCOMPARE(csv.readAll().count('\n'), 1 + 2 * 4 * T * T);

        InspectorPage empty; // nothing open: a message, not a crash
        QVERIFY(!empty.exportCsv(0, m_dir.filePath("none.csv")));
        QVERIFY(!empty.bannerText().isEmpty());
    }
};

QTEST_MAIN(TestInspector)
#include "tst_inspector.moc"
