#include "llmf/run/hfexport.h"

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/run/rundirectory.h"
#include "llmf/run/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace llmf {

namespace {

namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

// writeFileAtomically leaves "<name>.tmp-XXXXXX" behind when the process dies mid-write.
bool isExportFile(const std::string &name)
{
    for (const std::string &file : huggingFaceExportFiles()) {
        if (name == file)
            return true;
        if (name.size() == file.size() + 11 && name.compare(0, file.size() + 5, file + ".tmp-") == 0)
            return true;
    }
    return false;
}

bool isLlamaConfig(const fs::path &path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return false;
    const auto config = nlohmann::json::parse(readFile(path.string()), nullptr, /*allow_exceptions=*/false);
    if (!config.is_object() || !config.contains("architectures") || !config["architectures"].is_array())
        return false;
    const auto &archs = config["architectures"];
    return std::find(archs.begin(), archs.end(), "LlamaForCausalLM") != archs.end();
}

// Creates `dir`, or checks that whatever is in it may be overwritten.
void prepareFolder(const std::string &outDir)
{
    const std::string hint = "Choose a new or empty folder. An existing folder is only overwritten when it holds a "
                             "previous export and nothing else.";
    const fs::path dir(outDir);
    std::error_code ec;
    const auto status = fs::status(dir, ec);
    if (fs::exists(status) && !fs::is_directory(status))
        throw Error("Cannot export to '" + outDir + "': it is a file, not a folder.", hint);
    if (!fs::exists(status)) {
        fs::create_directories(dir, ec);
        if (ec)
            throw Error("Cannot create the export folder '" + outDir + "': " + ec.message() + ".",
                        "Check that the parent folder exists and is writable.");
        return;
    }
    std::vector<std::string> foreign;
    bool empty = true;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        empty = false;
        const std::string name = it->path().filename().string();
        if (!isExportFile(name) || !it->is_regular_file())
            foreign.push_back(name);
    }
    if (ec)
        throw Error("Cannot list the export folder '" + outDir + "': " + ec.message() + ".", hint);
    if (empty)
        return;
    if (!foreign.empty()) {
        std::sort(foreign.begin(), foreign.end());
        std::string list;
        for (size_t i = 0; i < foreign.size() && i < 3; ++i)
            list += (i ? ", '" : "'") + foreign[i] + "'";
        if (foreign.size() > 3)
            list += " and " + std::to_string(foreign.size() - 3) + " more";
        throw Error("Refusing to export into '" + outDir + "': the folder is not empty and holds files an export " +
                        "does not write (" + list + ").",
                    hint);
    }
    if (!isLlamaConfig(dir / "config.json"))
        throw Error("Refusing to export into '" + outDir + "': the folder is not empty and its config.json (if any) " +
                        "is not a Hugging Face Llama config, so it does not look like a previous export.",
                    hint);
}

std::string dump(const ordered_json &j)
{
    return j.dump(2) + "\n";
}

} // namespace

const std::vector<std::string> &huggingFaceExportFiles()
{
    static const std::vector<std::string> files = {"config.json",           "generation_config.json",
                                                   "model.safetensors",     "tokenizer.json",
                                                   "tokenizer_config.json", "special_tokens_map.json"};
    return files;
}

void exportHuggingFace(const MiniLLM &model, const Tokenizer &tokenizer, const std::string &outDir)
{
    const ModelConfig &c = model->config();
    // The embedding table must have a row for every token id the tokenizer can produce; extra rows are harmless
    // (vocab_size is often rounded up).
    if (tokenizer.vocabSize() > c.vocab_size)
        throw Error("Cannot export: the tokenizer has " + std::to_string(tokenizer.vocabSize()) +
                        " tokens but the model's vocab_size is " + std::to_string(c.vocab_size) + ".",
                    "Export the tokenizer.json the model was trained with (from the same run directory).");
    const int32_t eos = tokenizer.eosId(); // throws when there is no "<|endoftext|>"
    const auto pad = tokenizer.specialId(Tokenizer::kPad);
    const std::string eosText = tokenizer.tokenBytes(eos);
    const ordered_json padId = pad ? ordered_json(*pad) : ordered_json(nullptr);

    prepareFolder(outDir);
    const fs::path dir(outDir);

    // transformers' LlamaConfig field names; head_dim is explicit because newer versions read it.
    ordered_json config;
    config["architectures"] = ordered_json::array({"LlamaForCausalLM"});
    config["model_type"] = "llama";
    config["hidden_size"] = c.dim;
    config["intermediate_size"] = c.resolvedFfnHiddenDim();
    config["num_attention_heads"] = c.n_heads;
    config["num_hidden_layers"] = c.n_layers;
    config["num_key_value_heads"] = c.n_kv_heads;
    config["head_dim"] = c.headDim();
    config["max_position_embeddings"] = c.max_seq_len;
    config["rms_norm_eps"] = c.norm_eps;
    config["rope_theta"] = c.rope_theta;
    config["rope_scaling"] = nullptr;
    config["vocab_size"] = c.vocab_size;
    config["tie_word_embeddings"] = c.tie_embeddings;
    config["hidden_act"] = "silu";
    config["attention_bias"] = false;
    config["mlp_bias"] = false;
    config["attention_dropout"] = c.dropout;
    config["initializer_range"] = 0.02;
    config["bos_token_id"] = eos; // GPT-2 style: "<|endoftext|>" both starts and ends a document
    config["eos_token_id"] = eos;
    config["pad_token_id"] = padId;
    config["torch_dtype"] = "float32";
    config["use_cache"] = true;
    writeFileAtomically((dir / "config.json").string(), dump(config));

    ordered_json generation;
    generation["bos_token_id"] = eos;
    generation["eos_token_id"] = eos;
    generation["pad_token_id"] = padId;
    writeFileAtomically((dir / "generation_config.json").string(), dump(generation));

    // config.json promises float32, so weights trained or kept in another precision are widened here.
    NamedTensors tensors = modelTensorsForSaving(model);
    for (auto &entry : tensors)
        entry.second = entry.second.to(torch::kCPU, torch::kFloat32);
    saveSafetensors((dir / "model.safetensors").string(), tensors);

    tokenizer.save((dir / "tokenizer.json").string());

    ordered_json special;
    special["bos_token"] = eosText;
    special["eos_token"] = eosText;
    if (pad)
        special["pad_token"] = Tokenizer::kPad;
    ordered_json tokenizerConfig;
    tokenizerConfig["tokenizer_class"] = "PreTrainedTokenizerFast";
    tokenizerConfig.update(special);
    tokenizerConfig["model_max_length"] = c.max_seq_len;
    // Our decode() is exact byte concatenation; HF's clean-up would rewrite " ," to ",".
    tokenizerConfig["clean_up_tokenization_spaces"] = false;
    tokenizerConfig["add_bos_token"] = false; // training never prepended one
    tokenizerConfig["add_eos_token"] = false;
    writeFileAtomically((dir / "tokenizer_config.json").string(), dump(tokenizerConfig));
    writeFileAtomically((dir / "special_tokens_map.json").string(), dump(special));
}

void exportHuggingFace(const LoadedRun &run, const std::string &outDir)
{
    exportHuggingFace(run.model(), run.tokenizer, outDir);
}

} // namespace llmf
