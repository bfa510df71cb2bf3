#include <QtTest>

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/config/configio.h"
#include "llmf/model/minillm.h"
#include "llmf/quant/gguf.h"
#include "llmf/quant/ggufexport.h"
#include "llmf/quant/quantize.h"
#include "llmf/kernels/quantizedweights.h"
#include "llmf/tokenizer/bpetrainer.h"
#include "llmf/tokenizer/pretokenizer.h"
#include "llmf/run/rundirectory.h"
#include "llmf/run/safetensors.h"

#include <QTemporaryDir>

#include <cstring>
#include <functional>

using namespace llmf;

namespace {

QString errorOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

// A run with a real (if small) BPE tokenizer, so merges and byte-level token spellings are exercised.
LoadedRun makeRun(const QString &dir, bool tied)
{
    Config config;
    config.model.dim = 64;
    config.model.n_layers = 2;
    config.model.n_heads = 4;
    config.model.n_kv_heads = 2;
    config.model.vocab_size = 320; // more rows than tokens: the GGUF token list is padded
    config.model.max_seq_len = 32;
    config.model.tie_embeddings = tied;
    BpeTrainer trainer;
    trainer.addText("the cat sat on the mat. the dog sat on the log. the cat and the dog. 你好，世界。你好。");
    const Tokenizer tokenizer = trainer.train(270).tokenizer;
    RunDirectory run(dir.toStdString());
    run.create();
    saveConfig(config, run.configPath());
    tokenizer.save(run.tokenizerPath());
    torch::manual_seed(5);
    MiniLLM model(config.model);
    saveModelSafetensors(model, run.weightsPath(), {{"step", "3"}});
    return loadRun(dir.toStdString());
}

uint64_t u32(const GgufFile &f, const char *key)
{
    const GgufValue *v = f.find(key);
    return v && v->type == GgufValueType::UInt32 ? v->u : ~uint64_t(0);
}

torch::Tensor floatTensor(const GgufTensor &t)
{
    std::vector<int64_t> shape(t.dims.rbegin(), t.dims.rend()); // back to PyTorch's (out, in)
    torch::Tensor out = torch::empty(shape);
    std::memcpy(out.data_ptr<float>(), t.data.data(), t.data.size());
    return out;
}

// The GGUF's weights put back into one of our models: rows of attn_q / attn_k un-permuted.
MiniLLM modelFromGguf(const GgufFile &f, const ModelConfig &c)
{
    MiniLLM model(c);
    model->eval();
    torch::NoGradGuard noGrad;
    for (const auto &[hfName, parameter] : model->namedParametersHF()) {
        const GgufTensor *t = f.tensor(ggufTensorName(hfName));
        Q_ASSERT(t && t->type == GgmlType::F32);
        torch::Tensor w = floatTensor(*t);
        const bool q = hfName.find("q_proj") != std::string::npos, k = hfName.find("k_proj") != std::string::npos;
        if (q || k) {
            const auto order = ggmlRopeRowOrder(q ? c.n_heads : c.n_kv_heads, c.headDim());
            torch::Tensor back = torch::empty_like(w);
            for (size_t r = 0; r < order.size(); ++r)
                back[order[r]] = w[static_cast<int64_t>(r)];
            w = back;
        }
        parameter.copy_(w);
    }
    return model;
}

} // namespace

class TestGguf : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void f32Export_readsBackEveryKeyAndTensor_data()
    {
        QTest::addColumn<bool>("tied");
        QTest::newRow("untied") << false;
        QTest::newRow("tied") << true;
    }
    void f32Export_readsBackEveryKeyAndTensor()
    {
        QFETCH(bool, tied);
        QTemporaryDir tmp;
        const LoadedRun run = makeRun(tmp.filePath("run"), tied);
        const QString path = tmp.filePath("model.gguf");
        const GgufExportSummary summary = exportGguf(run, path.toStdString());
        QCOMPARE(summary.type, GgmlType::F32);
        QCOMPARE(QFileInfo(path).size(), qint64(summary.bytes));

        const std::string bytes = readFile(path.toStdString());
        QCOMPARE(bytes.substr(0, 4), std::string("GGUF"));
        const GgufFile f = parseGguf(bytes, "model.gguf");
        QCOMPARE(f.version, 3u);
        QCOMPARE(f.find("general.architecture")->s, std::string("llama"));
        QCOMPARE(u32(f, "general.file_type"), uint64_t(0));
        QCOMPARE(u32(f, "llama.context_length"), uint64_t(32));
        QCOMPARE(u32(f, "llama.embedding_length"), uint64_t(64));
        QCOMPARE(u32(f, "llama.block_count"), uint64_t(2));
        QCOMPARE(u32(f, "llama.feed_forward_length"), uint64_t(170));
        QCOMPARE(u32(f, "llama.attention.head_count"), uint64_t(4));
        QCOMPARE(u32(f, "llama.attention.head_count_kv"), uint64_t(2));
        QCOMPARE(u32(f, "llama.rope.dimension_count"), uint64_t(16));
        QCOMPARE(f.find("llama.rope.freq_base")->f, 10000.0);
        QCOMPARE(float(f.find("llama.attention.layer_norm_rms_epsilon")->f), 1e-6f);

        // Tokenizer: every token in GPT-2's byte-level spelling, specials CONTROL, padding rows UNUSED, merges.
        QCOMPARE(f.find("tokenizer.ggml.model")->s, std::string("gpt2"));
        QCOMPARE(f.find("tokenizer.ggml.pre")->s, std::string("gpt-2"));
        const auto &tokens = f.find("tokenizer.ggml.tokens")->elements;
        const auto &types = f.find("tokenizer.ggml.token_type")->elements;
        QCOMPARE(tokens.size(), size_t(320));
        QCOMPARE(types.size(), size_t(320));
        for (int32_t id = 0; id < run.tokenizer.vocabSize(); ++id) {
            const bool special = run.tokenizer.isSpecial(id);
            QCOMPARE(tokens[size_t(id)].s,
                     special ? run.tokenizer.tokenBytes(id) : toByteLevel(run.tokenizer.tokenBytes(id)));
            QCOMPARE(types[size_t(id)].i, int64_t(special ? 3 : 1));
        }
        QCOMPARE(tokens[65].s, std::string("A"));        // byte 0x41
        QCOMPARE(tokens[32].s, std::string("\xc4\xa0")); // byte 0x20, a space, is "Ġ" in the byte-level alphabet
        QCOMPARE(types[319].i, int64_t(5));
        const auto &merges = f.find("tokenizer.ggml.merges")->elements;
        QCOMPARE(merges.size(), run.tokenizer.merges().size());
        const Merge &first = run.tokenizer.merges().front();
        QCOMPARE(merges.front().s, toByteLevel(run.tokenizer.tokenBytes(first.left)) + " " +
                                       toByteLevel(run.tokenizer.tokenBytes(first.right)));
        QCOMPARE(u32(f, "tokenizer.ggml.eos_token_id"), uint64_t(run.tokenizer.eosId()));
        QCOMPARE(u32(f, "tokenizer.ggml.bos_token_id"), uint64_t(run.tokenizer.eosId()));

        // Tensors: GGML names, ne[0] = input width, aligned offsets in increasing order, bit-for-bit data.
        QCOMPARE(f.tensors.size(), size_t(2 * 9 + 2 + (tied ? 0 : 1)));
        QCOMPARE(f.tensor("output.weight") != nullptr, !tied);
        QCOMPARE(f.dataOffset % 32, uint64_t(0));
        uint64_t previousEnd = 0;
        for (const GgufTensor &t : f.tensors) {
            QCOMPARE(t.offset % 32, uint64_t(0));
            QVERIFY(t.offset >= previousEnd);
            previousEnd = t.offset + t.data.size();
        }
        QCOMPARE(f.tensor("blk.1.ffn_down.weight")->dims, (std::vector<uint64_t>{170, 64}));
        QCOMPARE(f.tensor("token_embd.weight")->dims, (std::vector<uint64_t>{64, 320}));
        QVERIFY(
            torch::equal(floatTensor(*f.tensor("blk.0.attn_v.weight")), run.model()->namedParametersHF().at(4).second));
        QCOMPARE(run.model()->namedParametersHF().at(4).first, std::string("model.layers.0.self_attn.v_proj.weight"));

        // Writing what we read gives the same bytes (ordering, padding and alignment per the spec).
        QCOMPARE(serializeGguf(f), bytes);

        // The permutation: our model on the un-permuted weights computes exactly what the run computes.
        MiniLLM back = modelFromGguf(f, run.config.model);
        torch::NoGradGuard noGrad;
        const torch::Tensor idx = torch::tensor({1, 40, 77, 200, 5, 9}, torch::kInt64).view({1, -1});
        MiniLLM original = run.model();
        QVERIFY(torch::equal(back->forward(idx), original->forward(idx)));
        // Without un-permuting, attention would see other rotations: the check above could fail.
        QVERIFY(!torch::equal(floatTensor(*f.tensor("blk.0.attn_q.weight")),
                              run.model()->namedParametersHF().at(1).second));
    }

    void ropeRowOrder_matchesLlamaCppsConverter()
    {
        // heads 1, head_dim 8: rows (0, 4), (1, 5), (2, 6), (3, 7) become adjacent pairs.
        QCOMPARE(ggmlRopeRowOrder(1, 8), (std::vector<int64_t>{0, 4, 1, 5, 2, 6, 3, 7}));
        QCOMPARE(ggmlRopeRowOrder(2, 4), (std::vector<int64_t>{0, 2, 1, 3, 4, 6, 5, 7}));
    }

    void q8Export_ofAnInt8Run_copiesItsBlocks()
    {
        QTemporaryDir tmp;
        const LoadedRun run = makeRun(tmp.filePath("run"), false);
        const LoadedRun int8 = quantizeLoadedRun(run, {QuantType::Int8, true});
        const QString path = tmp.filePath("q8.gguf");
        const GgufExportSummary summary = exportGguf(int8, path.toStdString());
        QCOMPARE(summary.type, GgmlType::Q8_0);
        QCOMPARE(summary.fallbacks.size(), size_t(2)); // ffn_down: 170 values per row
        const GgufFile f = readGguf(path.toStdString());
        QCOMPARE(u32(f, "general.file_type"), uint64_t(7));
        QCOMPARE(u32(f, "general.quantization_version"), uint64_t(2));
        QCOMPARE(f.tensor("blk.0.ffn_down.weight")->type, GgmlType::F32);
        QCOMPARE(f.tensor("blk.0.attn_norm.weight")->type, GgmlType::F32);
        const GgufTensor &v = *f.tensor("blk.0.attn_v.weight");
        QCOMPARE(v.type, GgmlType::Q8_0);
        QCOMPARE(v.data.size(), size_t(32 * 2 * 34)); // 32 rows × 2 blocks × (2 + 32) bytes
        const QuantizedMatrix *m = int8.model()->quantizedWeights()->find(0, ProjectionSlot::Value);
        uint16_t half = 0;
        std::memcpy(&half, v.data.data() + 34, 2); // row 0, block 1
        QCOMPARE(half, m->halfScales()[1]);
        QCOMPARE(std::memcmp(v.data.data() + 36, m->codes().data() + 32, 32), 0);

        // q4_0 from the fp32 run, f16 too: sizes per GGML's block formats.
        exportGguf(run, tmp.filePath("q4.gguf").toStdString(), "q4_0");
        const GgufFile q4 = readGguf(tmp.filePath("q4.gguf").toStdString());
        QCOMPARE(q4.tensor("blk.0.attn_q.weight")->data.size(), size_t(64 * 2 * 18));
        QCOMPARE(q4.tensor("blk.0.ffn_down.weight")->type, GgmlType::F16);
        QVERIFY(errorOf([&] {
                    exportGguf(run, tmp.filePath("x.gguf").toStdString(), "q5_k");
                }).contains("Unknown GGUF type 'q5_k'"));
    }

    void reader_refusesCorruptFiles()
    {
        QTemporaryDir tmp;
        const LoadedRun run = makeRun(tmp.filePath("run"), true);
        const QString path = tmp.filePath("m.gguf");
        exportGguf(run, path.toStdString());
        const std::string good = readFile(path.toStdString());
        QVERIFY(errorOf([&] { parseGguf("GGML", "x"); }).contains("does not start with \"GGUF\""));
        QVERIFY(errorOf([&] { parseGguf(good.substr(0, good.size() - 8), "x"); }).contains("ends past the end"));
        QVERIFY(errorOf([&] { parseGguf(good.substr(0, 200), "x"); }).contains("not a valid GGUF file"));
        std::string version = good;
        version[4] = 9;
        QVERIFY(errorOf([&] { parseGguf(version, "x"); }).contains("version 9"));
        std::string huge = good;
        const uint64_t lie = uint64_t(1) << 50;
        std::memcpy(&huge[16], &lie, 8); // metadata count
        QVERIFY(errorOf([&] { parseGguf(huge, "x"); }).contains("more than its size allows"));
    }
};

QTEST_GUILESS_MAIN(TestGguf)
#include "tst_gguf.moc"
