#include <QtTest>

#include "llmf/common/error.h"
#include "llmf/inspect/attentionprobe.h"
#include "llmf/inspect/embeddingmap.h"
#include "llmf/inspect/headmetrics.h"
#include "llmf/inspect/logitlens.h"
#include "llmf/inspect/ropeprobe.h"
#include "llmf/inspect/weightprobe.h"
#include "llmf/model/minillm.h"
#include "llmf/tokenizer/tokenizer.h"

#include <cmath>

using namespace llmf;

namespace {

ModelConfig smallConfig(int64_t heads = 4, int64_t kvHeads = 2)
{
    ModelConfig c;
    c.dim = 32;
    c.n_layers = 2;
    c.n_heads = heads;
    c.n_kv_heads = kvHeads;
    c.vocab_size = 300;
    c.max_seq_len = 32;
    return c;
}

} // namespace

class TestInspect : public QObject
{
    Q_OBJECT

    MiniLLM m_model{nullptr};
    Tokenizer m_tokenizer; // bytes only: one token per byte, so token counts are easy to predict

private Q_SLOTS:
    void initTestCase()
    {
        torch::manual_seed(0);
        m_model = MiniLLM(smallConfig());
        m_model->eval();
    }

    void attention_equalsTheModelsProbe()
    {
        const std::string text = "The cat sat.";
        const AttentionMaps maps = probeAttention(m_model, m_tokenizer, text);
        QCOMPARE(maps.layers, 2);
        QCOMPARE(maps.heads, 4);
        QCOMPARE(maps.kvHeads, 2);
        QCOMPARE(maps.tokens, static_cast<int>(text.size()));
        QCOMPARE(maps.probabilities.size(), size_t(2 * 4 * 12 * 12));

        torch::Tensor attention;
        {
            torch::NoGradGuard noGrad;
            std::vector<int64_t> ids(text.begin(), text.end()); // byte tokenizer: id == byte
            m_model->probe(torch::tensor(ids), attention);      // (L, H, T, T)
        }
        const auto a = attention.accessor<float, 4>();
        for (int l = 0; l < maps.layers; ++l)
            for (int h = 0; h < maps.heads; ++h)
                for (int q = 0; q < maps.tokens; ++q)
                    for (int k = 0; k < maps.tokens; ++k)
                        QCOMPARE(maps.at(l, h, q, k), a[l][h][q][k]);
        QCOMPARE(maps.tokenTexts.front(), std::string("T"));
        QCOMPARE(maps.tokenTexts[3], std::string("\u2423")); // the space, made visible
        QVERIFY(maps.note.empty());
    }

    void attention_rowsSumToOneAndTheFutureIsZero()
    {
        const AttentionMaps maps = probeAttention(m_model, m_tokenizer, "rows sum to one");
        for (int l = 0; l < maps.layers; ++l)
            for (int h = 0; h < maps.heads; ++h)
                for (int q = 0; q < maps.tokens; ++q) {
                    double sum = 0;
                    for (int k = 0; k < maps.tokens; ++k) {
                        sum += maps.at(l, h, q, k);
                        if (k > q)
                            QCOMPARE(maps.at(l, h, q, k), 0.0f);
                    }
                    QVERIFY(std::abs(sum - 1.0) < 1e-5);
                }
        // The first token can only look at itself.
        QCOMPARE(maps.at(1, 3, 0, 0), 1.0f);
    }

    void attention_longTextIsTruncatedWithANote()
    {
        const AttentionMaps maps = probeAttention(m_model, m_tokenizer, std::string(50, 'a'));
        QCOMPARE(maps.tokens, 32);
        QVERIFY(!maps.note.empty());
        QVERIFY(QString::fromStdString(maps.note).contains("50"));
    }

    void attention_emptyTextThrows()
    {
        QVERIFY_THROWS_EXCEPTION(llmf::Error, probeAttention(m_model, m_tokenizer, ""));
    }

    void kvHeadOf_followsRepeatKv()
    {
        AttentionMaps maps;
        maps.heads = 4;
        maps.kvHeads = 2;
        QCOMPARE(maps.kvHeadOf(0), 0);
        QCOMPARE(maps.kvHeadOf(1), 0);
        QCOMPARE(maps.kvHeadOf(2), 1);
        QCOMPARE(maps.kvHeadOf(3), 1);
        maps.kvHeads = 1; // MQA: everyone shares one
        QCOMPARE(maps.kvHeadOf(3), 0);
        maps.kvHeads = 4; // MHA: each head its own
        QCOMPARE(maps.kvHeadOf(3), 3);
    }

    void displayToken_makesWhitespaceAndSplitCharactersVisible()
    {
        QCOMPARE(displayToken(" the"), std::string("\u2423the"));
        QCOMPARE(displayToken("\n"), std::string("\u21B5"));
        QCOMPARE(displayToken("\xE4\xBD"), std::string("<E4><BD>")); // first two bytes of 你
        QCOMPARE(displayToken("\xE4\xBD\xA0"), std::string("\xE4\xBD\xA0"));
    }

    void logitLens_lastRowIsTheModelsOutput()
    {
        const std::string text = "It is a truth";
        const LogitLens lens = probeLogitLens(m_model, m_tokenizer, text, 5);
        QCOMPARE(lens.rows, 3); // embeddings + 2 blocks
        QCOMPARE(lens.tokens, 13);
        QCOMPARE(lens.topK, 5);
        QCOMPARE(lens.topIds.size(), size_t(3 * 13 * 5));
        torch::NoGradGuard noGrad;
        const auto ids = m_tokenizer.encode(text);
        const auto idx = torch::tensor(std::vector<int64_t>(ids.begin(), ids.end())).view({1, -1});
        const auto [values, indices] = torch::softmax(m_model->forward(idx)[0], -1).topk(5, -1);
        for (int t = 0; t < lens.tokens; ++t)
            for (int k = 0; k < 5; ++k) {
                QCOMPARE(lens.id(2, t, k), indices[t][k].item<int32_t>());
                QCOMPARE(lens.probability(2, t, k), values[t][k].item<float>()); // exactly: the same operations
            }
        QCOMPARE(lens.residualNorm.size(), size_t(3));
        QCOMPARE(lens.attentionAdded.size(), size_t(2));
        QCOMPARE(lens.nextTokenProbability.size(), size_t(3 * 12));
        QCOMPARE(lens.tokenTexts[2], std::string("\u2423")); // bytes only: "I", "t", "␣", …
        QVERIFY(lens.probability(0, 0) >= lens.probability(0, 0, 1));
    }

    void logitLens_blocksThatAddNothingLeaveEveryRowAlike()
    {
        // Zero output projections: attention and the feed-forward add exactly 0, so every row reads the embeddings.
        torch::manual_seed(1);
        MiniLLM model(smallConfig());
        model->eval();
        {
            torch::NoGradGuard noGrad;
            for (auto &p : model->named_parameters())
                if (p.key().find("o_proj") != std::string::npos || p.key().find("down_proj") != std::string::npos)
                    p.value().zero_();
        }
        const LogitLens lens = probeLogitLens(model, m_tokenizer, "abcabc", 3);
        QCOMPARE(lens.attentionAdded, (std::vector<float>{0.0f, 0.0f}));
        QCOMPARE(lens.feedForwardAdded, (std::vector<float>{0.0f, 0.0f}));
        QCOMPARE(lens.residualNorm[0], lens.residualNorm[2]);
        for (int t = 0; t < lens.tokens; ++t)
            QCOMPARE(lens.id(0, t), lens.id(2, t));
    }

    void logitLens_firstCorrectRow_findsTheLayerThatPredicts()
    {
        LogitLens lens;
        lens.rows = 3;
        lens.tokens = 3;
        lens.topK = 1;
        lens.tokenIds = {7, 8, 9};
        // rows × positions: what each row predicts after positions 0, 1, 2
        lens.topIds = {1, 9, 5, /* row 1 */ 8, 9, 5, /* row 2 */ 8, 2, 5};
        lens.topProbabilities.assign(9, 0.5f);
        QCOMPARE(lens.firstCorrectRow(0), 1);  // 8 follows 7: row 1 is the first to say so
        QCOMPARE(lens.firstCorrectRow(1), 0);  // 9 follows 8: already the embeddings say it (row 2 forgets)
        QCOMPARE(lens.firstCorrectRow(2), -1); // nothing follows the last token
        QVERIFY_EXCEPTION_THROWN(probeLogitLens(m_model, m_tokenizer, "", 3), Error);
    }

    void headMetrics_onConstructedPatterns()
    {
        const int T = 5;
        std::vector<float> previous(T * T, 0.0f), sink(T * T, 0.0f), uniform(T * T, 0.0f);
        for (int q = 0; q < T; ++q) {
            previous[q * T + std::max(0, q - 1)] = 1.0f; // every query on the token before it
            sink[q * T] = 1.0f;                          // every query on position 0
            for (int k = 0; k <= q; ++k)
                uniform[q * T + k] = 1.0f / float(q + 1);
        }
        const HeadMetrics p = measureHead(previous.data(), T);
        QCOMPARE(p.previousToken, 1.0f);
        QCOMPARE(p.meanDistance, 1.0f);
        QCOMPARE(p.entropy, 0.0f);
        QCOMPARE(p.firstToken, 0.25f); // only query 1's previous token is position 0
        const HeadMetrics s = measureHead(sink.data(), T);
        QCOMPARE(s.firstToken, 1.0f);
        QCOMPARE(s.meanDistance, 2.5f); // (1 + 2 + 3 + 4) / 4
        const HeadMetrics u = measureHead(uniform.data(), T);
        const float entropy = float((std::log(2.0) + std::log(3.0) + std::log(4.0) + std::log(5.0)) / 4);
        QVERIFY(std::abs(u.entropy - entropy) < 1e-6f);
        QVERIFY(std::abs(u.meanDistance - float((0.5 + 1.0 + 1.5 + 2.0) / 4)) < 1e-6f);
    }

    void pca_knownCase_andAlignment()
    {
        // Points on a line in 3-D plus a small second direction: the first component carries almost everything.
        std::vector<float> rows;
        for (int i = 0; i < 20; ++i) {
            const float t = float(i) - 9.5f, u = (i % 2 ? 0.1f : -0.1f);
            rows.insert(rows.end(), {t, 2 * t + u, -t});
        }
        const Projection2D p = projectPca(rows, 20, 3);
        QVERIFY(p.explained[0] > 0.999f);
        QVERIFY(p.explained[1] > 0.0f && p.explained[1] < 0.001f);
        // Coordinates along the line: t · |(1, 2, -1)| = t · √6, up to the sign convention (largest positive).
        QVERIFY(std::abs(std::abs(p.points[0]) - 9.5f * std::sqrt(6.0f)) < 0.1f);
        QVERIFY(std::abs(p.points[19 * 2]) > 0 && p.points[19 * 2] * p.points[0] < 0);

        // An aligned map stays put; a turned and mirrored copy is brought back.
        QCOMPARE(alignTo(p.points, p.points), p.points);
        std::vector<float> turned(p.points.size());
        const float c = std::cos(0.7f), s = std::sin(0.7f);
        for (size_t i = 0; i < p.points.size(); i += 2) {
            turned[i] = p.points[i] * c - p.points[i + 1] * s;
            turned[i + 1] = -(p.points[i] * s + p.points[i + 1] * c); // and mirrored
        }
        const std::vector<float> back = alignTo(turned, p.points);
        for (size_t i = 0; i < back.size(); ++i)
            QVERIFY2(std::abs(back[i] - p.points[i]) < 1e-4f, qPrintable(QString::number(i)));
    }

    void neighbours_byCosine_onConstructedVectors()
    {
        const std::vector<float> rows = {1, 0, /* 1 */ 0.9f, 0.1f, /* 2 */ 0, 1, /* 3 */ -1, 0, /* 4 */ 5, 0.2f};
        const auto n = nearestRows(rows, 5, 2, 0, 3);
        QCOMPARE(n.size(), size_t(3));
        QCOMPARE(n[0].id, 4); // the same direction, however long
        QCOMPARE(n[1].id, 1);
        QCOMPARE(n[2].id, 2);
        QVERIFY(std::abs(n[2].cosine) < 1e-6f);
        QVERIFY_EXCEPTION_THROWN(nearestRows(rows, 5, 2, 9, 3), Error);
    }

    void rope_angleTableIsPositionTimesInverseFrequency()
    {
        const RopeTables t = probeRopeTables(m_model);
        QCOMPARE(t.headDim, 8);
        QCOMPARE(t.pairs, 4);
        QCOMPARE(t.positions, 32);
        for (int i = 0; i < t.pairs; ++i) {
            const double inv = std::pow(10000.0, -2.0 * i / t.headDim); // 1, 0.1, 0.01, 0.001
            QVERIFY(std::abs(t.inverseFrequencies[i] - inv) < 1e-6 * inv + 1e-9);
            for (int p = 0; p < t.positions; ++p)
                QVERIFY2(std::abs(t.angle(p, i) - p * inv) < 1e-5 * (1 + p * inv),
                         qPrintable(QString("%1 %2").arg(p).arg(i)));
        }
        QVERIFY(std::abs(t.wavelength(0) - 2 * M_PI) < 1e-6);
    }

    void rope_rotationTurnsEachPairByItsAngle()
    {
        const RopeTables t = probeRopeTables(m_model);
        for (int i = 0; i < t.pairs; ++i) {
            const double r0 = std::hypot(t.rotatedX(0, i), t.rotatedY(0, i));
            const double a0 = std::atan2(t.rotatedY(0, i), t.rotatedX(0, i));
            for (int p : {1, 5, 31}) {
                QVERIFY(std::abs(std::hypot(t.rotatedX(p, i), t.rotatedY(p, i)) - r0) < 1e-5);
                const double turned = std::atan2(t.rotatedY(p, i), t.rotatedX(p, i)) - a0;
                QVERIFY(std::abs(std::remainder(turned - t.angle(p, i), 2 * M_PI)) < 1e-4);
            }
        }
    }

    void rope_relativeCurveIsTheSameForTwoStarts()
    {
        const RopeRelativeCurve curve = probeRopeRelative(m_model, 0, 20);
        QCOMPARE(curve.offsets.size(), size_t(12)); // 32 - 20 offsets fit after the later start
        QCOMPARE(curve.scoresA.size(), curve.offsets.size());
        double spread = 0;
        for (size_t d = 0; d < curve.offsets.size(); ++d) {
            QVERIFY(std::abs(curve.scoresA[d] - curve.scoresB[d]) < 1e-4);
            spread = std::max(spread, std::abs(curve.scoresA[d] - curve.scoresA[0]));
        }
        QVERIFY(curve.maxAbsDifference < 1e-4);
        QVERIFY(spread > 1e-2); // the score does change with the offset: the curves are not trivially flat
        QVERIFY_THROWS_EXCEPTION(llmf::Error, probeRopeRelative(m_model, 0, 32));
        QCOMPARE(probeRopeRelative(m_model, 3, 4, 5).offsets.size(), size_t(6));
    }

    void weights_freshModelHasUnitGainsAndInitScale()
    {
        const WeightStats w = probeWeights(m_model);
        QCOMPARE(w.layers, 2);
        QCOMPARE(w.matrixNames.size(), size_t(7));
        QCOMPARE(w.matrixNorms.size(), size_t(14));
        for (const auto &g : w.inputNormGains) {
            QCOMPARE(g.mean, 1.0);
            QCOMPARE(g.min, 1.0);
            QCOMPARE(g.max, 1.0);
        }
        QCOMPARE(w.finalNormGain.mean, 1.0);
        for (int l = 0; l < w.layers; ++l)
            for (int m = 0; m < 7; ++m)
                QVERIFY(std::abs(w.matrixRootMeanSquare(l, m) - 0.02) < 0.003);
        // ‖q_proj‖ = rms · sqrt(32 · 32)
        QVERIFY(std::abs(w.matrixNorm(0, 0) - w.matrixRootMeanSquare(0, 0) * 32) < 1e-9);
    }
};

QTEST_GUILESS_MAIN(TestInspect)
#include "tst_inspect.moc"
