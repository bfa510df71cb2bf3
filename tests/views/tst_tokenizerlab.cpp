#include <QtTest>

#include "llmf/inspect/attentionprobe.h"
#include "llmf/tokenizer/bpetrainer.h"
#include "llmf/run/rundirectory.h"
#include "llmf/tokenizer/mergereplay.h"
#include "smallrun.h"
#include "tokenizerlab/tokenizerlabpage.h"

#include <QLabel>
#include <QComboBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSlider>
#include <QTableWidget>

using namespace llmf;
using namespace llmf::views;

class TestTokenizerLab : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_runDir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_runDir = testing::trainSmallRun(m_dir, {4, 2, 3e-4});
        QVERIFY(!m_runDir.isEmpty());
    }

    void replay_stepsThroughEveryMergeAndEndsAtTheTokenizersEncoding()
    {
        TokenizerLabPage page;
        page.setRunDirectory(m_runDir); // nothing loaded yet: the run's tokenizer is taken
        QVERIFY(page.tokenizer() != nullptr);
        const Tokenizer run = RunDirectory(m_runDir.toStdString()).loadTokenizer();
        QCOMPARE(page.tokenizer()->vocabSize(), run.vocabSize());
        const QString text = QStringLiteral("The clever fox walked to the quiet river.");
        page.setText(text);
        const int merges = page.mergeCount();
        QCOMPARE(merges, int(run.merges().size()));
        QCOMPARE(page.merge(), merges); // opened at the end: the tokenizer as trained

        page.setMerge(0);
        QCOMPARE(page.tokenIds().size(), text.toUtf8().size()); // one token per byte
        QVERIFY(page.mergeDescription().contains("every byte is a token"));
        for (int k = 1; k <= merges; ++k) {
            page.findChild<QPushButton *>("replayStep")->click();
            QCOMPARE(page.merge(), k);
            const Merge &m = run.merges()[size_t(k - 1)];
            // The merge shown is the trainer's merge k, its new token spelled out.
            QVERIFY2(page.mergeDescription().contains(QString("Merge %1 of %2").arg(k).arg(merges)),
                     qPrintable(page.mergeDescription()));
            QVERIFY(page.mergeDescription().contains(QString::fromStdString(displayToken(run.tokenBytes(m.token)))));
        }
        QVector<qint32> expected;
        for (int32_t id : run.encodeOrdinary(text.toStdString()))
            expected.append(id);
        QCOMPARE(page.tokenIds(), expected);
        QVERIFY(page.statsText().startsWith(QString::number(expected.size()) + " tokens"));
        QVERIFY(page.tokenToolTip(0).contains(QString("id %1").arg(expected[0])));

        // Play runs to the end by itself and stops there; a step past the end starts over.
        page.setMerge(merges - 3);
        page.setPlaying(true);
        QTRY_VERIFY_WITH_TIMEOUT(!page.isPlaying(), 5000);
        QCOMPARE(page.merge(), merges);
        page.step();
        QCOMPARE(page.merge(), 0);
    }

    void sizes_compareEnglishAndChineseAtFourVocabularies()
    {
        TokenizerLabPage page;
        BpeTrainer trainer;
        trainer.addText(testing::englishText().toStdString() + "凡是有钱的单身汉，总想娶位太太。真理。真理。");
        page.setTokenizer(trainer.train(600).tokenizer, "test");
        const QTableWidget *sizes = page.sizesTable();
        QCOMPARE(sizes->rowCount(), 4);
        QCOMPARE(sizes->item(0, 1)->text(), QString("258"));
        QVERIFY2(sizes->item(3, 1)->text().startsWith("8192 (this tokenizer has "),
                 qPrintable(sizes->item(3, 1)->text()));
        // More merges, fewer tokens for the same English sentence.
        const int bytesTokens = sizes->item(0, 2)->text().section(' ', 0, 0).toInt();
        const int fullTokens = sizes->item(3, 2)->text().section(' ', 0, 0).toInt();
        QVERIFY2(fullTokens < bytesTokens, qPrintable(sizes->item(3, 2)->text()));
        QVERIFY(sizes->item(0, 0)->text().contains("|"));
    }

    void trainOnCorpus_trainsOnAWorkerThread()
    {
        TokenizerLabPage page;
        auto *corpus = page.findChild<QComboBox *>("labCorpus");
        if (corpus->count() == 0)
            QSKIP("no built-in corpus is installed");
        page.findChild<QSpinBox *>("labVocabSize")->setValue(400);
        QSignalSpy finished(&page, &TokenizerLabPage::trainingFinished);
        page.findChild<QPushButton *>("labTrain")->click();
        QVERIFY(page.isTraining());
        QVERIFY(testing::arrived(finished, 120000));
        QCOMPARE(finished.takeFirst().at(0).toBool(), true);
        QCOMPARE(page.tokenizer()->vocabSize(), 400);
        QVERIFY(page.findChild<QLabel *>("tokenizerSource")->text().contains("trained here"));
    }
};

QTEST_MAIN(TestTokenizerLab)
#include "tst_tokenizerlab.moc"
