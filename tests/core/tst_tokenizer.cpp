#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/tokenizer/bpetrainer.h"
#include "llmf/tokenizer/mergereplay.h"
#include "llmf/tokenizer/pretokenizer.h"
#include "llmf/tokenizer/tokenizer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <thread>

using namespace llmf;

namespace {

// A few hundred KB of varied English-like text, the same on every run (a tiny linear congruential generator,
// not std::rand, so it does not depend on the C library).
std::string makeCorpus(int sentences)
{
    const char *subjects[] = {"The family",    "Elinor", "Her mother", "Mr. Darcy",  "Everybody",
                              "The young man", "Nobody", "Marianne",   "His sister", "The 3 girls"};
    const char *verbs[] = {"walked", "talked", "thought", "wondered", "laughed", "hoped", "didn't know", "said"};
    const char *rests[] = {" about the weather.", " that it's late!",  " with great pleasure;", " in 1811, or so.",
                           " and then\n\nleft.",  "  quite  happily.", " — très bien — ",       " 你好，世界。"};
    uint32_t state = 12345;
    auto next = [&](uint32_t n) {
        state = state * 1664525u + 1013904223u;
        return (state >> 16) % n;
    };
    std::string text;
    for (int i = 0; i < sentences; ++i) {
        text += subjects[next(10)];
        text += ' ';
        text += verbs[next(8)];
        text += rests[next(8)];
        // Made-up words ("berlomi", "Tasuvet") so that there is enough variety left for hundreds of merges.
        const char *syllables[] = {"ber", "lo", "mi", "ta", "su", "vet", "an", "dor", "el", "qui", "ra", "no"};
        for (uint32_t w = next(3); w > 0; --w) {
            text += ' ';
            for (uint32_t k = 1 + next(3); k > 0; --k)
                text += syllables[next(12)];
        }
        text += (i % 7 == 6) ? "\n" : " ";
    }
    return text;
}

std::vector<int32_t> ids(std::initializer_list<int32_t> list)
{
    return list;
}

QString errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestTokenizer : public QObject
{
    Q_OBJECT

private:
    std::string m_corpus = makeCorpus(3000);

    Tokenizer trained(int vocabSize = 600)
    {
        BpeTrainer trainer;
        trainer.addText(m_corpus);
        return trainer.train(vocabSize).tokenizer;
    }

private Q_SLOTS:
    void pretokenize_sampleSentence_splitsLikeGpt2()
    {
        const auto pieces = pretokenize("Hello world's 123 你好!!");
        QCOMPARE(pieces, (std::vector<std::string_view>{"Hello", " world", "'s", " 123", " 你好", "!!"}));
        // Checked against Python's `regex` with GPT-2's pattern.
        QCOMPARE(pretokenize("a  b\t\tc\n\n d   "),
                 (std::vector<std::string_view>{"a", " ", " b", "\t", "\t", "c", "\n\n", " d", "   "}));
        QCOMPARE(pretokenize("I'LL don't 👋🌍 ok\u3000x"),
                 (std::vector<std::string_view>{"I", "'", "LL", " don", "'t", " 👋🌍", " ok", "\u3000", "x"}));
        QVERIFY(pretokenize("").empty());
    }

    void firstInvalidUtf8_badSequences_giveOffsetOfFirstBadByte()
    {
        QCOMPARE(firstInvalidUtf8("plain ascii, 中文, 👋"), std::optional<size_t>());
        QCOMPARE(firstInvalidUtf8("\xff\xfe"), std::optional<size_t>(0));
        QCOMPARE(firstInvalidUtf8("ok\xe4\xb8"), std::optional<size_t>(2));          // truncated "中"
        QCOMPARE(firstInvalidUtf8("abcdefghij\xc0\xaf"), std::optional<size_t>(10)); // overlong "/"
        QCOMPARE(firstInvalidUtf8("\xed\xa0\x80"), std::optional<size_t>(0));        // surrogate
        QCOMPARE(firstInvalidUtf8("x\xf4\x90\x80\x80"), std::optional<size_t>(1));   // above U+10FFFF
    }

    void byteLevel_allBytes_roundTripThroughPrintableCharacters()
    {
        QCOMPARE(toByteLevel(" \n hi"), std::string("ĠĊĠhi"));
        std::string all;
        for (int b = 0; b < 256; ++b)
            all.push_back(static_cast<char>(b));
        const std::string spelled = toByteLevel(all);
        QCOMPARE(fromByteLevel(spelled), std::optional<std::string>(all));
        QCOMPARE(fromByteLevel("a b"), std::optional<std::string>()); // a real space is not a stand-in
    }

    void roundTrip_emptyAsciiChineseEmojiWhitespace()
    {
        const Tokenizer bytesOnly;
        const Tokenizer tok = trained();
        for (const std::string s :
             {"", "Hello, world! It's 2024.", "床前明月光，疑是地上霜。", "👋🌍 ok", "a  b\t\tc\n\n d   "}) {
            QCOMPARE(tok.decode(tok.encode(s)), s);
            QCOMPARE(bytesOnly.decode(bytesOnly.encode(s)), s);
        }
        QCOMPARE(tok.decode(tok.encode(m_corpus)), m_corpus);
        QVERIFY(tok.encode(m_corpus).size() < m_corpus.size() / 2); // it actually compresses
    }

    void encode_invalidUtf8_throwsWithOffset()
    {
        const Tokenizer tok;
        QVERIFY(errorOf([&] { tok.encode("\xff\xfe"); }).contains("not valid UTF-8 (first bad byte at offset 0)"));
        QVERIFY(errorOf([&] { tok.encode("abc\xe4\xb8"); }).contains("offset 3"));
        QVERIFY(errorOf([&] { tok.encodeOrdinary("\xe4\xb8"); }).contains("offset 0"));
        QVERIFY(errorOf([&] { BpeTrainer().addText("ok\xff"); }).contains("offset 2"));
    }

    void decode_unknownId_throws()
    {
        const Tokenizer tok;
        QVERIFY(errorOf([&] { tok.decode({72, 9999}); }).contains("9999"));
        QVERIFY(!errorOf([&] { tok.decode({-1}); }).isEmpty());
    }

    void train_handWorkedExample_mergesAaabdaaabac()
    {
        BpeTrainer trainer;
        trainer.addText("aaabdaaabac");
        const BpeTrainResult result = trainer.train(300);
        const auto &merges = result.tokenizer.merges();
        // (a a) occurs 4 times ("aaa" holds it twice); then (aa a) and (a b) tie at 2 and the smaller ids win.
        QCOMPARE(merges.size(), size_t(3));
        QCOMPARE((std::vector<int64_t>{merges[0].left, merges[0].right, merges[0].token, merges[0].count}),
                 (std::vector<int64_t>{'a', 'a', 256, 4}));
        QCOMPARE((std::vector<int64_t>{merges[1].left, merges[1].right, merges[1].token, merges[1].count}),
                 (std::vector<int64_t>{'a', 'b', 257, 2}));
        QCOMPARE((std::vector<int64_t>{merges[2].left, merges[2].right, merges[2].token, merges[2].count}),
                 (std::vector<int64_t>{256, 257, 258, 2}));
        QVERIFY(result.ranOutOfPairs);
        QCOMPARE(result.mergesDone, 3);
        QCOMPARE(result.tokenizer.tokenBytes(258), std::string("aaab"));
        QCOMPARE(result.tokenizer.encode("aaabdaaabac"), ids({258, 'd', 258, 'a', 'c'}));
        QCOMPARE(result.tokenizer.vocabSize(), 256 + 3 + 2);
        QCOMPARE(result.tokenizer.eosId(), 259);
        QCOMPARE(result.tokenizer.padId(), 260);
    }

    void replay_atMergeK_givesIntermediateSegmentation()
    {
        BpeTrainer trainer;
        trainer.addText("aaabdaaabac");
        const Tokenizer tok = trainer.train(300).tokenizer;
        using Words = std::vector<std::vector<std::string>>;
        QCOMPARE(replaySegmentation(tok, "aaabdaaabac", 0),
                 (Words{{"a", "a", "a", "b", "d", "a", "a", "a", "b", "a", "c"}}));
        QCOMPARE(replaySegmentation(tok, "aaabdaaabac", 1), (Words{{"aa", "a", "b", "d", "aa", "a", "b", "a", "c"}}));
        QCOMPARE(replaySegmentation(tok, "aaabdaaabac", 2), (Words{{"aa", "ab", "d", "aa", "ab", "a", "c"}}));
        QCOMPARE(replaySegmentation(tok, "aaabdaaabac", 3), (Words{{"aaab", "d", "aaab", "a", "c"}}));
        QCOMPARE(replaySegmentation(tok, "ab aab", 2), (Words{{"ab"}, {" ", "aa", "b"}}));
    }

    void train_twice_identicalMerges()
    {
        const Tokenizer a = trained(700);
        BpeTrainer second;
        // Same words, fed in two pieces cut between words: the counts and hence the merges must not change.
        const size_t cut = m_corpus.find(".\n", 1000) + 2;
        second.addText(m_corpus.substr(cut));
        second.addText(m_corpus.substr(0, cut));
        const Tokenizer b = second.train(700).tokenizer;
        QCOMPARE(a.merges().size(), b.merges().size());
        for (size_t i = 0; i < a.merges().size(); ++i) {
            const Merge &x = a.merges()[i], &y = b.merges()[i];
            QVERIFY2(x.left == y.left && x.right == y.right && x.token == y.token, qPrintable(QString::number(i)));
        }
        QCOMPARE(a.vocabSize(), 700);
        QCOMPARE(b.vocabSize(), 700);
    }

    void encode_trainingText_reproducesTrainerSegmentation()
    {
        BpeTrainer trainer;
        trainer.addText(m_corpus);
        const Tokenizer tok = trainer.train(800).tokenizer;
        std::unordered_map<std::string, const BpeWord *> byBytes;
        for (const BpeWord &w : trainer.words()) {
            QCOMPARE(tok.encodeWord(w.bytes), w.tokens);
            byBytes[w.bytes] = &w;
        }
        std::vector<int32_t> expected;
        for (const std::string_view piece : pretokenize(m_corpus)) {
            const auto &tokens = byBytes.at(std::string(piece))->tokens;
            expected.insert(expected.end(), tokens.begin(), tokens.end());
        }
        QCOMPARE(tok.encode(m_corpus), expected);
    }

    void train_vocabTooSmall_throwsAndProgressReports()
    {
        BpeTrainer trainer;
        trainer.addText(m_corpus);
        QVERIFY(errorOf([&] { trainer.train(257); }).contains("at least 258"));
        int calls = 0, last = -1;
        const auto result = trainer.train(400, [&](int merged, int total) {
            ++calls;
            last = merged;
            QCOMPARE(total, 142);
        });
        QCOMPARE(last, 142);
        QVERIFY(calls >= 2 && calls <= 150);
        std::atomic_bool cancel{true};
        QVERIFY(trainer.train(400, {}, &cancel).cancelled);
    }

    void encode_specialTokenInText_givesEosId()
    {
        Tokenizer tok = trained();
        const auto out = tok.encode("Hello<|endoftext|>World");
        QCOMPARE(std::count(out.begin(), out.end(), tok.eosId()), 1);
        QCOMPARE(tok.bosId(), tok.eosId());
        QCOMPARE(tok.decode(out), std::string("Hello<|endoftext|>World"));
        const auto plain = tok.encodeOrdinary("Hello<|endoftext|>World");
        QCOMPARE(std::count(plain.begin(), plain.end(), tok.eosId()), 0);
        QCOMPARE(tok.decode(plain), std::string("Hello<|endoftext|>World"));

        const int32_t added = tok.addSpecialToken("<|endoftext|><|x|>"); // longest match wins at the same place
        QCOMPARE(added, tok.vocabSize() - 1);
        QCOMPARE(tok.addSpecialToken("<|endoftext|><|x|>"), added);
        QCOMPARE(tok.encode("<|endoftext|><|x|><|endoftext|>"), ids({added, tok.eosId()}));
        QCOMPARE(tok.specialId("<|pad|>"), std::optional<int32_t>(tok.padId()));
    }

    void encode_fromSeveralThreads_givesSameIds()
    {
        const Tokenizer tok = trained();
        const auto expected = Tokenizer(tok).encode(m_corpus);
        std::vector<int32_t> a, b;
        std::thread t1([&] { a = tok.encode(m_corpus); });
        std::thread t2([&] { b = tok.encode(m_corpus); });
        t1.join();
        t2.join();
        QCOMPARE(a, expected);
        QCOMPARE(b, expected);
    }

    void saveLoad_tokenizerJson_roundTrips()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath("tokenizer.json").toStdString();
        Tokenizer tok = trained();
        tok.addSpecialToken("<|user|>");
        tok.save(path);
        const Tokenizer loaded = Tokenizer::load(path);
        QCOMPARE(loaded.vocabSize(), tok.vocabSize());
        QCOMPARE(loaded.eosId(), tok.eosId());
        QCOMPARE(loaded.padId(), tok.padId());
        QCOMPARE(loaded.specialId("<|user|>"), tok.specialId("<|user|>"));
        QCOMPARE(loaded.merges().size(), tok.merges().size());
        const std::string sample = m_corpus.substr(0, 5000) + "<|endoftext|> 床前明月光 👋 <|user|>";
        QCOMPARE(loaded.encode(sample), tok.encode(sample));
        QCOMPARE(loaded.toJson(), tok.toJson());
        const std::string json = readFile(path);
        QVERIFY(json.find("\"type\": \"ByteLevel\"") != std::string::npos);
        QVERIFY(json.find("\"Ġ") != std::string::npos); // byte-level spelling of a leading space
    }

    void load_huggingFaceStyle_acceptsArrayMergesAndSpecialsInVocab()
    {
        // Byte tokens in a different order than ours (GPT-2 numbers "!" as 0), merges as [left, right] arrays and
        // the special token listed in model.vocab as well, as Hugging Face writes them.
        std::string vocab;
        for (int b = 0; b < 256; ++b) {
            std::string key = toByteLevel(std::string(1, char((b + 33) % 256)));
            if (key == "\"" || key == "\\")
                key.insert(0, "\\"); // JSON escape
            vocab += "\"" + key + "\": " + std::to_string(b) + ", ";
        }
        const std::string json = R"({"version": "1.0", "added_tokens": [{"id": 258, "content": "<|endoftext|>",
            "special": true}], "pre_tokenizer": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {)" +
                                 vocab + R"("Ġw": 256, "Ġwo": 257, "<|endoftext|>": 258},
            "merges": [["Ġ", "w"], ["Ġw", "o"]]}})";
        const Tokenizer tok = Tokenizer::fromJson(json, "hf.json");
        QCOMPARE(tok.vocabSize(), 259);
        QCOMPARE(tok.eosId(), 258);
        QCOMPARE(tok.encode(" wow!<|endoftext|>"), ids({257, 'w' - 33, '!' - 33, 258}));
    }

    void load_malformedFile_throwsNamingFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("broken.json").toStdString();
        auto loadError = [&](const std::string &content) {
            writeFileAtomically(path, content);
            return errorOf([&] { Tokenizer::load(path); });
        };
        const Tokenizer good;
        const std::string goodJson = good.toJson();

        QString e = loadError("{ this is not json");
        QVERIFY2(e.contains("broken.json") && e.contains("not valid JSON"), qPrintable(e));
        // Found by fuzzing (tests/fuzz/corpus/tokenizer/regression-json-number-overflow): a number beyond a double
        // escaped as nlohmann's out_of_range.
        e = loadError(R"({"model": {"vocab": {"a": 1e999999}}})");
        QVERIFY2(e.contains("broken.json") && e.contains("not valid JSON"), qPrintable(e));
        e = loadError(R"({"model": {"type": "BPE", "merges": []}, "pre_tokenizer": {"type": "ByteLevel"}})");
        QVERIFY2(e.contains("broken.json") && e.contains("model.vocab is missing"), qPrintable(e));
        std::string badMerge = goodJson;
        badMerge.replace(badMerge.find("\"merges\": []"), 12, R"("merges": ["Ġ zzz"])");
        e = loadError(badMerge);
        QVERIFY2(e.contains("broken.json") && e.contains("zzz") && e.contains("not in model.vocab"), qPrintable(e));
        std::string duplicate = goodJson;
        duplicate.replace(duplicate.find("\"b\": 98"), 7, "\"b\": 97");
        e = loadError(duplicate);
        QVERIFY2(e.contains("broken.json") && e.contains("used twice"), qPrintable(e));
        std::string notByteLevel = goodJson;
        notByteLevel.replace(notByteLevel.find("ByteLevel"), 9, "Metaspace");
        notByteLevel.replace(notByteLevel.find("ByteLevel"), 9, "Metaspace");
        e = loadError(notByteLevel);
        QVERIFY2(e.contains("not byte-level"), qPrintable(e));
        QVERIFY(errorOf([&] { Tokenizer::load(dir.filePath("missing.json").toStdString()); }).contains("missing.json"));
    }

    void mergeReplay_reproducesTheTrainersMergesAndEncoding()
    {
        const std::string text = "the cat sat on the mat, the cat ate the rat. 猫坐在垫子上，猫吃了老鼠。";
        BpeTrainer trainer;
        trainer.addText(text + " " + text + " the theme of the thesis");
        const BpeTrainResult trained = trainer.train(300);
        const Tokenizer &t = trained.tokenizer;
        const int all = static_cast<int>(t.merges().size());
        QVERIFY(all > 10);
        // Step 0 is bytes; after every merge k the token it made appears only if its pair was in the text.
        const auto bytes = segmentAt(t, text, 0);
        QCOMPARE(bytes.size(), text.size());
        for (int k = 1; k <= all; ++k) {
            const auto before = segmentAt(t, text, k - 1), after = segmentAt(t, text, k);
            QVERIFY(after.size() <= before.size());
            for (const ReplayToken &token : after)
                QVERIFY(token.mergeRank < k); // nothing from a later merge
        }
        // The end of the replay is the tokenizer's own encoding.
        std::vector<int32_t> ids;
        for (const ReplayToken &token : segmentAt(t, text, all))
            ids.push_back(token.id);
        QCOMPARE(ids, t.encodeOrdinary(text));
        QCOMPARE(segmentAt(t, text, all + 100).size(), ids.size()); // clamped
        const SegmentationStats stats = segmentationStats(t, text, all);
        QCOMPARE(stats.bytes, int64_t(text.size()));
        QCOMPARE(stats.tokens, int64_t(ids.size()));
        QCOMPARE(stats.vocabularySize, t.vocabSize());
        QCOMPARE(mergesForVocabulary(t, 258), 0);
        QCOMPARE(mergesForVocabulary(t, 100000), all);
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
