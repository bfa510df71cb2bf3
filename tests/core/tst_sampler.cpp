#include <QtTest>

#include "llmf/common/error.h"
#include "llmf/infer/sampler.h"

#include <cmath>
#include <optional>
#include <set>

using namespace llmf;

namespace {

// Settings with every filter off, so a test turns on only what it checks.
GenerationConfig plain(double temperature = 1.0)
{
    GenerationConfig c;
    c.temperature = temperature;
    c.top_k = std::nullopt;
    c.top_p = std::nullopt;
    c.repetition_penalty = 1.0;
    return c;
}

// Logits whose softmax is exactly `probs`.
torch::Tensor logitsOf(std::vector<float> probs)
{
    return torch::tensor(probs).log(); // (V)
}

int32_t argmaxId(const torch::Tensor &row)
{
    return static_cast<int32_t>(row.argmax().item<int64_t>());
}

int keptCount(const torch::Tensor &probs)
{
    return static_cast<int>((probs > 0).sum().item<int64_t>());
}

double entropy(const std::vector<Candidate> &candidates)
{
    double h = 0.0;
    for (const auto &c : candidates)
        h -= c.probability > 0 ? c.probability * std::log(c.probability) : 0.0;
    return h;
}

bool throwsWith(const GenerationConfig &c, const std::string &sentence)
{
    try {
        Sampler::validate(c);
    } catch (const Error &e) {
        return std::string(e.what()).find(sentence) != std::string::npos && !e.hint().empty();
    }
    return false;
}

} // namespace

class TestSampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torch::manual_seed(1234); }

    void topK1_equalsGreedy()
    {
        for (double temperature : {0.3, 1.0, 2.5}) {
            for (int row = 0; row < 5; ++row) {
                const auto logits = torch::randn({100}) * 3; // (V)
                auto c = plain(temperature);
                c.top_k = 1;
                c.seed = row;
                Sampler sampler(c);
                for (int draw = 0; draw < 5; ++draw)
                    QCOMPARE(sampler.sample(logits, {}), argmaxId(logits));
            }
        }
    }

    void temperatureZero_isExactlyGreedyAndOneHot()
    {
        const auto logits = torch::randn({50}); // (V)
        Sampler sampler(plain(0.0));
        float probability = 0.0f;
        QCOMPARE(sampler.sample(logits, {}, nullptr, &probability), argmaxId(logits));
        QCOMPARE(probability, 1.0f);
        const auto dist = Sampler::distribution(logits, plain(0.0), {});
        QCOMPARE(keptCount(dist), 1);
        QCOMPARE(dist[argmaxId(logits)].item<float>(), 1.0f);
    }

    void tinyTemperature_samplesTheArgmax()
    {
        for (int row = 0; row < 10; ++row) {
            const auto logits = torch::randn({200}) * 2; // (V)
            auto c = plain(1e-4);
            c.seed = row;
            Sampler sampler(c);
            QCOMPARE(sampler.sample(logits, {}), argmaxId(logits));
        }
    }

    void topP_keepsTheSmallestSetReachingP()
    {
        const auto logits = logitsOf({0.05f, 0.5f, 0.15f, 0.3f}); // sorted: 0.5 (1), 0.3 (3), 0.15 (2), 0.05 (0)
        const auto kept = [&](double p) {
            auto c = plain();
            c.top_p = p;
            return keptCount(Sampler::distribution(logits, c, {}));
        };
        QCOMPARE(kept(0.3), 1);
        QCOMPARE(kept(0.5), 1); // 0.5 >= 0.5 already
        QCOMPARE(kept(0.7), 2);
        QCOMPARE(kept(0.8), 2); // 0.8 >= 0.8: float rounding must not add a third token
        QCOMPARE(kept(0.81), 3);
        QCOMPARE(kept(1.0), 4);

        auto c = plain();
        c.top_p = 0.7;
        const auto dist = Sampler::distribution(logits, c, {});
        QVERIFY(std::fabs(dist[1].item<float>() - 0.625f) < 1e-5f); // 0.5 / 0.8
        QVERIFY(std::fabs(dist[3].item<float>() - 0.375f) < 1e-5f); // 0.3 / 0.8
        // Draws only ever come from the nucleus.
        Sampler sampler(c);
        for (int i = 0; i < 200; ++i) {
            const int32_t id = sampler.sample(logits, {});
            QVERIFY(id == 1 || id == 3);
        }
    }

    void topP_alwaysKeepsOneToken()
    {
        auto c = plain();
        c.top_p = 1e-9;
        const auto logits = torch::randn({30}); // (V)
        const auto dist = Sampler::distribution(logits, c, {});
        QCOMPARE(keptCount(dist), 1);
        QCOMPARE(argmaxId(dist), argmaxId(logits));
    }

    void sameSeed_givesSameSamples()
    {
        const auto logits = torch::randn({64}); // (V)
        auto c = plain();
        c.seed = 7;
        Sampler a(c), b(c);
        std::vector<int32_t> drawsA, drawsB;
        for (int i = 0; i < 100; ++i) {
            drawsA.push_back(a.sample(logits, {}));
            drawsB.push_back(b.sample(logits, {}));
        }
        QCOMPARE(drawsA, drawsB);

        // Reseeding restarts the stream; the global RNG plays no part.
        a.reseed(7);
        torch::manual_seed(999);
        std::vector<int32_t> again;
        for (int i = 0; i < 100; ++i)
            again.push_back(a.sample(logits, {}));
        QCOMPARE(again, drawsA);

        c.seed = 8;
        Sampler other(c);
        std::vector<int32_t> drawsC;
        for (int i = 0; i < 100; ++i)
            drawsC.push_back(other.sample(logits, {}));
        QVERIFY(drawsC != drawsA);
    }

    void withoutStages_drawsWhatThePipelineDraws()
    {
        // sample() without stages takes a tensor-free path when top-k is on (the default); with stages it runs the
        // tensor pipeline. Same seed, same logits: the same tokens and probabilities, for top-k alone, with top-p,
        // a repetition penalty, ties (logits rounded to halves) and k at V - 1.
        struct Case
        {
            int64_t k;
            std::optional<double> p;
            double temperature, penalty;
            bool ties;
        };
        const int64_t V = 300;
        for (const Case &tc :
             {Case{50, std::nullopt, 0.8, 1.0, false}, Case{50, 0.9, 0.8, 1.0, false}, Case{20, 0.5, 1.3, 1.2, false},
              Case{V - 1, 0.95, 1.0, 1.0, false}, Case{10, std::nullopt, 1.0, 1.0, true}}) {
            auto c = plain(tc.temperature);
            c.top_k = tc.k;
            c.top_p = tc.p;
            c.repetition_penalty = tc.penalty;
            c.seed = 5;
            Sampler direct(c), pipeline(c);
            const std::vector<int32_t> context = {3, 3, 17, 250};
            for (int i = 0; i < 200; ++i) {
                torch::Tensor logits = torch::randn({V}) * 3; // (V)
                if (tc.ties)
                    logits = (logits * 2).round() / 2;
                float pDirect = -1, pPipeline = -1;
                SamplingStages stages;
                const int32_t a = direct.sample(logits, context, nullptr, &pDirect);
                const int32_t b = pipeline.sample(logits, context, &stages, &pPipeline);
                const QString what = QString("k %1 draw %2").arg(tc.k).arg(i);
                QVERIFY2(tc.ties || a == b, qPrintable(what)); // tied logits may keep different members of a tie
                if (a == b)
                    QVERIFY2(std::fabs(pDirect - pPipeline) < 1e-5f, qPrintable(what));
            }
        }
    }

    void samples_followTheDistribution()
    {
        const auto logits = logitsOf({0.7f, 0.2f, 0.1f});
        Sampler sampler(plain());
        int counts[3] = {0, 0, 0};
        const int n = 4000;
        for (int i = 0; i < n; ++i)
            ++counts[sampler.sample(logits, {})];
        QVERIFY(std::fabs(counts[0] / double(n) - 0.7) < 0.03);
        QVERIFY(std::fabs(counts[1] / double(n) - 0.2) < 0.03);
        QVERIFY(std::fabs(counts[2] / double(n) - 0.1) < 0.03);
    }

    void stages_temperatureTwoIsFlatterThanRaw()
    {
        const auto logits = torch::randn({10}) * 2; // (V): top 10 = the whole distribution
        const auto s = Sampler::stages(logits, plain(2.0), {});
        QCOMPARE(int(s.raw.size()), 10);
        QVERIFY(entropy(s.tempered) > entropy(s.raw));
        QVERIFY(s.tempered.front().probability < s.raw.front().probability);
        QCOMPARE(s.tempered.front().id, s.raw.front().id);
        // Candidates come best first.
        for (size_t i = 1; i < s.raw.size(); ++i)
            QVERIFY(s.raw[i - 1].probability >= s.raw[i].probability);
    }

    void stages_topKHasExactlyKCandidates()
    {
        const auto logits = torch::randn({500}); // (V)
        auto c = plain();
        c.top_k = 4;
        const auto s = Sampler::stages(logits, c, {});
        QCOMPARE(int(s.tempered.size()), 10);
        QCOMPARE(int(s.topK.size()), 4);
        QCOMPARE(int(s.topP.size()), 4);
        QCOMPARE(keptCount(Sampler::distribution(logits, c, {})), 4);
        float sum = 0.0f;
        for (const auto &cand : s.topK)
            sum += cand.probability;
        QVERIFY(std::fabs(sum - 1.0f) < 1e-5f);
        // The stages a sample() reports are those of stages().
        Sampler sampler(c);
        SamplingStages fromSample;
        float probability = 0.0f;
        const int32_t id = sampler.sample(logits, {}, &fromSample, &probability);
        QCOMPARE(fromSample.topK.size(), s.topK.size());
        bool found = false;
        for (const auto &cand : fromSample.topP)
            found = found || (cand.id == id && cand.probability == probability);
        QVERIFY(found);
    }

    void repetitionPenalty_lowersContextTokens()
    {
        const auto logits = torch::tensor({2.0f, -1.0f, 0.5f, 1.0f, -0.5f}); // (V)
        auto c = plain();
        c.repetition_penalty = 2.5;
        const std::vector<int32_t> context = {0, 1, 1}; // a positive and a negative logit; duplicates count once
        const auto raw = Sampler::distribution(logits, plain(), {});
        const auto penalized = Sampler::distribution(logits, c, context);
        QVERIFY(penalized[0].item<float>() < raw[0].item<float>());
        QVERIFY(penalized[1].item<float>() < raw[1].item<float>());
        QVERIFY(penalized[3].item<float>() > raw[3].item<float>()); // not in the context: gains the mass
        // Hand-computed: logits become [2 / 2.5, -1 * 2.5, 0.5, 1, -0.5].
        const auto expected = torch::softmax(torch::tensor({0.8f, -2.5f, 0.5f, 1.0f, -0.5f}), 0);
        QVERIFY((penalized - expected).abs().max().item<float>() < 1e-6f);
        const auto s = Sampler::stages(logits, c, context);
        QCOMPARE(s.penalized.front().id, 3); // 1.0 now beats 2 / 2.5
        QCOMPARE(s.raw.front().id, 0);
    }

    void invalidSettings_throwSentences()
    {
        auto c = plain(-0.1);
        QVERIFY(throwsWith(c, "temperature must be >= 0; 0 means greedy"));
        QVERIFY_THROWS_EXCEPTION(Error, Sampler{c});
        c = plain();
        c.top_p = 0.0;
        QVERIFY(throwsWith(c, "must be in (0, 1]"));
        c.top_p = 1.5;
        QVERIFY(throwsWith(c, "must be in (0, 1]"));
        c = plain();
        c.top_k = 0;
        QVERIFY(throwsWith(c, "top_k must be at least 1"));
        c = plain();
        c.repetition_penalty = 0.0;
        QVERIFY(throwsWith(c, "repetition_penalty must be > 0"));
        // stages() validates too: a slider can never produce garbage silently.
        QVERIFY_THROWS_EXCEPTION(Error, Sampler::stages(torch::zeros({3}), c, {}));
        // The defaults (the guide's "balanced" preset) are valid.
        Sampler::validate(GenerationConfig{});
    }

    void sample_acceptsAnyShapeHoldingOneRowAndLeavesItUnchanged()
    {
        const auto logits = torch::randn({1, 1, 40}, torch::kFloat64); // (B, T, V)
        const auto copy = logits.clone();
        auto c = plain(0.0);
        c.repetition_penalty = 2.0;
        Sampler sampler(c);
        const int32_t id = sampler.sample(logits, {1, 2, 3});
        QVERIFY(id >= 0 && id < 40);
        QVERIFY(torch::equal(logits, copy));
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "tst_sampler.moc"
