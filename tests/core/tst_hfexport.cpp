#include <QtTest>

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/model/minillm.h"
#include "llmf/run/hfexport.h"
#include "llmf/run/safetensors.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QTemporaryDir>

#include <functional>

using namespace llmf;
using json = nlohmann::json;

namespace {

ModelConfig tinyConfig(bool tied = false)
{
    ModelConfig c;
    c.dim = 32;
    c.n_layers = 2;
    c.n_heads = 4;
    c.n_kv_heads = 2;
    c.vocab_size = 300;
    c.max_seq_len = 16;
    c.tie_embeddings = tied;
    return c;
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

json readJson(const QString &path)
{
    return json::parse(readFile(path.toStdString()));
}

torch::Tensor logitsOf(MiniLLM &model)
{
    torch::NoGradGuard noGrad;
    return model->forward(torch::arange(10, torch::kInt64).view({1, 10}) * 11 % 300);
}

} // namespace

class TestHfExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void export_untiedModel_writesLlamaFolder()
    {
        QTemporaryDir tmp;
        const QString out = tmp.filePath("export/nested"); // parents are created
        torch::manual_seed(3);
        MiniLLM model(tinyConfig());
        const Tokenizer tokenizer;
        exportHuggingFace(model, tokenizer, out.toStdString());

        for (const std::string &file : huggingFaceExportFiles())
            QVERIFY2(QFile::exists(out + "/" + QString::fromStdString(file)), file.c_str());
        QCOMPARE(QDir(out).entryList(QDir::Files).size(), int(huggingFaceExportFiles().size())); // no temp files

        const json config = readJson(out + "/config.json");
        QCOMPARE(config["architectures"], json::array({"LlamaForCausalLM"}));
        QCOMPARE(config["model_type"].get<std::string>(), std::string("llama"));
        QCOMPARE(config["hidden_size"].get<int>(), 32);
        QCOMPARE(config["intermediate_size"].get<int>(), 85); // int(8 * 32 / 3)
        QCOMPARE(config["num_attention_heads"].get<int>(), 4);
        QCOMPARE(config["num_hidden_layers"].get<int>(), 2);
        QCOMPARE(config["num_key_value_heads"].get<int>(), 2);
        QCOMPARE(config["head_dim"].get<int>(), 8);
        QCOMPARE(config["max_position_embeddings"].get<int>(), 16);
        QCOMPARE(config["vocab_size"].get<int>(), 300);
        QCOMPARE(config["rope_theta"].get<double>(), 10000.0);
        QCOMPARE(config["rms_norm_eps"].get<double>(), 1e-6);
        QCOMPARE(config["tie_word_embeddings"].get<bool>(), false);
        QCOMPARE(config["hidden_act"].get<std::string>(), std::string("silu"));
        QCOMPARE(config["attention_bias"].get<bool>(), false);
        QCOMPARE(config["mlp_bias"].get<bool>(), false);
        QCOMPARE(config["torch_dtype"].get<std::string>(), std::string("float32"));
        QCOMPARE(config["bos_token_id"].get<int>(), tokenizer.eosId());
        QCOMPARE(config["eos_token_id"].get<int>(), tokenizer.eosId());
        QCOMPARE(config["pad_token_id"].get<int>(), tokenizer.padId());

        const json generation = readJson(out + "/generation_config.json");
        QCOMPARE(generation["eos_token_id"].get<int>(), tokenizer.eosId());
        QCOMPARE(generation["bos_token_id"].get<int>(), tokenizer.eosId());

        const json tokenizerConfig = readJson(out + "/tokenizer_config.json");
        QCOMPARE(tokenizerConfig["tokenizer_class"].get<std::string>(), std::string("PreTrainedTokenizerFast"));
        QCOMPARE(tokenizerConfig["bos_token"].get<std::string>(), std::string("<|endoftext|>"));
        QCOMPARE(tokenizerConfig["eos_token"].get<std::string>(), std::string("<|endoftext|>"));
        QCOMPARE(tokenizerConfig["pad_token"].get<std::string>(), std::string("<|pad|>"));
        QCOMPARE(tokenizerConfig["model_max_length"].get<int>(), 16);
        QCOMPARE(tokenizerConfig["clean_up_tokenization_spaces"].get<bool>(), false);
        QCOMPARE(tokenizerConfig["add_bos_token"].get<bool>(), false);

        const Tokenizer loaded = Tokenizer::load((out + "/tokenizer.json").toStdString());
        QCOMPARE(loaded.vocabSize(), tokenizer.vocabSize());
        QCOMPARE(loaded.eosId(), tokenizer.eosId());

        // The weights load back with our loader and reproduce the model.
        const SafetensorsFile weights = loadSafetensors((out + "/model.safetensors").toStdString());
        QVERIFY(weights.tensors.count("lm_head.weight"));
        QVERIFY(weights.tensors.count("model.layers.1.mlp.down_proj.weight"));
        QCOMPARE(weights.metadata.at("format"), std::string("pt"));
        torch::manual_seed(4);
        MiniLLM copy(tinyConfig());
        loadIntoModel(copy, weights, "model.safetensors");
        QVERIFY(torch::equal(logitsOf(model), logitsOf(copy)));
    }

    void export_tiedModel_hasNoLmHead()
    {
        QTemporaryDir tmp;
        MiniLLM model(tinyConfig(/*tied=*/true));
        exportHuggingFace(model, Tokenizer(), tmp.path().toStdString()); // an existing empty folder is fine
        const json config = readJson(tmp.filePath("config.json"));
        QCOMPARE(config["tie_word_embeddings"].get<bool>(), true);
        const SafetensorsFile weights = loadSafetensors(tmp.filePath("model.safetensors").toStdString());
        QVERIFY(!weights.tensors.count("lm_head.weight"));
        QVERIFY(weights.tensors.count("model.embed_tokens.weight"));
    }

    void export_intoPreviousExport_overwrites()
    {
        QTemporaryDir tmp;
        const std::string out = tmp.path().toStdString();
        MiniLLM model(tinyConfig());
        exportHuggingFace(model, Tokenizer(), out);
        // A leftover of an interrupted atomic write is still "ours".
        writeFileAtomically(out + "/model.safetensors.tmp-a1B2c3", "partial");
        auto other = tinyConfig();
        other.n_kv_heads = 4;
        MiniLLM model2(other);
        exportHuggingFace(model2, Tokenizer(), out);
        QCOMPARE(readJson(tmp.filePath("config.json"))["num_key_value_heads"].get<int>(), 4);
    }

    void export_intoUnrelatedFolder_isRefused()
    {
        QTemporaryDir tmp;
        const std::string out = tmp.path().toStdString();
        writeFileAtomically(out + "/thesis.tex", "precious");
        MiniLLM model(tinyConfig());
        QString e = errorOf([&] { exportHuggingFace(model, Tokenizer(), out); });
        QVERIFY2(e.contains("Refusing to export") && e.contains("thesis.tex"), qPrintable(e));
        QCOMPARE(QDir(tmp.path()).entryList(QDir::Files), QStringList{"thesis.tex"});

        // Only export file names, but not our config: someone else's model.
        QTemporaryDir other;
        writeFileAtomically(other.filePath("config.json").toStdString(), R"({"architectures": ["GPT2LMHeadModel"]})");
        e = errorOf([&] { exportHuggingFace(model, Tokenizer(), other.path().toStdString()); });
        QVERIFY2(e.contains("does not look like a previous export"), qPrintable(e));

        // A subfolder is never ours either, and a file is not a folder.
        QTemporaryDir nested;
        QVERIFY(QDir(nested.path()).mkdir("config.json"));
        QVERIFY(errorOf([&] {
                    exportHuggingFace(model, Tokenizer(), nested.path().toStdString());
                }).contains("Refusing to export"));
        e = errorOf([&] { exportHuggingFace(model, Tokenizer(), out + "/thesis.tex"); });
        QVERIFY2(e.contains("is a file, not a folder"), qPrintable(e));
    }

    void export_tokenizerLargerThanModel_isRefused()
    {
        QTemporaryDir tmp;
        auto c = tinyConfig();
        c.vocab_size = 256; // the default tokenizer has 258 tokens
        MiniLLM model(c);
        const QString e = errorOf([&] { exportHuggingFace(model, Tokenizer(), tmp.filePath("out").toStdString()); });
        QVERIFY2(e.contains("258 tokens") && e.contains("vocab_size is 256"), qPrintable(e));
        QVERIFY(!QFile::exists(tmp.filePath("out")));
    }
};

QTEST_GUILESS_MAIN(TestHfExport)
#include "tst_hfexport.moc"
