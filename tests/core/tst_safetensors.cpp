#include <QtTest>

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/run/safetensors.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>

#include <cstring>
#include <functional>
#include <random>

using namespace llmf;

namespace {

ModelConfig tinyConfig()
{
    ModelConfig c;
    c.dim = 32;
    c.n_layers = 2;
    c.n_heads = 4;
    c.n_kv_heads = 2;
    c.vocab_size = 300;
    c.max_seq_len = 16;
    return c;
}

MiniLLM makeModel(const ModelConfig &config, uint64_t seed)
{
    torch::manual_seed(seed);
    MiniLLM model(config);
    model->eval();
    return model;
}

// The message of the llmf::Error `f` throws; "" when it succeeds, "UNEXPECTED ..." for any other exception.
QString errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception &e) {
        return QStringLiteral("UNEXPECTED exception: ") + e.what();
    } catch (...) {
        return QStringLiteral("UNEXPECTED non-standard exception");
    }
    return {};
}

// A file made by hand: little-endian header length, the header text as given (no padding), then `data`.
std::string craft(const std::string &header, const std::string &data = {})
{
    std::string out;
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
    return out + header + data;
}

QString parseError(const std::string &bytes)
{
    return errorOf([&] { parseSafetensors(bytes, "bad.safetensors"); });
}

bool sameBytes(const torch::Tensor &a, const torch::Tensor &b)
{
    // An empty tensor may have no storage at all: memcmp must not see its null pointer (UBSan).
    return a.scalar_type() == b.scalar_type() && a.sizes() == b.sizes() &&
           (a.numel() == 0 || std::memcmp(a.data_ptr(), b.data_ptr(), a.numel() * a.element_size()) == 0);
}

torch::Tensor logitsOf(MiniLLM &model)
{
    torch::NoGradGuard noGrad;
    return model->forward(torch::arange(12, torch::kInt64).view({1, 12}) * 7 % 300);
}

} // namespace

class TestSafetensors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_everyDtype_isBitIdentical()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("t.safetensors").toStdString();
        torch::manual_seed(1);
        auto f32 = torch::randn({3, 5});
        f32[0][0] = std::numeric_limits<float>::quiet_NaN(); // NaN and -0.0 survive only a bitwise copy
        f32[0][1] = -0.0f;
        const NamedTensors tensors = {
            {"f32", f32},
            {"bf16", torch::randn({7}).to(torch::kBFloat16)},
            {"i64", torch::tensor({int64_t(1) << 62, int64_t(-5), int64_t(0)})},
            {"f16", torch::randn({2, 2}).to(torch::kFloat16)},
            {"f64", torch::randn({3}, torch::kFloat64)},
            {"i32", torch::tensor({-7, 8}, torch::kInt32)},
            {"u8", torch::tensor({0, 255}, torch::kUInt8)},
            {"bool", torch::tensor({true, false, true})},
            {"scalar", torch::tensor(3.5f)},       // 0-d
            {"empty", torch::zeros({0, 4})},       // no bytes at all
            {"strided", torch::randn({4, 6}).t()}, // non-contiguous: saved contiguous
        };
        saveSafetensors(path, tensors, {{"step", "42"}});
        const SafetensorsFile file = loadSafetensors(path);
        QCOMPARE(file.tensors.size(), tensors.size());
        for (const auto &[name, tensor] : tensors) {
            QVERIFY2(file.tensors.count(name), name.c_str());
            QVERIFY2(sameBytes(file.tensors.at(name), tensor.contiguous()), name.c_str());
        }
        QCOMPARE(file.tensors.at("scalar").dim(), int64_t(0));
        QCOMPARE(file.tensors.at("empty").sizes().vec(), (std::vector<int64_t>{0, 4}));
        QCOMPARE(file.metadata.at("format"), std::string("pt"));
        QCOMPARE(file.metadata.at("step"), std::string("42"));
    }

    void save_oneTensor_matchesTheDocumentedBytes()
    {
        // The worked example of safetensors.h, byte by byte.
        const std::string bytes = serializeSafetensors({{"w", torch::tensor({1.0f, 2.0f})}});
        QCOMPARE(bytes.size(), size_t(104));
        QCOMPARE(bytes.substr(0, 8), std::string("\x58\0\0\0\0\0\0\0", 8));
        QCOMPARE(bytes.substr(8, 88), std::string(R"({"__metadata__":{"format":"pt"},)"
                                                  R"("w":{"data_offsets":[0,8],"dtype":"F32","shape":[2]}}   )"));
        QCOMPARE(bytes.substr(96), std::string("\x00\x00\x80\x3f\x00\x00\x00\x40", 8));
    }

    void save_header_isAlignedJsonWithWidestTensorsFirst()
    {
        const std::string bytes = serializeSafetensors({{"b", torch::zeros({3})},
                                                        {"a", torch::zeros({1}, torch::kBFloat16)},
                                                        {"c", torch::zeros({1}, torch::kInt64)},
                                                        {"a2", torch::zeros({5}, torch::kBFloat16)}},
                                                       {{"note", "hi"}});
        uint64_t n = 0;
        for (int i = 0; i < 8; ++i)
            n |= uint64_t(static_cast<unsigned char>(bytes[i])) << (8 * i);
        QCOMPARE((8 + n) % 8, uint64_t(0));
        const auto header = nlohmann::json::parse(bytes.substr(8, n));
        QCOMPARE(header["__metadata__"]["format"].get<std::string>(), std::string("pt"));
        QCOMPARE(header["__metadata__"]["note"].get<std::string>(), std::string("hi"));
        QCOMPARE(header["b"]["dtype"].get<std::string>(), std::string("F32"));
        QCOMPARE(header["b"]["shape"], nlohmann::json::array({3}));
        // I64 (8 bytes each) first, then F32, then the two BF16 by name: every tensor is aligned to its element.
        QCOMPARE(header["c"]["data_offsets"], nlohmann::json::array({0, 8}));
        QCOMPARE(header["b"]["data_offsets"], nlohmann::json::array({8, 20}));
        QCOMPARE(header["a"]["data_offsets"], nlohmann::json::array({20, 22}));
        QCOMPARE(header["a2"]["data_offsets"], nlohmann::json::array({22, 32}));
        QCOMPARE(bytes.size(), size_t(8 + n + 32));
    }

    void save_invalidInput_throws()
    {
        const auto t = torch::zeros({2});
        QVERIFY(errorOf([&] { serializeSafetensors({{"x", t}, {"x", t}}); }).contains("two tensors named 'x'"));
        QVERIFY(errorOf([&] { serializeSafetensors({{"__metadata__", t}}); }).contains("reserved"));
        QVERIFY(errorOf([&] { serializeSafetensors({{"u", torch::Tensor()}}); }).contains("undefined"));
        QVERIFY(errorOf([&] {
                    serializeSafetensors({{"c", torch::zeros({2}, torch::kComplexFloat)}});
                }).contains("no safetensors equivalent"));
        QVERIFY(errorOf([&] { serializeSafetensors({{"bad\xff", t}}); }).contains("UTF-8"));
    }

    void model_saveThenLoadIntoOtherSeed_givesIdenticalLogits()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.safetensors").toStdString();
        MiniLLM a = makeModel(tinyConfig(), 1);
        MiniLLM b = makeModel(tinyConfig(), 2);
        QVERIFY(!torch::equal(logitsOf(a), logitsOf(b)));
        saveModelSafetensors(a, path);
        const auto notes = loadModelSafetensors(b, path);
        QVERIFY(notes.empty());
        QVERIFY(torch::equal(logitsOf(a), logitsOf(b)));
        QVERIFY(loadSafetensors(path).tensors.count("model.layers.1.self_attn.k_proj.weight"));

        // Half-precision weights load with a note.
        NamedTensors half;
        for (const auto &[name, t] : modelTensorsForSaving(a))
            half.emplace_back(name, t.to(torch::kBFloat16));
        saveSafetensors(path, half);
        const auto halfNotes = loadModelSafetensors(b, path);
        QCOMPARE(halfNotes.size(), size_t(1));
        QVERIFY2(QString::fromStdString(halfNotes[0]).contains("BFloat16"), halfNotes[0].c_str());
        QVERIFY((logitsOf(a) - logitsOf(b)).abs().max().item<float>() < 0.05f);
    }

    void parse_truncatedFiles_throwNamingTheProblem()
    {
        const std::string good = serializeSafetensors({{"w", torch::arange(10, torch::kFloat32)}});
        const size_t headerEnd = good.size() - 40;
        QString e = parseError(good.substr(0, 0));
        QVERIFY2(e.contains("bad.safetensors") && e.contains("0 bytes long"), qPrintable(e));
        e = parseError(good.substr(0, 4));
        QVERIFY2(e.contains("4 bytes long"), qPrintable(e));
        e = parseError(good.substr(0, 11));
        QVERIFY2(e.contains("only 3 bytes follow"), qPrintable(e));
        e = parseError(good.substr(0, headerEnd + 17));
        QVERIFY2(e.contains("data area is only 17 bytes"), qPrintable(e));
        // Every other length fails cleanly too.
        for (size_t n = 0; n < good.size(); ++n) {
            e = parseError(good.substr(0, n));
            QVERIFY2(e.contains("not a valid safetensors file"), qPrintable(QString::number(n) + ": " + e));
        }
        QVERIFY(parseError(good).isEmpty());
    }

    void parse_tamperedHeaders_throwSpecificErrors()
    {
        const std::string eight(8, '\0');
        const struct
        {
            std::string bytes;
            const char *expected;
        } cases[] = {
            {craft("{}") + "x", "belong to no tensor (trailing garbage)"},
            {std::string("\xff\xff\xff\xff\0\0\0\0", 8) + "{}", "more than the 100 MB limit"},
            {std::string("\x40\0\0\0\0\0\0\0", 8) + "{}", "says 64 bytes but only 2 bytes follow"},
            {craft("{\"w\": "), "not valid JSON"},
            {craft("[1, 2]"), "array, not a JSON object"},
            {craft(R"({"w": 3})"), "tensor 'w' is described by number"},
            {craft(R"({"w": {"shape": [2], "data_offsets": [0, 8]}})", eight), "tensor 'w' has no \"dtype\""},
            {craft(R"({"w": {"dtype": "F32", "data_offsets": [0, 8]}})", eight), "has no \"shape\""},
            {craft(R"({"w": {"dtype": "F32", "shape": [2]}})", eight), "has no \"data_offsets\""},
            {craft(R"({"w": {"dtype": 4, "shape": [2], "data_offsets": [0, 8]}})", eight), "not a string"},
            {craft(R"({"w": {"dtype": "Q4", "shape": [2], "data_offsets": [0, 8]}})", eight),
             "unknown or unsupported dtype \"Q4\""},
            {craft(R"({"w": {"dtype": "F32", "shape": 2, "data_offsets": [0, 8]}})", eight), "not an array"},
            {craft(R"({"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}})", eight), "negative"},
            {craft(R"({"w": {"dtype": "F32", "shape": [2.5], "data_offsets": [0, 8]}})", eight),
             "not a non-negative integer"},
            {craft(R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 8]}})", eight),
             "overflowing shape"},
            {craft(R"({"w": {"dtype": "F32", "shape": [0, 9223372036854775807, 2], "data_offsets": [0, 0]}})"),
             "overflowing shape"},
            {craft(R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0]}})", eight), "not an array [begin"},
            {craft(R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}})", eight),
             "data_offsets [8, 0] that end before they begin"},
            {craft(R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 12]}})", eight),
             "is F32 with shape [2] (2 elements of 4 bytes) but its data_offsets [0, 12] span 12 bytes"},
            {craft(R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}})", eight),
             "data_offsets [8, 16] but the data area is only 8 bytes"},
            {craft(R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                       "v": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})",
                   std::string(12, '\0')),
             "tensors 'w' [0, 8] and 'v' [4, 12] overlap"},
            {craft(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})", eight),
             "bytes [0, 4] of the data area belong to no tensor"},
            {craft(R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                       "w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})",
                   eight),
             "\"w\" appears twice"},
            {craft(R"({"w": {"dtype": "F32", "dtype": "I64", "shape": [2], "data_offsets": [0, 8]}})", eight),
             "\"dtype\" appears twice"},
            {craft(R"({"__metadata__": {"format": 1}})"), "entry \"format\" is not a string"},
            {craft(R"({"__metadata__": [1]})"), "\"__metadata__\" is not an object"},
            {craft(R"({"b": {"dtype": "BOOL", "shape": [1], "data_offsets": [0, 1]}})", "\x02"),
             "byte other than 0 or 1"},
        };
        for (const auto &c : cases) {
            const QString e = parseError(c.bytes);
            QVERIFY2(e.contains("'bad.safetensors' is not a valid safetensors file") && e.contains(c.expected),
                     qPrintable(QString("expected \"%1\", got \"%2\"").arg(c.expected, e)));
        }
        // Empty tensors may sit anywhere between others; an empty file is valid.
        const SafetensorsFile ok =
            parseSafetensors(craft(R"({"z": {"dtype": "F32", "shape": [0], "data_offsets": [8, 8]},
                      "w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})",
                                   eight),
                             "ok");
        QCOMPARE(ok.tensors.size(), size_t(2));
        QVERIFY(parseSafetensors(craft("{}"), "empty").tensors.empty());
    }

    void load_missingFile_throwsNamingPath()
    {
        const QString e = errorOf([] { loadSafetensors("/nonexistent/model.safetensors"); });
        QVERIFY2(e.contains("/nonexistent/model.safetensors"), qPrintable(e));
    }

    void loadIntoModel_configDisagreement_namesTensorShapesAndKey()
    {
        MiniLLM small = makeModel(tinyConfig(), 1);
        const SafetensorsFile file = parseSafetensors(serializeSafetensors(modelTensorsForSaving(small)), "m");
        auto wider = tinyConfig();
        wider.dim = 48;
        MiniLLM big = makeModel(wider, 1);
        QString e = errorOf([&] { loadIntoModel(big, file, "run/model.safetensors"); });
        QVERIFY2(e.contains("run/model.safetensors") && e.contains("model.embed_tokens.weight") &&
                     e.contains("[300, 32]") && e.contains("[300, 48]") && e.contains("config.yaml's dim"),
                 qPrintable(e));

        auto kv = tinyConfig();
        kv.n_kv_heads = 4;
        MiniLLM moreKv = makeModel(kv, 1);
        e = errorOf([&] { loadIntoModel(moreKv, file, "m"); });
        QVERIFY2(e.contains("k_proj.weight") && e.contains("[16, 32]") && e.contains("[32, 32]") &&
                     e.contains("n_kv_heads") && e.contains("3 more tensors have the wrong shape"),
                 qPrintable(e));

        auto vocab = tinyConfig();
        vocab.vocab_size = 512;
        MiniLLM otherVocab = makeModel(vocab, 1);
        e = errorOf([&] { loadIntoModel(otherVocab, file, "m"); });
        QVERIFY2(e.contains("vocab_size"), qPrintable(e));

        auto ffn = tinyConfig();
        ffn.ffn_hidden_dim = 64;
        MiniLLM otherFfn = makeModel(ffn, 1);
        e = errorOf([&] { loadIntoModel(otherFfn, file, "m"); });
        QVERIFY2(e.contains("gate_proj.weight") && e.contains("ffn_hidden_dim"), qPrintable(e));
    }

    void loadIntoModel_missingOrExtraTensors_explainsWhy()
    {
        MiniLLM two = makeModel(tinyConfig(), 1);
        const NamedTensors saved = modelTensorsForSaving(two);
        const SafetensorsFile twoLayers = parseSafetensors(serializeSafetensors(saved), "m");

        auto c3 = tinyConfig();
        c3.n_layers = 3;
        MiniLLM three = makeModel(c3, 1);
        const torch::Tensor before = logitsOf(three);
        QString e = errorOf([&] { loadIntoModel(three, twoLayers, "run/model.safetensors"); });
        QVERIFY2(e.contains("'run/model.safetensors' has no tensor 'model.layers.2.") &&
                     e.contains("fewer layers than config.yaml says"),
                 qPrintable(e));
        QVERIFY(torch::equal(before, logitsOf(three))); // nothing was copied

        const SafetensorsFile threeLayers = parseSafetensors(serializeSafetensors(modelTensorsForSaving(three)), "m3");
        e = errorOf([&] { loadIntoModel(two, threeLayers, "m3"); });
        QVERIFY2(e.contains("no parameter for: 'model.layers.2.") && e.contains("more layers"), qPrintable(e));

        NamedTensors extra = saved;
        extra.emplace_back("rotary.inv_freq", torch::zeros({4}));
        e = errorOf([&] { loadIntoModel(two, parseSafetensors(serializeSafetensors(extra), "x"), "x"); });
        QVERIFY2(e.contains("'rotary.inv_freq'"), qPrintable(e));

        NamedTensors fewer(saved.begin() + 1, saved.end());
        e = errorOf([&] { loadIntoModel(two, parseSafetensors(serializeSafetensors(fewer), "x"), "x"); });
        QVERIFY2(e.contains("has no tensor '" + QString::fromStdString(saved.front().first) + "'"), qPrintable(e));

        auto tied = tinyConfig();
        tied.tie_embeddings = true;
        MiniLLM tiedModel = makeModel(tied, 1);
        const SafetensorsFile tiedFile = parseSafetensors(serializeSafetensors(modelTensorsForSaving(tiedModel)), "t");
        QVERIFY(!tiedFile.tensors.count("lm_head.weight"));
        e = errorOf([&] { loadIntoModel(two, tiedFile, "t"); });
        QVERIFY2(e.contains("'lm_head.weight'") && e.contains("tie_embeddings: true"), qPrintable(e));
        e = errorOf([&] { loadIntoModel(tiedModel, twoLayers, "m"); });
        QVERIFY2(e.contains("'lm_head.weight'") && e.contains("tie_embeddings: false"), qPrintable(e));

        NamedTensors ints;
        for (const auto &[name, t] : saved)
            ints.emplace_back(name, t.to(torch::kInt32));
        e = errorOf([&] { loadIntoModel(two, parseSafetensors(serializeSafetensors(ints), "i"), "i"); });
        QVERIFY2(e.contains("stored as Int"), qPrintable(e));
    }

    void parse_randomCorruption_onlySucceedsOrThrowsError()
    {
        // A small but complete file: several dtypes, a 0-d and an empty tensor, metadata.
        const std::string good = serializeSafetensors({{"a", torch::arange(6, torch::kFloat32).view({2, 3})},
                                                       {"b", torch::tensor({true, false})},
                                                       {"c", torch::tensor(int64_t(7))},
                                                       {"d", torch::zeros({0, 2}, torch::kBFloat16)}},
                                                      {{"k", "v"}});
        std::mt19937 rng(1234);
        int errors = 0;
        for (int i = 0; i < 300; ++i) {
            std::string bytes = good;
            const int flips = 1 + static_cast<int>(rng() % 4);
            for (int f = 0; f < flips; ++f) {
                // Mostly the header (where the structure is), sometimes anywhere.
                const size_t limit = (i % 4 == 0) ? bytes.size() : std::min<size_t>(bytes.size(), 8 + 220);
                const size_t at = rng() % limit;
                bytes[at] = static_cast<char>(i % 3 == 0 ? rng() % 256 : bytes[at] ^ (1 << (rng() % 8)));
            }
            if (i % 10 == 0)
                bytes.resize(rng() % bytes.size());
            const QString e = parseError(bytes);
            QVERIFY2(!e.startsWith("UNEXPECTED"), qPrintable(QString::number(i) + ": " + e));
            errors += e.isEmpty() ? 0 : 1;
        }
        QVERIFY(errors > 100); // the loop did reach the validation code
    }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
