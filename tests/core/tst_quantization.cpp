#include <QtTest>

#include "llmf/common/error.h"
#include "llmf/config/configio.h"
#include "llmf/data/trainingdata.h"
#include "llmf/model/minillm.h"
#include "llmf/config/validation.h"
#include "llmf/quant/quantize.h"
#include "llmf/run/quantizedstorage.h"
#include "llmf/run/rundirectory.h"
#include "llmf/run/safetensors.h"
#include "llmf/train/trainer.h"

#include <QTemporaryDir>

#include <cmath>
#include <functional>

using namespace llmf;

namespace {

QString errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromStdString(e.fullMessage());
    }
    return {};
}

// ffn_hidden_dim 0 → int(8 · 64 / 3) = 170: down_proj's rows end in a partial group of 10.
Config smallConfig(bool tied)
{
    Config c;
    c.model.dim = 64;
    c.model.n_layers = 2;
    c.model.n_heads = 4;
    c.model.n_kv_heads = 2;
    c.model.vocab_size = 300;
    c.model.max_seq_len = 32;
    c.model.tie_embeddings = tied;
    return c;
}

// A run directory with random weights (a trained model is not needed to test the arithmetic).
QString writeRun(const QString &dir, bool tied = false)
{
    const Config config = smallConfig(tied);
    RunDirectory run(dir.toStdString());
    run.create();
    saveConfig(config, run.configPath());
    Tokenizer().save(run.tokenizerPath());
    torch::manual_seed(7);
    MiniLLM model(config.model);
    saveModelSafetensors(model, run.weightsPath(), {{"step", "12"}});
    return dir;
}

std::vector<float> randomVector(int64_t n, uint64_t seed)
{
    torch::manual_seed(seed);
    const torch::Tensor t = torch::randn({n});
    return {t.data_ptr<float>(), t.data_ptr<float>() + n};
}

// Logits of the decode path (decodeOne, token by token) and of the full forward for the same tokens.
std::pair<torch::Tensor, torch::Tensor> decodeAndForward(const LoadedRun &run, const std::vector<int64_t> &tokens)
{
    torch::NoGradGuard noGrad;
    MiniLLM model = run.model();
    KVCache cache = model->makeCache(1);
    std::vector<torch::Tensor> rows;
    for (int64_t t : tokens) {
        const torch::Tensor idx = torch::tensor({t}, torch::kInt64).view({1, 1});
        Q_ASSERT(model->canDecodeOne(idx, cache));
        rows.push_back(model->forward(idx, cache).view({-1}));
    }
    const torch::Tensor full = model->forward(torch::tensor(tokens, torch::kInt64).view({1, -1}))[0];
    return {torch::stack(rows), full};
}

} // namespace

class TestQuantization : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void half_roundTripsEveryFiniteValue()
    {
        for (uint32_t bits = 0; bits < 0x10000; ++bits) {
            if (((bits >> 10) & 0x1f) == 0x1f)
                continue; // inf / NaN
            const auto h = static_cast<uint16_t>(bits);
            QCOMPARE(floatToHalf(halfToFloat(h)), h);
        }
        QCOMPARE(floatToHalf(1.0f), uint16_t(0x3c00));
        QCOMPARE(floatToHalf(-2.0f), uint16_t(0xc000));
        QCOMPARE(floatToHalf(65504.0f), uint16_t(0x7bff));
        QCOMPARE(floatToHalf(70000.0f), uint16_t(0x7c00));      // overflow → inf
        QCOMPARE(floatToHalf(5.9604645e-8f), uint16_t(0x0001)); // smallest subnormal
        QCOMPARE(floatToHalf(1e-9f), uint16_t(0x0000));
        QCOMPARE(floatToHalf(1.0f + 1.0f / 2048.0f), uint16_t(0x3c00)); // halfway: to even
        QCOMPARE(floatToHalf(1.0f + 3.0f / 2048.0f), uint16_t(0x3c02));
    }

    void int8_knownGroup_codesAndBound()
    {
        std::vector<float> w(32);
        for (int j = 0; j < 32; ++j)
            w[j] = (j - 16) * 0.1f; // max |w| = 1.6 at j = 0
        const QuantizedMatrix m = QuantizedMatrix::quantize(w.data(), 1, 32, QuantType::Int8);
        QCOMPARE(m.codes().size(), size_t(32));
        QCOMPARE(static_cast<int8_t>(m.codes()[0]), int8_t(-127));
        QCOMPARE(static_cast<int8_t>(m.codes()[16]), int8_t(0));
        QCOMPARE(m.scales()[0], halfToFloat(floatToHalf(1.6f / 127.0f)));
        std::vector<float> back(32);
        m.dequantize(back.data());
        for (int j = 0; j < 32; ++j)
            QVERIFY(std::fabs(back[j] - w[j]) <= m.scales()[0] * 0.5f + 1e-6f);
    }

    void int4_extremeMapsToMinusEight_andPacksLikeQ4_0()
    {
        std::vector<float> w(32, 0.0f);
        w[3] = 0.8f;   // the extreme, positive: d = 0.8 / -8 = -0.1, so it becomes q = -8
        w[20] = -0.3f; // → +3
        const QuantizedMatrix m = QuantizedMatrix::quantize(w.data(), 1, 32, QuantType::Int4);
        QCOMPARE(m.codes().size(), size_t(16));
        QCOMPARE(m.codes()[3] & 0x0f, 0);      // q[3] + 8 = 0
        QCOMPARE(m.codes()[4] >> 4, 3 + 8);    // q[20] sits in byte 4's high nibble
        QCOMPARE(m.codes()[0], uint8_t(0x88)); // zeros are 8 in both nibbles
        std::vector<float> back(32);
        m.dequantize(back.data());
        QVERIFY(std::fabs(back[3] - 0.8f) < 1e-3f);
        QVERIFY(std::fabs(back[20] + 0.3f) < 1e-3f);
    }

    void int8_errorBound_perElement_randomRows()
    {
        for (QuantType type : {QuantType::Int8, QuantType::Int4}) {
            const int64_t rows = 5, cols = 100; // 3 whole groups and a partial one of 4
            const auto w = randomVector(rows * cols, 3);
            const QuantizedMatrix m = QuantizedMatrix::quantize(w.data(), rows, cols, type);
            QCOMPARE(m.groupsPerRow(), int64_t(4));
            std::vector<float> back(static_cast<size_t>(rows * cols));
            m.dequantize(back.data());
            for (int64_t r = 0; r < rows; ++r)
                for (int64_t c = 0; c < cols; ++c) {
                    // int8: half a step, plus what rounding d to half precision can push past ±127 (127 · 2⁻¹¹ d).
                    // int4: a whole step for weights on the side opposite the extreme, which stop at +7.
                    const float d = std::fabs(m.scales()[static_cast<size_t>(r * 4 + c / 32)]);
                    const float bound = type == QuantType::Int8 ? d * 0.57f : d * 1.001f;
                    const float error = std::fabs(back[r * cols + c] - w[r * cols + c]);
                    QVERIFY2(error <= bound + 1e-7f, qPrintable(QString("row %1 col %2").arg(r).arg(c)));
                }
        }
    }

    void roundActivationsToQ8_halfAStepPerGroup()
    {
        // Three groups of 32 and a partial one of 4: a random group, one whose largest magnitude is negative, one of
        // zeros; then a group holding NaN, which must come out NaN (as the float product would be).
        const int64_t cols = 100;
        std::vector<float> x = randomVector(cols, 5);
        x[40] = -9.0f;
        std::fill(x.begin() + 64, x.begin() + 96, 0.0f);
        std::vector<float> out(cols);
        roundActivationsToQ8(x.data(), 1, cols, out.data());
        for (int64_t g = 0; g < 4; ++g) {
            const int64_t begin = g * 32, end = std::min<int64_t>(cols, begin + 32);
            float amax = 0.0f;
            for (int64_t j = begin; j < end; ++j)
                amax = std::max(amax, std::fabs(x[j]));
            const float d = amax / 127.0f;
            for (int64_t j = begin; j < end; ++j) {
                QVERIFY2(std::fabs(out[j] - x[j]) <= d * 0.5f * 1.0001f, qPrintable(QString("value %1").arg(j)));
                const float steps = d > 0 ? out[j] / d : 0.0f;
                QVERIFY(std::fabs(steps - std::nearbyint(steps)) < 1e-3f); // a whole number of steps
            }
        }
        QCOMPARE(out[40], -9.0f); // the extreme is exactly -127 steps
        QCOMPARE(out[70], 0.0f);
        x[3] = std::nanf("");
        roundActivationsToQ8(x.data(), 1, cols, out.data());
        QVERIFY(std::isnan(out[0]) && std::isnan(out[31]));
        QVERIFY(!std::isnan(out[32])); // the other groups are untouched by it
    }

    void multiply_equalsDequantisedProduct_forEveryBatchWidth()
    {
        for (QuantType type : {QuantType::Int8, QuantType::Int4})
            // Whole groups (an even and an odd count), and partial last groups of 10 and of 30 columns (the
            // AVX-512 kernel masks one or both of its 16-lane halves).
            for (int64_t cols : {64, 96, 170, 190}) {
                const int64_t rows = 37;
                const auto w = randomVector(rows * cols, 11);
                const QuantizedMatrix m = QuantizedMatrix::quantize(w.data(), rows, cols, type);
                torch::Tensor dense = torch::empty({rows, cols});
                m.dequantize(dense.data_ptr<float>());
                for (int64_t n : {1, 2, 3, 4, 7}) {
                    const torch::Tensor x = torch::randn({n, cols});
                    // int4 multiplies the inputs rounded to 8 bits per group (GGML's Q8_0), int8 the inputs as they
                    // are.
                    torch::Tensor multiplied = x.clone();
                    if (type == QuantType::Int4)
                        roundActivationsToQ8(x.data_ptr<float>(), n, cols, multiplied.data_ptr<float>());
                    const torch::Tensor expected = torch::mm(multiplied, dense.t());
                    for (QuantKernel kernel : supportedQuantKernels()) {
                        torch::Tensor y = torch::full({n, rows}, std::nanf(""));
                        m.multiplyWith(kernel, x.data_ptr<float>(), n, y.data_ptr<float>());
                        const QString what = QString("%1 kernel %2 cols %3 n %4")
                                                 .arg(quantTypeName(type), quantKernelName(kernel))
                                                 .arg(cols)
                                                 .arg(n);
                        QVERIFY2(torch::allclose(y, expected, 1e-4, 1e-5), qPrintable(what));
                        if (type == QuantType::Int4) {
                            // Tighter, against double precision: every kernel (and the vectorised rounding of the
                            // inputs) must use exactly the codes roundActivationsToQ8 gives; one code off by one
                            // moves a row by ~1e-4 of its magnitude, float rounding by ~1e-6.
                            const torch::Tensor exact =
                                torch::mm(multiplied.to(torch::kFloat64), dense.t().to(torch::kFloat64));
                            const torch::Tensor magnitude =
                                torch::mm(multiplied.abs().to(torch::kFloat64), dense.t().abs().to(torch::kFloat64));
                            QVERIFY2(
                                ((y.to(torch::kFloat64) - exact).abs() <= magnitude * 1e-5 + 1e-9).all().item<bool>(),
                                qPrintable(what));
                        }
                    }
                    torch::Tensor active = torch::empty({n, rows});
                    m.multiply(x.data_ptr<float>(), n, active.data_ptr<float>());
                    QVERIFY(torch::allclose(active, expected, 1e-4, 1e-5));
                }
            }
    }

    void quantizedRun_decodeEqualsForward_andStaysCloseToFp32()
    {
        QTemporaryDir tmp;
        const LoadedRun fp32 = loadRun(writeRun(tmp.filePath("run")).toStdString());
        const std::vector<int64_t> tokens = {5, 77, 123, 9, 250, 31, 31, 200};
        const auto [fp32Decode, fp32Forward] = decodeAndForward(fp32, tokens);
        for (QuantType type : {QuantType::Int8, QuantType::Int4}) {
            QuantizeSummary summary;
            const LoadedRun q = quantizeLoadedRun(fp32, {type, true}, &summary);
            QCOMPARE(q.config.model.quantization, std::string(quantTypeName(type)));
            QCOMPARE(fp32.config.model.quantization, std::string("none")); // the original is untouched
            QVERIFY(q.model()->quantizedWeights() != nullptr);
            QVERIFY(fp32.model()->quantizedWeights() == nullptr);
            QCOMPARE(summary.quantizedMatrices, int64_t(2 * 7 + 2)); // every projection, embeddings, lm_head
            QVERIFY(summary.keptFp32.empty());
            const double ratio = double(summary.quantizedBytes) / double(summary.fp32Bytes);
            QVERIFY2(ratio < (type == QuantType::Int8 ? 0.3 : 0.18), qPrintable(QString::number(ratio)));

            // The kernels' decode and the dequantised fp32 forward are one function.
            const auto [decode, forward] = decodeAndForward(q, tokens);
            QVERIFY2(torch::allclose(decode, forward, 1e-4, 1e-4),
                     qPrintable(QString::number((decode - forward).abs().max().item<float>())));
            // And close to the fp32 model: int8 much closer than int4.
            const float drift = (forward - fp32Forward).abs().max().item<float>();
            QVERIFY2(drift < (type == QuantType::Int8 ? 0.02f : 0.2f), qPrintable(QString::number(drift)));
            QVERIFY(drift > 0.0f);

            // decodeBatch (llmf serve) on two sequences at different positions equals decodeOne.
            torch::NoGradGuard noGrad;
            MiniLLM model = q.model();
            KVCache a = model->makeCache(1), b = model->makeCache(1);
            model->forward(torch::tensor({5, 77, 123}, torch::kInt64).view({1, -1}), a);
            model->forward(torch::tensor({9}, torch::kInt64).view({1, -1}), b);
            KVCache a2 = model->makeCache(1);
            model->forward(torch::tensor({5, 77, 123}, torch::kInt64).view({1, -1}), a2);
            const torch::Tensor batched = model->decodeBatch({42, 17}, {&a, &b});
            const torch::Tensor single = model->decodeOne(42, a2).view({-1});
            QVERIFY(torch::allclose(batched[0], single, 1e-4, 1e-4));
        }
    }

    void keepOutput_leavesEmbeddingsAndLmHeadInFp32()
    {
        QTemporaryDir tmp;
        const LoadedRun fp32 = loadRun(writeRun(tmp.filePath("run")).toStdString());
        QuantizeSummary summary;
        const LoadedRun q = quantizeLoadedRun(fp32, {QuantType::Int8, false}, &summary);
        QCOMPARE(summary.keptFp32.size(), size_t(2));
        QVERIFY(q.model()->quantizedWeights()->output == nullptr);
        QVERIFY(torch::equal(q.model()->lm_head->weight, fp32.model()->lm_head->weight));
        QVERIFY(!torch::equal(q.model()->layers[0]->named_parameters()["self_attn.q_proj.weight"],
                              fp32.model()->layers[0]->named_parameters()["self_attn.q_proj.weight"]));
    }

    void quantizeRunDirectory_roundTripsBitForBit_data()
    {
        QTest::addColumn<bool>("tied");
        QTest::addColumn<QString>("type");
        QTest::newRow("untied int8") << false << "int8";
        QTest::newRow("tied int4") << true << "int4";
    }
    void quantizeRunDirectory_roundTripsBitForBit()
    {
        QFETCH(bool, tied);
        QFETCH(QString, type);
        QTemporaryDir tmp;
        const QString runDir = writeRun(tmp.filePath("run"), tied), outDir = tmp.filePath("out");
        const QuantizeOptions options{parseQuantType(type.toStdString()), true};
        const QuantizeSummary summary = quantizeRunDirectory(runDir.toStdString(), outDir.toStdString(), options);
        QCOMPARE(QFileInfo(outDir + "/model.safetensors").size(), qint64(summary.quantizedBytes));

        const SafetensorsFile file = loadSafetensors((outDir + "/model.safetensors").toStdString());
        QCOMPARE(file.metadata.at("quantization"), type.toStdString());
        QCOMPARE(file.metadata.at("group_size"), std::string("32"));
        QCOMPARE(file.metadata.at("quantized_from"), runDir.toStdString());
        QCOMPARE(file.metadata.at("step"), std::string("12"));
        const torch::Tensor codes = file.tensors.at("model.layers.1.mlp.down_proj.qweight");
        QCOMPARE(codes.scalar_type(), type == "int8" ? torch::kInt8 : torch::kUInt8);
        QCOMPARE(codes.sizes().vec(), (std::vector<int64_t>{64, type == "int8" ? 192 : 96})); // 170 → 6 groups
        QCOMPARE(file.tensors.at("model.layers.1.mlp.down_proj.scales").sizes().vec(), (std::vector<int64_t>{64, 6}));
        QVERIFY(file.tensors.count("model.norm.weight"));
        QCOMPARE(file.tensors.count("lm_head.qweight"), size_t(tied ? 0 : 1));

        const LoadedRun loaded = loadRun(outDir.toStdString());
        const LoadedRun inMemory = quantizeLoadedRun(loadRun(runDir.toStdString()), options);
        QCOMPARE(loaded.step, int64_t(12));
        const auto loadedParameters = loaded.model()->namedParametersHF();
        const auto expectedParameters = inMemory.model()->namedParametersHF();
        QCOMPARE(loadedParameters.size(), expectedParameters.size());
        for (size_t i = 0; i < loadedParameters.size(); ++i) {
            QCOMPARE(loadedParameters[i].first, expectedParameters[i].first);
            QVERIFY2(torch::equal(loadedParameters[i].second, expectedParameters[i].second),
                     loadedParameters[i].first.c_str());
        }
        const auto a = loaded.model()->quantizedWeights(), b = inMemory.model()->quantizedWeights();
        QCOMPARE(a->layers.size(), b->layers.size());
        for (size_t l = 0; l < a->layers.size(); ++l)
            for (size_t p = 0; p < kProjectionCount; ++p) {
                QCOMPARE(a->layers[l][p]->codes(), b->layers[l][p]->codes());
                QCOMPARE(a->layers[l][p]->halfScales(), b->layers[l][p]->halfScales());
            }
        QCOMPARE(a->output->codes(), b->output->codes());
        const std::vector<int64_t> tokens = {1, 2, 3, 250};
        QVERIFY(torch::equal(decodeAndForward(loaded, tokens).first, decodeAndForward(inMemory, tokens).first));
    }

    void refusals_sayWhatToDo()
    {
        QTemporaryDir tmp;
        const QString runDir = writeRun(tmp.filePath("run")), outDir = tmp.filePath("out");
        QVERIFY(errorOf([&] {
                    quantizeRunDirectory(runDir.toStdString(), runDir.toStdString(), {});
                }).contains("is the run itself"));
        quantizeRunDirectory(runDir.toStdString(), outDir.toStdString(), {});
        QVERIFY(errorOf([&] {
                    quantizeRunDirectory(runDir.toStdString(), outDir.toStdString(), {});
                }).contains("already holds a model.safetensors"));
        const LoadedRun q = loadRun(outDir.toStdString());
        QVERIFY(errorOf([&] { quantizeLoadedRun(q, {}); }).contains("already quantised (int8)"));

        // Training a quantised model: refused before anything is allocated, with the way out.
        const QString training = errorOf([&] { requireFp32Weights(q.config); });
        QVERIFY2(training.contains("quantised (int8)") && training.contains("quantized_from"), qPrintable(training));
        QVERIFY(errorOf([&] { requireFp32Weights(smallConfig(false)); }).isEmpty());

        // config.yaml says int4 but the file holds int8 codes.
        Config wrong = q.config;
        wrong.model.quantization = "int4";
        saveConfig(wrong, (outDir + "/config.yaml").toStdString());
        const QString dtype = errorOf([&] { loadRun(outDir.toStdString()); });
        QVERIFY2(dtype.contains("qweight' is Char") && dtype.contains("int4 stores a 2-D U8"), qPrintable(dtype));

        // A scales tensor missing.
        SafetensorsFile file = loadSafetensors((outDir + "/model.safetensors").toStdString());
        file.tensors.erase("model.layers.0.mlp.up_proj.scales");
        NamedTensors tensors(file.tensors.begin(), file.tensors.end());
        saveSafetensors((outDir + "/model.safetensors").toStdString(), tensors, file.metadata);
        saveConfig(q.config, (outDir + "/config.yaml").toStdString());
        const QString missing = errorOf([&] { loadRun(outDir.toStdString()); });
        QVERIFY2(missing.contains("'model.layers.0.mlp.up_proj.qweight' has no 'model.layers.0.mlp.up_proj.scales'"),
                 qPrintable(missing));
    }
};

QTEST_GUILESS_MAIN(TestQuantization)
#include "tst_quantization.moc"
