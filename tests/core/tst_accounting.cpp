#include <QtTest>

#include "llmf/config/presets.h"
#include "llmf/model/accounting.h"
#include "llmf/model/minillm.h"

using namespace llmf;

class TestAccounting : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parameterCount_equalsRealModuleForEveryPreset()
    {
        for (const auto &name : listPresets()) {
            const ModelConfig cfg = loadPreset(name).model;
            MiniLLM model(cfg);
            int64_t numel = 0;
            for (const auto &p : model->parameters())
                numel += p.numel();
            QVERIFY2(numel == countParameters(cfg).total, name.c_str());
        }
    }

    void parameterCount_tiedEmbeddingsCountOnce()
    {
        ModelConfig cfg = loadPreset("tiny").model;
        cfg.tie_embeddings = true;
        MiniLLM model(cfg);
        int64_t numel = 0;
        for (const auto &p : model->parameters())
            numel += p.numel();
        QCOMPARE(countParameters(cfg).total, numel);
        QCOMPARE(countParameters(cfg).lmHead, 0);
    }

    void guidePresets_haveTheTrueSizes()
    {
        // The guide said "~2M" and "~10M"; the real numbers:
        QCOMPARE(countParameters(loadPreset("small").model).total, 7078144);
        const auto medium = countParameters(loadPreset("medium").model);
        QCOMPARE(medium.total, 31461888);
        const auto rtx = countParameters(loadPreset("rtx5060").model).total;
        QVERIFY2(rtx >= 66000000 && rtx <= 71500000, qPrintable(QString::number(rtx)));
    }

    void breakdown_rowsAddUpToTotal()
    {
        const auto p = countParameters(loadPreset("small").model);
        int64_t sum = 0;
        for (const auto &[name, count] : p.rows())
            sum += count;
        QCOMPARE(sum, p.total);
        QCOMPARE(p.perLayer.attention, 196608);   // q 256x256, k,v 256x128, o 256x256
        QCOMPARE(p.perLayer.feedForward, 523776); // 3 x 256 x 682
    }

    void memory_kvCacheScalesWithKvHeads()
    {
        const ModelConfig cfg = loadPreset("small").model; // 8 heads, 4 kv heads
        const auto m = estimateMemory(cfg, 16, 256);
        QCOMPARE(m.kvCache.mha, 2 * m.kvCache.gqa);
        QCOMPARE(m.kvCache.gqa, 4 * m.kvCache.mqa);
        // 2 (K and V) x 4 layers x 256 positions x 32 dims x 4 bytes per KV head
        QCOMPARE(m.kvCache.mqa, int64_t(2) * 4 * 256 * 32 * 4);
        QCOMPARE(m.weights, 7078144 * 4);
        QCOMPARE(m.optimizer, 2 * m.weights);
        QVERIFY(m.activations > 0);
        QVERIFY(estimateMemory(cfg, 32, 256).activations > m.activations);
        QCOMPARE(estimateMemory(cfg, 16, 256, "bfloat16").activations * 2, m.activations);
    }

    void humanReadable_formats()
    {
        QCOMPARE(humanCount(7078144), std::string("7.08M"));
        QCOMPARE(humanCount(999), std::string("999"));
        QCOMPARE(humanBytes(1536), std::string("1.5 KiB"));
        QCOMPARE(humanBytes(512), std::string("512 B"));
    }
};

QTEST_GUILESS_MAIN(TestAccounting)
#include "tst_accounting.moc"
