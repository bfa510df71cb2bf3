#include <QtTest>

#include "llmf/config/presets.h"
#include "llmf/model/accounting.h"
#include "llmf/model/memoryfit.h"
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

    void memory_efficientAttentionDropsTheQuadraticTerm()
    {
        ModelConfig cfg = loadPreset("small").model;
        cfg.max_seq_len = 2048;
        const auto m = estimateMemory(cfg, 16, 2048);
        // The explicit path keeps B·H·T² probabilities per layer (16·8·2048²·4 bytes = 2 GiB a layer, 4 layers); the
        // memory-efficient one B·H·T log-sum-exps.
        QCOMPARE(m.activationsExplicitAttention - m.activations, int64_t(4) * 16 * 2048 * 8 * (2048 - 1) * 4);
        QVERIFY(m.activationsExplicitAttention > 2 * m.activations); // 12.6 GiB against 4.6 GiB
        cfg.dropout = 0.1; // dropout takes the explicit path: both estimates agree
        const auto withDropout = estimateMemory(cfg, 16, 2048);
        QCOMPARE(withDropout.activations, withDropout.activationsExplicitAttention);
    }

    void memoryFit_refusesWithNumbersAndAFittingBatch()
    {
        Config config = loadPreset("tiny");
        const MemoryEstimate m = estimateMemory(config.model, config.training.batch_size, config.model.max_seq_len);
        QVERIFY(checkTrainingMemory(config, m.total() + 1).fits());
        QVERIFY(checkTrainingMemory(config, 0).fits()); // unknown: no verdict

        const int64_t parameters = m.weights + m.gradients + m.optimizer;
        const int64_t perSequence = m.activations / config.training.batch_size;
        const MemoryFit tight = checkTrainingMemory(config, parameters + 3 * perSequence + 10);
        QVERIFY(!tight.fits());
        QCOMPARE(tight.largestBatchThatFits, 3);
        QCOMPARE(tight.needed, m.total());
        QVERIFY(QString::fromStdString(tight.message()).contains(QString::fromStdString(humanBytes(m.total()))));
        QVERIFY(QString::fromStdString(tight.hint()).contains("training.batch_size to 3"));

        // The example: dim 1048576 wants tens of billions of parameters.
        config.model.dim = 1048576;
        config.model.n_heads = 8;
        config.model.n_kv_heads = 8;
        const MemoryFit huge = checkTrainingMemory(config, int64_t(24) << 30);
        QVERIFY(!huge.fits());
        QCOMPARE(huge.largestBatchThatFits, 0);
        QVERIFY(QString::fromStdString(huge.hint()).contains("model.dim"));
        QVERIFY(QString::fromStdString(huge.message()).contains("24.0 GiB"));
        QVERIFY(availableSystemMemory() > 0); // /proc/meminfo on Linux
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
