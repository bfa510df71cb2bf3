#include <QtTest>

#include "llmf/common/error.h"
#include "llmf/infer/generator.h"
#include "llmf/infer/utf8streamdecoder.h"
#include "llmf/model/minillm.h"

using namespace llmf;

namespace {

const std::string kReplacement = "\xEF\xBF\xBD"; // U+FFFD

// A random model over the default byte tokenizer (256 bytes + 2 specials).
Generator makeGenerator()
{
    torch::manual_seed(42);
    const Tokenizer tokenizer;
    ModelConfig c;
    c.dim = 32;
    c.n_layers = 2;
    c.n_heads = 4;
    c.n_kv_heads = 2;
    c.vocab_size = tokenizer.vocabSize();
    c.max_seq_len = 32;
    MiniLLM model(c);
    // Random weights at N(0, 0.02) give near-uniform logits; scaling the head makes the distribution peaked
    // enough that greedy decoding has clear winners (no float-rounding ties between the two paths).
    {
        torch::NoGradGuard noGrad;
        model->lm_head->weight.mul_(20.0);
    }
    return Generator(model, tokenizer);
}

GenerationConfig greedy(int64_t maxNewTokens, bool useCache)
{
    GenerationConfig g;
    g.temperature = 0.0;
    g.max_new_tokens = maxNewTokens;
    g.use_kv_cache = useCache;
    return g;
}

} // namespace

class TestGenerator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void greedy_sameTokensWithAndWithoutCache()
    {
        Generator gen = makeGenerator();
        for (const std::string prompt : {"Hello", "The quick brown fox jumps"}) {
            // 80 new tokens in a 32-token context: the window slides several times.
            const auto cached = gen.generate(prompt, greedy(80, true));
            const auto uncached = gen.generate(prompt, greedy(80, false));
            QVERIFY(!cached.stoppedByEos && !cached.cancelled);
            QCOMPARE(int(cached.generatedIds.size()), 80);
            QCOMPARE(cached.generatedIds, uncached.generatedIds);
            QCOMPARE(cached.text, uncached.text);
            QCOMPARE(cached.promptIds, gen.tokenizer().encode(prompt));
            QVERIFY(cached.tokensPerSecond > 0.0);
        }
    }

    void greedy_firstTokenIsTheArgmaxOfAFullForward()
    {
        Generator gen = makeGenerator();
        const auto ids = gen.tokenizer().encode("abc");
        const auto result = gen.generate(ids, greedy(1, true));
        torch::NoGradGuard noGrad;
        MiniLLM model = gen.model(); // a second handle on the same module
        model->eval();
        std::vector<int64_t> ids64(ids.begin(), ids.end());
        const auto logits = model->forward(torch::tensor(ids64).unsqueeze(0)); // (1, T, V)
        QCOMPARE(result.generatedIds.front(), int32_t(logits[0][-1].argmax().item<int64_t>()));
    }

    void sameSeed_sameText()
    {
        Generator gen = makeGenerator();
        GenerationConfig g;
        g.temperature = 1.0;
        g.max_new_tokens = 40;
        g.seed = 5;
        const auto a = gen.generate("Once", g);
        torch::manual_seed(123); // the global RNG must not matter
        const auto b = gen.generate("Once", g);
        QCOMPARE(a.generatedIds, b.generatedIds);
        QCOMPARE(a.text, b.text);
        g.seed = 6;
        const auto c = gen.generate("Once", g);
        QVERIFY(c.generatedIds != a.generatedIds);
    }

    void callbackReturningFalse_stopsAfterThatToken()
    {
        Generator gen = makeGenerator();
        int calls = 0;
        const auto result = gen.generate("Hi", greedy(50, true), [&](const TokenEvent &) { return ++calls < 3; });
        QCOMPARE(calls, 3);
        QVERIFY(result.cancelled);
        QCOMPARE(int(result.generatedIds.size()), 3);
    }

    void collectStagesOff_leavesStagesEmpty()
    {
        Generator gen = makeGenerator();
        gen.setCollectStages(false);
        bool empty = true;
        float probability = 0.0f;
        gen.generate("Hi", greedy(3, true), [&](const TokenEvent &e) {
            empty = empty && e.stages.raw.empty() && e.stages.topP.empty();
            probability = e.probability;
            return true;
        });
        QVERIFY(empty);
        QCOMPARE(probability, 1.0f); // greedy: all mass on the chosen token
    }

    void streamedTokens_matchTheResult()
    {
        Generator gen = makeGenerator();
        GenerationConfig g;
        g.temperature = 1.2;
        g.top_k = 40;
        g.max_new_tokens = 60;
        std::vector<int32_t> streamed;
        std::string pieces;
        int64_t expectedPosition = 2; // after the two prompt tokens
        bool positionsOk = true, stagesOk = true;
        const auto result = gen.generate("Hi", g, [&](const TokenEvent &e) {
            streamed.push_back(e.id);
            pieces += e.piece;
            positionsOk = positionsOk && e.position == expectedPosition++;
            stagesOk = stagesOk && !e.stages.topP.empty() && e.stages.topK.size() <= 10 && e.probability > 0.0f &&
                       e.logits.size() == 258;
            return true;
        });
        QCOMPARE(streamed, result.generatedIds);
        QVERIFY(positionsOk);
        QVERIFY(stagesOk);
        // The pieces are the text, except a U+FFFD for a character cut off by the end of generation.
        QVERIFY(result.text == pieces || result.text == pieces + kReplacement);
        Utf8StreamDecoder whole;
        QCOMPARE(result.text, whole.push(gen.tokenizer().decode(result.generatedIds)) + whole.finish());
    }

    void emptyPrompt_startsFromEndOfText()
    {
        Generator gen = makeGenerator();
        const auto result = gen.generate("", greedy(5, true));
        QCOMPARE(result.promptIds, std::vector<int32_t>{gen.tokenizer().eosId()});
        QVERIFY(!result.generatedIds.empty() || result.stoppedByEos);
    }

    void promptLongerThanContext_throws()
    {
        Generator gen = makeGenerator();
        try {
            gen.generate(std::string(40, 'a'), greedy(5, true));
            QFAIL("expected llmf::Error");
        } catch (const Error &e) {
            QCOMPARE(QString(e.what()), QString("The prompt has 40 tokens but the model's context holds 32."));
            QVERIFY(!e.hint().empty());
        }
        // A prompt that exactly fills the context still generates (the window slides before the next token).
        const auto full = gen.generate(std::string(32, 'a'), greedy(3, true));
        QCOMPARE(full.generatedIds, gen.generate(std::string(32, 'a'), greedy(3, false)).generatedIds);
    }

    void invalidSettings_throw()
    {
        Generator gen = makeGenerator();
        GenerationConfig g;
        g.temperature = -1.0;
        QVERIFY_THROWS_EXCEPTION(Error, gen.generate("a", g));
        g = GenerationConfig{};
        g.max_new_tokens = -1;
        QVERIFY_THROWS_EXCEPTION(Error, gen.generate("a", g));
        QVERIFY_THROWS_EXCEPTION(Error, gen.generate(std::vector<int32_t>{9999}, GenerationConfig{}));
    }

    void generate_restoresTrainingMode()
    {
        Generator gen = makeGenerator();
        MiniLLM model = gen.model();
        model->train();
        gen.generate("a", greedy(2, true));
        QVERIFY(model->is_training());
    }

    void utf8Decoder_holdsBackIncompleteCharacters()
    {
        Utf8StreamDecoder d;
        QCOMPARE(d.push("a\xE6"), std::string("a")); // 明 = E6 98 8E
        QVERIFY(d.hasPending());
        QCOMPARE(d.push("\x98"), std::string());
        QCOMPARE(d.push("\x8E!"), std::string("\xE6\x98\x8E!"));
        QVERIFY(!d.hasPending());
        QCOMPARE(d.finish(), std::string());
        // A 4-byte emoji split over two pushes.
        QCOMPARE(d.push("\xF0\x9F"), std::string());
        QCOMPARE(d.push("\x98\x80"), std::string("\xF0\x9F\x98\x80"));
    }

    void utf8Decoder_replacesInvalidBytes()
    {
        Utf8StreamDecoder d;
        // A stray continuation byte and a byte that never occurs in UTF-8.
        QCOMPARE(d.push("a\x80"
                        "b\xFF"),
                 "a" + kReplacement + "b" + kReplacement);
        // A sequence broken off by an ASCII byte: one U+FFFD for the fragment, then the byte itself.
        QCOMPARE(d.push("\xE6\x98x"), kReplacement + "x");
        // Overlong (C0) and surrogate (ED A0) forms are rejected.
        QCOMPARE(d.push("\xC0\xAF"), kReplacement + kReplacement);
        QCOMPARE(d.push("\xED\xA0\x80"), kReplacement + kReplacement + kReplacement);
        // An incomplete sequence at the end of the stream.
        QCOMPARE(d.push("\xE6\x98"), std::string());
        QCOMPARE(d.finish(), kReplacement);
        QVERIFY(!d.hasPending());
    }
};

QTEST_GUILESS_MAIN(TestGenerator)
#include "tst_generator.moc"
