#include "llmf/run/safetensors.h"

#include "llmf/common/error.h"

#include <algorithm>
#include <set>

// The bridge between a MiniLLM and a safetensors file: which tensor goes into which parameter, and the
// explanations a learner needs when a file does not fit the config (the file format itself: safetensors.cpp).

namespace llmf {

namespace {

// "model.layers.12.mlp.up_proj.weight" -> 12; -1 for a tensor outside the blocks.
int64_t layerIndex(const std::string &name)
{
    static const std::string prefix = "model.layers.";
    if (name.rfind(prefix, 0) != 0)
        return -1;
    int64_t index = 0;
    size_t i = prefix.size();
    for (; i < name.size() && i < prefix.size() + 9 && name[i] >= '0' && name[i] <= '9'; ++i)
        index = index * 10 + (name[i] - '0');
    return i > prefix.size() && i < name.size() && name[i] == '.' ? index : -1;
}

bool endsWith(const std::string &s, const std::string &suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Which config.yaml keys set each axis of a parameter. q_proj is (n_heads * head_dim, dim) = (dim, dim) because
// head_dim = dim / n_heads; k_proj and v_proj are (n_kv_heads * head_dim, dim).
std::vector<std::string> axisKeys(const std::string &name)
{
    const std::string heads = "n_kv_heads (or n_heads, which sets head_dim = dim / n_heads)";
    const std::string ffn = "ffn_hidden_dim (int(8 * dim / 3) when 0)";
    if (endsWith(name, "embed_tokens.weight") || endsWith(name, "lm_head.weight"))
        return {"vocab_size", "dim"};
    if (endsWith(name, "k_proj.weight") || endsWith(name, "v_proj.weight"))
        return {heads, "dim"};
    if (endsWith(name, "gate_proj.weight") || endsWith(name, "up_proj.weight"))
        return {ffn, "dim"};
    if (endsWith(name, "down_proj.weight"))
        return {"dim", ffn};
    if (endsWith(name, "_proj.weight"))
        return {"dim or n_heads", "dim or n_heads"};
    return {"dim"};
}

std::string likelyKeys(const std::string &name, torch::IntArrayRef saved, torch::IntArrayRef expected)
{
    const auto keys = axisKeys(name);
    if (saved.size() != expected.size() || saved.size() != keys.size())
        return "the file was not written for this kind of model";
    std::vector<std::string> differing;
    for (size_t i = 0; i < saved.size(); ++i)
        if (saved[i] != expected[i] && std::find(differing.begin(), differing.end(), keys[i]) == differing.end())
            differing.push_back(keys[i]);
    std::string text;
    for (size_t i = 0; i < differing.size(); ++i)
        text += (i ? " and " : "") + differing[i];
    return "config.yaml's " + text + " likely differs from the config these weights were trained with";
}

std::string moreText(size_t more)
{
    return more ? " (and " + std::to_string(more) + " more)" : "";
}

const std::string kConfigHint = "Load the weights with the config.yaml saved next to them (in the same run directory), "
                                "or train a new model with the changed config.";

} // namespace

NamedTensors modelTensorsForSaving(const MiniLLM &model)
{
    NamedTensors out;
    for (const auto &[name, parameter] : model->namedParametersHF())
        out.emplace_back(name, parameter.detach());
    return out;
}

void saveModelSafetensors(const MiniLLM &model, const std::string &path,
                          const std::map<std::string, std::string> &metadata)
{
    saveSafetensors(path, modelTensorsForSaving(model), metadata);
}

std::vector<std::string> loadIntoModel(MiniLLM &model, const SafetensorsFile &file, const std::string &path)
{
    const ModelConfig &config = model->config();
    const auto parameters = model->namedParametersHF();
    int64_t savedLayers = 0;
    for (const auto &entry : file.tensors)
        savedLayers = std::max(savedLayers, layerIndex(entry.first) + 1);

    std::set<std::string> expected;
    std::vector<std::string> missing;
    for (const auto &[name, parameter] : parameters) {
        expected.insert(name);
        if (!file.tensors.count(name))
            missing.push_back(name);
    }
    if (!missing.empty()) {
        const std::string &name = missing.front();
        std::string why;
        if (layerIndex(name) >= savedLayers && savedLayers > 0)
            why = ": the weights were saved for a model with fewer layers than config.yaml says (" +
                  std::to_string(savedLayers) + " in the file, n_layers: " + std::to_string(config.n_layers) + ")";
        else if (name == "lm_head.weight" && file.tensors.count("model.embed_tokens.weight"))
            why = ": the weights were saved with tie_embeddings: true but config.yaml says false";
        throw Error("'" + path + "' has no tensor '" + name + "'" + moreText(missing.size() - 1) + why + ".",
                    kConfigHint);
    }

    std::vector<std::string> unexpected;
    for (const auto &entry : file.tensors)
        if (!expected.count(entry.first))
            unexpected.push_back(entry.first);
    if (!unexpected.empty()) {
        std::string list;
        for (size_t i = 0; i < unexpected.size() && i < 5; ++i)
            list += (i ? ", '" : "'") + unexpected[i] + "'";
        std::string why;
        if (savedLayers > config.n_layers)
            why = ": the weights were saved for a model with more layers than config.yaml says (" +
                  std::to_string(savedLayers) + " in the file, n_layers: " + std::to_string(config.n_layers) + ")";
        else if (std::find(unexpected.begin(), unexpected.end(), "lm_head.weight") != unexpected.end())
            why = ": the weights were saved with tie_embeddings: false but config.yaml says true";
        throw Error("'" + path + "' has tensors the model has no parameter for: " + list +
                        moreText(unexpected.size() > 5 ? unexpected.size() - 5 : 0) + why + ".",
                    kConfigHint);
    }

    std::vector<std::string> mismatched;
    std::set<std::string> narrowDtypes;
    for (const auto &[name, parameter] : parameters) {
        const torch::Tensor &saved = file.tensors.at(name);
        if (saved.sizes() != parameter.sizes()) {
            if (mismatched.empty())
                mismatched.push_back("'" + path + "': tensor '" + name + "' has shape " + shapeText(saved.sizes()) +
                                     " but the model built from config.yaml expects " + shapeText(parameter.sizes()) +
                                     ": " + likelyKeys(name, saved.sizes(), parameter.sizes()));
            else
                mismatched.push_back(name);
            continue;
        }
        if (!saved.is_floating_point())
            throw Error("'" + path + "': tensor '" + name + "' is stored as " +
                            std::string(c10::toString(saved.scalar_type())) + ", which cannot be model weights.",
                        "The file was not written as a model checkpoint; choose the model.safetensors of a run.");
        if (saved.element_size() < parameter.element_size())
            narrowDtypes.insert(c10::toString(saved.scalar_type()));
    }
    if (!mismatched.empty())
        throw Error(mismatched.front() +
                        (mismatched.size() > 1
                             ? " (" + std::to_string(mismatched.size() - 1) + " more tensors have the wrong shape too)"
                             : std::string()) +
                        ".",
                    kConfigHint);

    {
        torch::NoGradGuard noGrad;
        for (const auto &[name, parameter] : parameters)
            parameter.copy_(file.tensors.at(name)); // converts dtype and moves to the parameter's device
    }
    std::vector<std::string> notes;
    for (const std::string &dtype : narrowDtypes)
        notes.push_back("'" + path + "' stores " + dtype + " weights; they were widened to the model's " +
                        std::string(c10::toString(parameters.front().second.scalar_type())) +
                        " (this does not restore the precision they lost).");
    return notes;
}

std::vector<std::string> loadModelSafetensors(MiniLLM &model, const std::string &path)
{
    return loadIntoModel(model, loadSafetensors(path), path);
}

} // namespace llmf
