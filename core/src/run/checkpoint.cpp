#include "llmf/run/checkpoint.h"
#include "llmf/data/tokencache.h"

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/run/safetensors.h"

#include <nlohmann/json.hpp>

#include <cstdio>

#include <mutex>
#include <sstream>

namespace llmf {

namespace {

constexpr int kStateFormatVersion = 2;

// The global CPU generator drives dropout masks; at::Generator is a shared handle, so a copy sets the original.
torch::Tensor cpuRngState()
{
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    return generator.get_state();
}

void setCpuRngState(const torch::Tensor &state)
{
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(state);
}

} // namespace

std::string cpuRngStateHex()
{
    const torch::Tensor state = cpuRngState().contiguous();
    static const char digits[] = "0123456789abcdef";
    const auto *bytes = state.data_ptr<uint8_t>();
    std::string hex;
    hex.reserve(static_cast<size_t>(state.numel()) * 2);
    for (int64_t i = 0; i < state.numel(); ++i) {
        hex += digits[bytes[i] >> 4];
        hex += digits[bytes[i] & 15];
    }
    return hex;
}

void setCpuRngStateHex(const std::string &hex)
{
    const auto value = [&](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        throw Error("A saved random-number state in trainer_state.json is corrupt.");
    };
    if (hex.size() % 2 != 0 || hex.empty())
        throw Error("A saved random-number state in trainer_state.json is corrupt.");
    torch::Tensor state = torch::empty({static_cast<int64_t>(hex.size() / 2)}, torch::kUInt8);
    auto *bytes = state.data_ptr<uint8_t>();
    for (size_t i = 0; i < hex.size() / 2; ++i)
        bytes[i] = static_cast<uint8_t>(value(hex[2 * i]) << 4 | value(hex[2 * i + 1]));
    try {
        setCpuRngState(state);
    } catch (const c10::Error &) {
        throw Error("A saved random-number state in trainer_state.json is corrupt.");
    }
}

namespace {

torch::optim::AdamW &adamW(torch::optim::Optimizer &optimizer)
{
    auto *adam = dynamic_cast<torch::optim::AdamW *>(&optimizer);
    if (!adam)
        throw Error("Checkpoints hold AdamW state; this optimizer is another kind.");
    return *adam;
}

// How LibTorch's optimizers key their per-parameter state: the parameter's TensorImpl address as text.
std::string stateKey(const torch::Tensor &parameter)
{
    return c10::guts::to_string(parameter.unsafeGetTensorImpl());
}

// The optimizer's parameters in a fixed order (groups, then parameters): the index names their state.
std::vector<torch::Tensor> parametersInOrder(torch::optim::Optimizer &optimizer)
{
    std::vector<torch::Tensor> out;
    for (auto &group : optimizer.param_groups())
        for (auto &p : group.params())
            out.push_back(p);
    return out;
}

// AdamW's state as plain tensors, "state.<i>.exp_avg" / ".exp_avg_sq" / ".max_exp_avg_sq" (amsgrad) / ".step",
// plus LibTorch's CPU generator (dropout masks) as "llmf_cpu_rng". safetensors, not LibTorch's archive: that is a
// TorchScript module, and loading one compiles and may run code it carries (docs/reliability.md).
std::string serializeOptimizer(torch::optim::Optimizer &optimizer, int64_t step)
{
    auto &adam = adamW(optimizer);
    NamedTensors tensors;
    const auto params = parametersInOrder(adam);
    for (size_t i = 0; i < params.size(); ++i) {
        const auto found = adam.state().find(stateKey(params[i]));
        if (found == adam.state().end())
            continue; // no step taken with this parameter yet
        const auto &s = static_cast<const torch::optim::AdamWParamState &>(*found->second);
        const std::string prefix = "state." + std::to_string(i) + ".";
        tensors.emplace_back(prefix + "exp_avg", s.exp_avg().detach().cpu().contiguous());
        tensors.emplace_back(prefix + "exp_avg_sq", s.exp_avg_sq().detach().cpu().contiguous());
        if (s.max_exp_avg_sq().defined())
            tensors.emplace_back(prefix + "max_exp_avg_sq", s.max_exp_avg_sq().detach().cpu().contiguous());
        tensors.emplace_back(prefix + "step", torch::tensor(std::vector<int64_t>{s.step()}, torch::kInt64));
    }
    tensors.emplace_back("llmf_cpu_rng", cpuRngState().contiguous());
    return serializeSafetensors(
        tensors,
        {{"step", std::to_string(step)}, {"optimizer", "adamw"}, {"parameters", std::to_string(params.size())}});
}

void loadOptimizer(torch::optim::Optimizer &optimizer, const SafetensorsFile &file, const std::string &path)
{
    auto &adam = adamW(optimizer);
    const auto params = parametersInOrder(adam);
    const auto meta = file.metadata.find("parameters");
    if (meta == file.metadata.end() || meta->second != std::to_string(params.size()))
        throw Error("'" + path + "' holds the state of " + (meta == file.metadata.end() ? "?" : meta->second) +
                    " parameters but the model has " + std::to_string(params.size()) + ".");
    const auto tensor = [&](const std::string &name) -> const torch::Tensor * {
        const auto it = file.tensors.find(name);
        return it == file.tensors.end() ? nullptr : &it->second;
    };
    adam.state().clear();
    for (size_t i = 0; i < params.size(); ++i) {
        const std::string prefix = "state." + std::to_string(i) + ".";
        const torch::Tensor *avg = tensor(prefix + "exp_avg"), *sq = tensor(prefix + "exp_avg_sq");
        const torch::Tensor *step = tensor(prefix + "step"), *maxSq = tensor(prefix + "max_exp_avg_sq");
        if (!avg && !sq && !step)
            continue;
        const auto shapeOk = [&](const torch::Tensor *t) {
            return t && t->scalar_type() == params[i].scalar_type() && t->sizes() == params[i].sizes();
        };
        if (!shapeOk(avg) || !shapeOk(sq) || (maxSq && !shapeOk(maxSq)) || !step || step->numel() != 1 ||
            step->scalar_type() != torch::kInt64)
            throw Error("'" + path + "' is corrupt: the state of parameter " + std::to_string(i) +
                        " is missing a tensor or does not match the parameter's shape and type.");
        auto state = std::make_unique<torch::optim::AdamWParamState>();
        state->exp_avg(avg->to(params[i].device()));
        state->exp_avg_sq(sq->to(params[i].device()));
        if (maxSq)
            state->max_exp_avg_sq(maxSq->to(params[i].device()));
        state->step(step->item<int64_t>());
        adam.state()[stateKey(params[i])] = std::move(state);
    }
    const torch::Tensor *rng = tensor("llmf_cpu_rng");
    if (!rng || rng->scalar_type() != torch::kUInt8)
        throw Error("'" + path + "' is corrupt: it has no random-number state (llmf_cpu_rng).");
    try {
        setCpuRngState(*rng);
    } catch (const c10::Error &) {
        throw Error("'" + path + "' is corrupt: its random-number state (llmf_cpu_rng) is not one.");
    }
}

} // namespace

void saveCheckpoint(const RunDirectory &run, const MiniLLM &model, torch::optim::Optimizer &optimizer,
                    const TrainerState &state, const NamedTensors &extra)
{
    run.create();
    const std::string optimizerBytes = serializeOptimizer(optimizer, state.step);

    const nlohmann::json json{{"format", "llmf-trainer-state"},
                              {"version", kStateFormatVersion},
                              {"objective", state.objective},
                              {"step", state.step},
                              {"best_val_loss", std::isfinite(state.bestValLoss) ? nlohmann::json(state.bestValLoss)
                                                                                 : nlohmann::json(nullptr)},
                              {"tokens_seen", state.tokensSeen},
                              {"elapsed_seconds", state.elapsedSeconds},
                              {"loss_scale", state.lossScale},
                              {"world_size", state.worldSize},
                              {"sampler_rngs", state.samplerRngs},
                              {"rank_cpu_rngs", state.rankCpuRngs},
                              {"data_fingerprint", state.dataFingerprint}};

    // All three files reach the disk before any replaces its predecessor: a full disk or a crash while writing
    // leaves the previous checkpoint whole. The renames are journalled (checkpoint.commit): a process killed between
    // two of them leaves a commit the next training finishes (RunDirectory::recoverInterruptedSave()).
    std::vector<PendingWrite> pending;
    pending.emplace_back(run.weightsPath(),
                         serializeSafetensors(modelTensorsForSaving(model), {{"step", std::to_string(state.step)}}));
    pending.emplace_back(run.optimizerPath(), optimizerBytes);
    if (!extra.empty()) {
        NamedTensors detached;
        for (const auto &[name, tensor] : extra)
            detached.emplace_back(name, tensor.detach().cpu().contiguous());
        pending.emplace_back(run.objectiveStatePath(),
                             serializeSafetensors(detached, {{"step", std::to_string(state.step)}}));
    }
    pending.emplace_back(run.statePath(), json.dump(2) + "\n");
    commitTogether(pending, run.commitJournalPath());
    run.appendMetric(nlohmann::json{{"type", "checkpoint"}, {"step", state.step}}.dump());
}

std::string dataFingerprint(const std::vector<int32_t> &tokens)
{
    const uint64_t hash =
        contentHash(std::string_view(reinterpret_cast<const char *>(tokens.data()), tokens.size() * sizeof(int32_t)));
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

TrainerState parseTrainerState(const std::string &text, const std::string &statePath)
{
    TrainerState state;
    try {
        const auto json = nlohmann::json::parse(text);
        if (!json.is_object() || json.value("format", "") != "llmf-trainer-state")
            throw Error("'" + statePath + "' is not an LLM Foundry trainer state.");
        // Integers must be JSON integers: nlohmann converts a float such as 1e50 to int64 with undefined behaviour
        // (found by fuzzing, tests/fuzz/corpus/trainerstate/regression-float-step).
        for (const char *key : {"step", "tokens_seen", "world_size", "version"})
            if (json.contains(key) && !json.at(key).is_number_integer())
                throw Error("'" + statePath + "' is corrupt: \"" + key + "\" is not an integer.");
        if (json.value("version", 0) > kStateFormatVersion)
            throw Error("'" + statePath + "' was written by a newer LLM Foundry (format version " +
                            std::to_string(json.value("version", 0)) + "; this one reads up to " +
                            std::to_string(kStateFormatVersion) + ").",
                        "Open it with the LLM Foundry version that wrote it, or update this one.");
        if (json.contains("objective") && !json.at("objective").is_string())
            throw Error("'" + statePath + "' is corrupt: \"objective\" is not a string.");
        state.objective = json.value("objective", std::string("pretraining"));
        state.step = json.at("step").get<int64_t>();
        state.bestValLoss = json.at("best_val_loss").is_null() ? std::numeric_limits<double>::infinity()
                                                               : json.at("best_val_loss").get<double>();
        state.tokensSeen = json.at("tokens_seen").get<int64_t>();
        state.elapsedSeconds = json.at("elapsed_seconds").get<double>();
        state.lossScale = json.value("loss_scale", 1.0);
        if (json.contains("sampler_rngs"))
            state.samplerRngs = json.at("sampler_rngs").get<std::vector<std::string>>();
        else
            state.samplerRngs = {json.at("sampler_rng").get<std::string>()}; // version 1: one stream
        state.worldSize = json.value("world_size", 1);
        state.rankCpuRngs = json.value("rank_cpu_rngs", std::vector<std::string>{});
        state.dataFingerprint = json.value("data_fingerprint", std::string());
        if (state.step < 0 || state.worldSize < 1 || state.samplerRngs.empty() ||
            state.rankCpuRngs.size() != static_cast<size_t>(state.worldSize - 1))
            throw Error("'" + statePath + "' is corrupt: step " + std::to_string(state.step) + ", world_size " +
                        std::to_string(state.worldSize) + " with " + std::to_string(state.samplerRngs.size()) +
                        " sampler states and " + std::to_string(state.rankCpuRngs.size()) + " rank RNG states.");
    } catch (const nlohmann::json::exception &e) {
        throw Error("'" + statePath + "' is corrupt: " + e.what());
    }
    return state;
}

TrainerState loadCheckpoint(const RunDirectory &run, MiniLLM &model, torch::optim::Optimizer &optimizer,
                            const NamedTensors &extra)
{
    const std::string statePath = run.statePath();
    TrainerState state = parseTrainerState(readFile(statePath), statePath);

    const SafetensorsFile weights = loadSafetensors(run.weightsPath());
    const auto stepIt = weights.metadata.find("step");
    if (stepIt == weights.metadata.end() || stepIt->second != std::to_string(state.step))
        throw Error("The checkpoint in '" + run.path() + "' is inconsistent: model.safetensors is from step " +
                        (stepIt == weights.metadata.end() ? std::string("?") : stepIt->second) +
                        " but trainer_state.json says " + std::to_string(state.step) + ".",
                    "A save was interrupted. Start a new run, or restore the files from a backup.");
    loadIntoModel(model, weights, run.weightsPath());

    const SafetensorsFile optimizerState = loadSafetensors(run.optimizerPath());
    const auto optimizerStep = optimizerState.metadata.find("step");
    if (optimizerStep == optimizerState.metadata.end() || optimizerStep->second != std::to_string(state.step))
        throw Error("The checkpoint in '" + run.path() + "' is inconsistent: optimizer.safetensors is from step " +
                    (optimizerStep == optimizerState.metadata.end() ? std::string("?") : optimizerStep->second) +
                    " but trainer_state.json says " + std::to_string(state.step) + ".");
    loadOptimizer(optimizer, optimizerState, run.optimizerPath());
    if (!extra.empty()) {
        const std::string path = run.objectiveStatePath();
        const SafetensorsFile saved = loadSafetensors(path);
        const auto savedStep = saved.metadata.find("step");
        if (savedStep == saved.metadata.end() || savedStep->second != std::to_string(state.step))
            throw Error("The checkpoint in '" + run.path() + "' is inconsistent: objective.safetensors is from step " +
                        (savedStep == saved.metadata.end() ? std::string("?") : savedStep->second) +
                        " but trainer_state.json says " + std::to_string(state.step) + ".");
        torch::NoGradGuard noGrad;
        for (const auto &[name, tensor] : extra) {
            const auto it = saved.tensors.find(name);
            if (it == saved.tensors.end() || it->second.sizes() != tensor.sizes() ||
                it->second.scalar_type() != tensor.scalar_type())
                throw Error("'" + path + "' has no tensor '" + name + "' of the objective's shape and type.");
            tensor.copy_(it->second);
        }
    }
    return state;
}

std::string stepMetricJson(const StepMetrics &m)
{
    nlohmann::json line{{"type", "step"},
                        {"step", m.step},
                        {"loss", m.loss},
                        {"lr", m.learningRate},
                        {"grad_norm", m.gradNorm},
                        {"tokens_per_s", m.tokensPerSecond},
                        {"elapsed_s", m.elapsedSeconds}};
    for (const auto &[name, value] : m.objectiveMetrics)
        line[name] = value;
    if (m.threads > 0)
        line["threads"] = m.threads; // what the adaptive thread count chose for this step
    if (m.worldSize > 1) {
        line["world_size"] = m.worldSize;
        line["rank_tokens_per_s"] = m.rankTokensPerSecond;
        line["allreduce_s"] = m.allReduceSeconds;
        line["step_s"] = m.stepSeconds;
    }
    return line.dump();
}

std::string evalMetricJson(const EvalMetrics &m)
{
    return nlohmann::json{{"type", "eval"}, {"step", m.step}, {"train_loss", m.trainLoss}, {"val_loss", m.valLoss}}
        .dump();
}

} // namespace llmf
