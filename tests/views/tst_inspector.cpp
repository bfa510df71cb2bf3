#include <QtTest>

#include "common/qcustomplot.h"
#include "inspector/attentiongrid.h"
#include "inspector/attentionheatmap.h"
#include "inspector/attentionview.h"
#include "inspector/checkpointslider.h"
#include "inspector/inspectorpage.h"
#include "inspector/logitlensview.h"
#include "inspector/ropeview.h"
#include "llmf/inspect/attentionprobe.h"
#include "llmf/inspect/logitlens.h"
#include "llmf/train/rundirectory.h"
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
        QVERIFY(page.openRun(m_runDir));
        QCOMPARE(page.runDirectory(), m_runDir);
        QVERIFY(page.bannerText().isEmpty());
        page.setText(kSentence);
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
        QVERIFY(page.openRun(m_runDir));
        CheckpointSlider *slider = page.checkpointSlider();
        QCOMPARE(slider->count(), 2);
        QCOMPARE(page.weightsStep(), qint64(20));
        page.setText(kSentence);
        page.showAttention(0, 0);
        const double trained = page.attentionValue(3, 1);
        slider->setIndex(0);
        QCOMPARE(page.weightsStep(), qint64(0));
        LoadedRun untrained =
            loadRun(m_runDir.toStdString(), "cpu", RunDirectory(m_runDir.toStdString()).historyPath(0));
        const AttentionMaps expected = probeAttention(untrained, kSentence.toStdString());
        QCOMPARE(static_cast<float>(page.attentionValue(3, 1)), expected.at(0, 0, 3, 1));
        QVERIFY(page.attentionValue(3, 1) != trained);
        slider->setIndex(1);
        QCOMPARE(page.weightsStep(), qint64(20));
        QCOMPARE(page.attentionValue(3, 1), trained);
    }

    void causalMap_isZeroAboveTheDiagonal()
    {
        InspectorPage page;
        QVERIFY(page.openRun(m_runDir));
        page.setText(kSentence);
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
        QCOMPARE(page.attentionView()->heatmap()->tokenCount(), 1);
        QCOMPARE(page.attentionValue(0, 0), 1.0);
    }

    void grid_hasEveryHeadAndAClickSelectsIt()
    {
        InspectorPage page;
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(page.openRun(m_runDir));
        page.setText(kSentence);
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
        QVERIFY(page.openRun(m_runDir));
        page.findChild<QPlainTextEdit *>("textEdit")->setPlainText(QStringLiteral("ab"));
        QTRY_COMPARE(page.attentionView()->heatmap()->tokenCount(), probeAttention(m_run, "ab").tokens);
    }

    void rope_relativeCurvesMatchForTwoStarts()
    {
        InspectorPage page;
        QVERIFY(page.openRun(m_runDir));
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
        QVERIFY(!page.openRun(broken));
        auto *banner = page.findChild<QLabel *>("bannerLabel");
        QVERIFY(banner && banner->isVisible());
        QVERIFY2(page.bannerText().contains("model.safetensors"), qPrintable(page.bannerText()));
        QVERIFY(!page.hasRun());

        // A good run stays open when the next one fails.
        QVERIFY(page.openRun(m_runDir));
        QVERIFY(page.bannerText().isEmpty());
        QVERIFY(!page.openRun(m_dir.filePath("does-not-exist")));
        QCOMPARE(page.runDirectory(), m_runDir);
        QVERIFY(!page.bannerText().isEmpty());
    }

    void logitLens_showsWhatEachLayerPredictsAndAClickShowsItsCandidates()
    {
        InspectorPage page;
        QVERIFY(page.openRun(m_runDir));
        page.setText(kSentence);
        LogitLensView *view = page.logitLensView();
        const LogitLens expected = probeLogitLens(m_run, kSentence.toStdString());
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
        page.tabs()->setCurrentIndex(3);
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
        QVERIFY(view->lens() == nullptr);
    }

    void export_writesPngAndCsvForEveryTab()
    {
        InspectorPage page;
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(page.openRun(m_runDir));
        page.setText(kSentence);
        for (int tab = 0; tab < 4; ++tab) {
            const QString png = m_dir.filePath(QString("tab%1.png").arg(tab));
            const QString csv = m_dir.filePath(QString("tab%1.csv").arg(tab));
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
