#include <QtTest>

#include "llmf/model/causalattention.h"
#include "llmf/model/linearcrossentropy.h"
#include "llmf/model/minillm.h"

#include <cmath>
#include <limits>
#include <tuple>

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

double maxAbsDiff(const torch::Tensor &a, const torch::Tensor &b)
{
    return (a - b).abs().max().item<double>();
}

} // namespace

class TestModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodeOne_matchesTheGeneralPath()
    {
        // Generation's one-token fast path (plain loops, InferenceMode) against the tensor ops (grad mode on), for
        // GQA and for tied embeddings, over a whole sequence: logits within 1e-5 and identical cache contents.
        // Head sizes 8 and 24 take the plain attention loops, 32 the AVX-512 ones where the CPU has them.
        for (const auto &[tied, dim, heads] :
             {std::tuple{false, 64, 8}, {true, 64, 8}, {false, 128, 4}, {true, 96, 4}}) {
            ModelConfig c;
            c.dim = dim;
            c.n_layers = 2;
            c.n_heads = heads;
            c.n_kv_heads = 2;
            c.vocab_size = 97;
            c.max_seq_len = 24;
            c.tie_embeddings = tied;
            torch::manual_seed(11);
            MiniLLM model(c);
            model->eval();
            const auto ids = torch::randint(0, 97, {1, 20}, torch::kInt64);
            KVCache general = model->makeCache(1);
            KVCache fast = model->makeCache(1);
            for (int64_t t = 0; t < 20; ++t) {
                const auto token = ids.narrow(1, t, 1);
                QVERIFY(!model->canDecodeOne(token, general)); // grad mode is on here
                const auto expected = model->forward(token, general).detach();
                torch::Tensor got;
                {
                    c10::InferenceMode inference;
                    QVERIFY(model->canDecodeOne(token, fast));
                    got = model->forward(token, fast);
                }
                QCOMPARE(got.sizes(), expected.sizes());
                QVERIFY2(torch::allclose(got, expected, 1e-5, 1e-5), qPrintable(QString("position %1").arg(t)));
            }
            QCOMPARE(fast.length, general.length);
            for (int64_t l = 0; l < 2; ++l)
                QVERIFY(torch::allclose(fast.keys[l], general.keys[l].detach(), 1e-5, 1e-6));
        }
    }

    void linearCrossEntropy_matchesAutogradValueAndGradients()
    {
        torch::manual_seed(3);
        const auto h1 = torch::randn({37, 16}, torch::requires_grad());
        const auto w1 = (torch::randn({50, 16}) * 0.5).requires_grad_(true);
        const auto targets = torch::randint(0, 50, {37}, torch::kInt64);
        const auto h2 = h1.detach().clone().requires_grad_(true);
        const auto w2 = w1.detach().clone().requires_grad_(true);
        const auto expected = torch::nn::functional::cross_entropy(torch::mm(h1, w1.t()), targets);
        const auto fused = linearCrossEntropy(h2, w2, targets);
        QVERIFY(torch::allclose(fused, expected, 1e-6, 1e-6));
        (expected * 3.0).backward(); // an upstream gradient other than 1 (loss scaling)
        (fused * 3.0).backward();
        QVERIFY(torch::allclose(h2.grad(), h1.grad(), 1e-5, 1e-6));
        QVERIFY(torch::allclose(w2.grad(), w1.grad(), 1e-5, 1e-6));
    }

    void forwardLoss_equalsForwardThenLoss()
    {
        ModelConfig c;
        c.dim = 32;
        c.n_layers = 2;
        c.n_heads = 4;
        c.n_kv_heads = 2;
        c.vocab_size = 64;
        c.max_seq_len = 16;
        for (bool tied : {false, true}) {
            c.tie_embeddings = tied;
            torch::manual_seed(5);
            MiniLLM model(c);
            const auto idx = torch::randint(0, 64, {3, 16}, torch::kInt64);
            const auto targets = torch::randint(0, 64, {3, 16}, torch::kInt64);
            const auto expected = MiniLLM::Impl::loss(model->forward(idx), targets);
            expected.backward();
            std::vector<torch::Tensor> grads;
            for (auto &p : model->parameters()) {
                grads.push_back(p.grad().clone());
                p.mutable_grad().zero_();
            }
            const auto fused = model->forwardLoss(idx, targets);
            fused.backward();
            QVERIFY(torch::allclose(fused, expected, 1e-6, 1e-6));
            const auto params = model->parameters();
            for (size_t i = 0; i < params.size(); ++i)
                QVERIFY2(torch::allclose(params[i].grad(), grads[i], 1e-5, 1e-6), tied ? "tied" : "untied");
        }
    }

    void initTestCase() { torch::manual_seed(0); }

    void rmsnorm_matchesHandComputedValues()
    {
        RMSNorm norm(RMSNormOptions(4).eps(0.0));
        // x = [1, 2, 3, 4]: mean(x^2) = 30/4 = 7.5, rms = 2.7386; y = x / 2.7386
        const auto x = torch::tensor({1.0f, 2.0f, 3.0f, 4.0f}).view({1, 1, 4});
        const auto y = norm(x).view({4});
        const float expected[] = {0.365148f, 0.730297f, 1.095445f, 1.460593f};
        for (int i = 0; i < 4; ++i)
            QVERIFY(std::fabs(y[i].item<float>() - expected[i]) < 1e-5f);
        // The gain scales each channel.
        {
            torch::NoGradGuard g;
            norm->weight.copy_(torch::tensor({2.0f, 1.0f, 1.0f, 0.0f}));
        }
        const auto z = norm(x).view({4});
        QVERIFY(std::fabs(z[0].item<float>() - 2 * expected[0]) < 1e-5f);
        QCOMPARE(z[3].item<float>(), 0.0f);
    }

    void rope_preservesNorms()
    {
        RotaryEmbedding rope(RotaryEmbeddingOptions(8, 64));
        const auto x = torch::randn({2, 3, 64, 8});
        const auto y = rope->forward(x);
        QVERIFY(maxAbsDiff(x.norm(2, -1), y.norm(2, -1)) < 1e-4);
        // Position 0 is the identity rotation.
        QVERIFY(maxAbsDiff(x.select(2, 0), y.select(2, 0)) < 1e-6);
    }

    void rope_dotProductDependsOnlyOnOffset()
    {
        RotaryEmbedding rope(RotaryEmbeddingOptions(16, 128));
        const auto q = torch::randn({1, 1, 1, 16});
        const auto k = torch::randn({1, 1, 1, 16});
        auto at = [&](const torch::Tensor &v, int64_t pos) { return rope->forward(v, pos); };
        for (int64_t offset : {0, 1, 5, 17}) {
            const double a = (at(q, 3 + offset) * at(k, 3)).sum().item<double>();
            const double b = (at(q, 90 + offset) * at(k, 90)).sum().item<double>();
            QVERIFY2(std::fabs(a - b) < 1e-4, qPrintable(QString("offset %1: %2 vs %3").arg(offset).arg(a).arg(b)));
        }
    }

    void rope_usesRotateHalfLayout()
    {
        // head_dim 4: dimension 0 pairs with dimension 2 and turns by pos * 1 rad.
        RotaryEmbedding rope(RotaryEmbeddingOptions(4, 8));
        const auto x = torch::tensor({1.0f, 0.0f, 0.0f, 0.0f}).view({1, 1, 1, 4});
        const auto y = rope->forward(x, 1).view({4});
        QVERIFY(std::fabs(y[0].item<float>() - std::cos(1.0f)) < 1e-6f);
        QVERIFY(std::fabs(y[2].item<float>() - std::sin(1.0f)) < 1e-6f);
        QVERIFY(std::fabs(y[1].item<float>()) < 1e-7f);
    }

    void gqa_withAllKvHeadsEqualsMultiHead()
    {
        // With n_kv_heads == n_heads every query head has its own K/V: compare to a plain MHA computation.
        torch::manual_seed(1);
        Attention attn(AttentionOptions(32, 4, 4));
        RotaryEmbedding rope(RotaryEmbeddingOptions(8, 16));
        const auto x = torch::randn({2, 10, 32});
        const auto out = attn->forward(x, rope);

        auto q = rope->forward(attn->q_proj(x).view({2, 10, 4, 8}).transpose(1, 2));
        auto k = rope->forward(attn->k_proj(x).view({2, 10, 4, 8}).transpose(1, 2));
        auto v = attn->v_proj(x).view({2, 10, 4, 8}).transpose(1, 2);
        auto scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(8.0);
        const auto mask = torch::ones({10, 10}).triu(1).to(torch::kBool);
        scores = scores.masked_fill(mask, -INFINITY);
        auto ref = torch::matmul(torch::softmax(scores, -1), v).transpose(1, 2).reshape({2, 10, 32});
        QVERIFY(maxAbsDiff(out, attn->o_proj(ref)) < 1e-5);
    }

    void gqa_sharesKvHeadsLikeRepeatKv()
    {
        // n_heads 4, n_kv_heads 2: query heads 0,1 read KV head 0 and heads 2,3 read KV head 1 (HF repeat_kv).
        torch::manual_seed(2);
        Attention attn(AttentionOptions(32, 4, 2));
        RotaryEmbedding rope(RotaryEmbeddingOptions(8, 16));
        const auto x = torch::randn({1, 6, 32});
        torch::Tensor probs;
        attn->forward(x, rope, 0, {}, {}, &probs);
        auto q = rope->forward(attn->q_proj(x).view({1, 6, 4, 8}).transpose(1, 2));
        auto k = rope->forward(attn->k_proj(x).view({1, 6, 2, 8}).transpose(1, 2));
        k = k.repeat_interleave(2, 1); // (1, 4, 6, 8)
        auto scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(8.0);
        scores = scores.masked_fill(torch::ones({6, 6}).triu(1).to(torch::kBool), -INFINITY);
        QVERIFY(maxAbsDiff(probs, torch::softmax(scores, -1)) < 1e-5);
    }

    void causalMask_futureTokensNeverChangeEarlierLogits()
    {
        MiniLLM model(smallConfig());
        model->eval();
        auto idx = torch::randint(0, 300, {1, 12}, torch::kInt64);
        const auto before = model->forward(idx);
        idx.index_put_({0, 8}, (idx[0][8].item<int64_t>() + 1) % 300);
        const auto after = model->forward(idx);
        QVERIFY(maxAbsDiff(before.narrow(1, 0, 8), after.narrow(1, 0, 8)) < 1e-6);
        QVERIFY(maxAbsDiff(before.narrow(1, 8, 4), after.narrow(1, 8, 4)) > 1e-4);
    }

    void kvCache_incrementalLogitsEqualFullForward()
    {
        MiniLLM model(smallConfig());
        model->eval();
        torch::NoGradGuard noGrad;
        const auto idx = torch::randint(0, 300, {2, 20}, torch::kInt64);
        const auto full = model->forward(idx);
        KVCache cache = model->makeCache(2);
        // A prompt of 7 tokens, then one token at a time.
        std::vector<torch::Tensor> pieces{model->forward(idx.narrow(1, 0, 7), cache)};
        for (int64_t t = 7; t < 20; ++t)
            pieces.push_back(model->forward(idx.narrow(1, t, 1), cache));
        QCOMPARE(cache.length, 20);
        QVERIFY(maxAbsDiff(torch::cat(pieces, 1), full) < 1e-5);
    }

    // The memory-efficient path against softmax(q kᵀ·scale + mask) v written out with repeat_kv, values and
    // gradients, for block sizes that do and do not divide T (the last block is short) and for GQA and MHA.
    void causalAttention_matchesExplicitAttention_data()
    {
        QTest::addColumn<int>("heads");
        QTest::addColumn<int>("kvHeads");
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("block");
        QTest::newRow("gqa, blocks divide T") << 4 << 2 << 32 << 8;
        QTest::newRow("gqa, short last block") << 6 << 2 << 29 << 7;
        QTest::newRow("mha, one block") << 2 << 2 << 16 << 64;
        QTest::newRow("mqa, block of one row") << 4 << 1 << 9 << 1;
    }
    void causalAttention_matchesExplicitAttention()
    {
        QFETCH(int, heads);
        QFETCH(int, kvHeads);
        QFETCH(int, tokens);
        QFETCH(int, block);
        const int64_t B = 2, D = 8, G = heads / kvHeads;
        const double scale = 1.0 / std::sqrt(double(D));
        const auto q = torch::randn({B, heads, tokens, D}, torch::requires_grad());
        const auto k = torch::randn({B, kvHeads, tokens, D}, torch::requires_grad());
        const auto v = torch::randn({B, kvHeads, tokens, D}, torch::requires_grad());
        const auto dOut = torch::randn({B, heads, tokens, D});

        const auto fast = causalAttention(q, k, v, scale, block);
        const auto fastGrads = torch::autograd::grad({fast}, {q, k, v}, {dOut});

        const auto k2 = k.repeat_interleave(G, 1), v2 = v.repeat_interleave(G, 1); // HF repeat_kv
        auto scores = torch::matmul(q, k2.transpose(-2, -1)) * scale;
        scores = scores.masked_fill(torch::ones({tokens, tokens}, torch::kBool).triu(1),
                                    -std::numeric_limits<float>::infinity());
        const auto reference = torch::matmul(torch::softmax(scores, -1), v2);
        const auto referenceGrads = torch::autograd::grad({reference}, {q, k, v}, {dOut});

        QVERIFY(maxAbsDiff(fast, reference) < 1e-5);
        for (int i = 0; i < 3; ++i)
            QVERIFY2(maxAbsDiff(fastGrads[i], referenceGrads[i]) < 1e-5, std::to_string(i).c_str());
    }

    // Training's forward (memory-efficient attention) and the Inspector's probe (explicit attention) agree through
    // a whole model.
    void trainingForward_matchesProbePath()
    {
        MiniLLM model(smallConfig());
        model->train(); // dropout 0: training takes the memory-efficient path
        const auto idx = torch::randint(0, 300, {2, 31}, torch::kInt64);
        const auto fast = model->forward(idx);
        torch::Tensor attention;
        const auto explicitLogits = model->probe(idx.narrow(0, 0, 1), attention);
        QVERIFY(maxAbsDiff(fast.narrow(0, 0, 1), explicitLogits) < 1e-5);
    }

    void probe_rowsSumToOneAndMatchFastPath()
    {
        MiniLLM model(smallConfig());
        model->eval();
        torch::NoGradGuard noGrad;
        const auto idx = torch::randint(0, 300, {9}, torch::kInt64);
        torch::Tensor attention;
        const auto logits = model->probe(idx, attention);
        QCOMPARE(attention.sizes().vec(), (std::vector<int64_t>{2, 4, 9, 9}));
        QVERIFY(maxAbsDiff(attention.sum(-1), torch::ones({2, 4, 9})) < 1e-5);
        QCOMPARE(attention.triu(1).abs().max().item<float>(), 0.0f); // causal: nothing above the diagonal
        QVERIFY(maxAbsDiff(logits, model->forward(idx.unsqueeze(0))) < 1e-5);
    }

    void initialLoss_isNearLnVocab()
    {
        ModelConfig c = smallConfig();
        c.vocab_size = 2048;
        MiniLLM model(c);
        const auto idx = torch::randint(0, 2048, {4, 32}, torch::kInt64);
        const auto targets = torch::randint(0, 2048, {4, 32}, torch::kInt64);
        const double loss = MiniLLM::Impl::loss(model->forward(idx), targets).item<double>();
        QVERIFY2(std::fabs(loss - std::log(2048.0)) < 0.3, qPrintable(QString::number(loss)));
    }

    // clone() must copy the model a learner sees: the same logits, on weights of its own.
    void clone_isAnIndependentCopyWithTheSameLogits()
    {
        for (const bool tied : {false, true}) {
            ModelConfig c = smallConfig();
            c.tie_embeddings = tied;
            MiniLLM model(c);
            const auto idx = torch::randint(0, c.vocab_size, {2, 8});
            const auto copy = std::dynamic_pointer_cast<MiniLLMImpl>(model->clone());
            QVERIFY(copy);
            torch::NoGradGuard noGrad;
            QVERIFY(torch::equal(copy->forward(idx), model->forward(idx)));
            KVCache cache = copy->makeCache(1);
            QVERIFY(torch::allclose(copy->forward(idx.slice(0, 0, 1), cache), model->forward(idx.slice(0, 0, 1)), 1e-5,
                                    1e-6));
            for (auto &p : model->parameters())
                p.add_(1.0);
            QVERIFY(!torch::equal(copy->forward(idx), model->forward(idx)));
        }
    }

    void tiedEmbeddings_shareOneMatrix()
    {
        ModelConfig c = smallConfig();
        c.tie_embeddings = true;
        MiniLLM model(c);
        QVERIFY(!model->lm_head);
        for (const auto &[name, tensor] : model->namedParametersHF())
            QVERIFY(name != "lm_head.weight");
        QCOMPARE(model->forward(torch::zeros({1, 3}, torch::kInt64)).size(-1), 300);
    }

    void parameterNames_followHuggingFaceLlama()
    {
        MiniLLM model(smallConfig());
        std::set<std::string> names;
        for (const auto &[name, tensor] : model->namedParametersHF())
            names.insert(name);
        for (const char *expected :
             {"model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight",
              "model.layers.1.self_attn.k_proj.weight", "model.layers.0.self_attn.v_proj.weight",
              "model.layers.0.self_attn.o_proj.weight", "model.layers.0.mlp.gate_proj.weight",
              "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.down_proj.weight",
              "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight",
              "model.norm.weight", "lm_head.weight"})
            QVERIFY2(names.count(expected), expected);
        QCOMPARE(names.size(), size_t(2 * 9 + 3));
    }

    void dropout_onlyInTraining()
    {
        ModelConfig c = smallConfig();
        c.dropout = 0.5;
        MiniLLM model(c);
        const auto idx = torch::randint(0, 300, {1, 8}, torch::kInt64);
        model->eval();
        QVERIFY(maxAbsDiff(model->forward(idx), model->forward(idx)) == 0.0);
        model->train();
        QVERIFY(maxAbsDiff(model->forward(idx), model->forward(idx)) > 1e-3);
    }

    void tooLongSequence_isRejected()
    {
        MiniLLM model(smallConfig());
        QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(torch::zeros({1, 33}, torch::kInt64)));
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "tst_model.moc"
