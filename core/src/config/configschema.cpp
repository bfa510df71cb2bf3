#include "llmf/config/configschema.h"

#include "llmf/common/error.h"

#include <algorithm>
#include <functional>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace llmf {

namespace {

struct Binding
{
    std::function<FieldValue(const Config &)> get;
    std::function<void(Config &, const FieldValue &)> set;
};

std::string typeName(FieldType type)
{
    switch (type) {
    case FieldType::Int:
        return "an integer";
    case FieldType::Float:
        return "a number";
    case FieldType::Bool:
        return "true or false";
    case FieldType::String:
        return "a string";
    case FieldType::OptionalInt:
        return "an integer or null";
    case FieldType::OptionalFloat:
        return "a number or null";
    }
    return "a value";
}

[[noreturn]] void wrongType(const FieldSpec &spec, const FieldValue &value)
{
    throw Error("'" + spec.path() + "' must be " + typeName(spec.type) + ", not '" + formatFieldValue(value) + "'.");
}

int64_t asInt(const FieldSpec &spec, const FieldValue &value)
{
    if (const auto *i = std::get_if<int64_t>(&value))
        return *i;
    wrongType(spec, value);
}

double asFloat(const FieldSpec &spec, const FieldValue &value)
{
    if (const auto *d = std::get_if<double>(&value))
        return *d;
    if (const auto *i = std::get_if<int64_t>(&value))
        return static_cast<double>(*i);
    wrongType(spec, value);
}

// Section accessors, so one template serves all four sections.
template <class S> S &sectionOf(Config &c);
template <class S> const S &sectionOf(const Config &c);
template <> ModelConfig &sectionOf(Config &c)
{
    return c.model;
}
template <> const ModelConfig &sectionOf(const Config &c)
{
    return c.model;
}
template <> TrainConfig &sectionOf(Config &c)
{
    return c.training;
}
template <> const TrainConfig &sectionOf(const Config &c)
{
    return c.training;
}
template <> DataConfig &sectionOf(Config &c)
{
    return c.data;
}
template <> const DataConfig &sectionOf(const Config &c)
{
    return c.data;
}
template <> GenerationConfig &sectionOf(Config &c)
{
    return c.generation;
}
template <> const GenerationConfig &sectionOf(const Config &c)
{
    return c.generation;
}

template <class S> Binding makeBinding(int64_t S::*m, const FieldSpec &spec)
{
    return {[m](const Config &c) { return FieldValue(sectionOf<S>(c).*m); },
            [m, spec](Config &c, const FieldValue &v) { sectionOf<S>(c).*m = asInt(spec, v); }};
}
template <class S> Binding makeBinding(double S::*m, const FieldSpec &spec)
{
    return {[m](const Config &c) { return FieldValue(sectionOf<S>(c).*m); },
            [m, spec](Config &c, const FieldValue &v) { sectionOf<S>(c).*m = asFloat(spec, v); }};
}
template <class S> Binding makeBinding(bool S::*m, const FieldSpec &spec)
{
    return {[m](const Config &c) { return FieldValue(sectionOf<S>(c).*m); },
            [m, spec](Config &c, const FieldValue &v) {
                if (const auto *b = std::get_if<bool>(&v))
                    sectionOf<S>(c).*m = *b;
                else
                    wrongType(spec, v);
            }};
}
template <class S> Binding makeBinding(std::string S::*m, const FieldSpec &spec)
{
    return {[m](const Config &c) { return FieldValue(sectionOf<S>(c).*m); },
            [m, spec](Config &c, const FieldValue &v) {
                if (const auto *s = std::get_if<std::string>(&v))
                    sectionOf<S>(c).*m = *s;
                else if (std::holds_alternative<std::monostate>(v))
                    (sectionOf<S>(c).*m).clear();
                else
                    wrongType(spec, v);
            }};
}
template <class S> Binding makeBinding(std::optional<int64_t> S::*m, const FieldSpec &spec)
{
    return {[m](const Config &c) {
                const auto &o = sectionOf<S>(c).*m;
                return o ? FieldValue(*o) : FieldValue(std::monostate{});
            },
            [m, spec](Config &c, const FieldValue &v) {
                if (std::holds_alternative<std::monostate>(v))
                    (sectionOf<S>(c).*m).reset();
                else
                    sectionOf<S>(c).*m = asInt(spec, v);
            }};
}
template <class S> Binding makeBinding(std::optional<double> S::*m, const FieldSpec &spec)
{
    return {[m](const Config &c) {
                const auto &o = sectionOf<S>(c).*m;
                return o ? FieldValue(*o) : FieldValue(std::monostate{});
            },
            [m, spec](Config &c, const FieldValue &v) {
                if (std::holds_alternative<std::monostate>(v))
                    (sectionOf<S>(c).*m).reset();
                else
                    sectionOf<S>(c).*m = asFloat(spec, v);
            }};
}

struct Registry
{
    std::vector<FieldSpec> specs;
    std::vector<Binding> bindings;

    template <class S, class M>
    void add(const char *section, const char *key, M S::*member, FieldType type, const char *description,
             std::optional<double> minimum = std::nullopt, std::optional<double> maximum = std::nullopt,
             std::vector<std::string> choices = {})
    {
        FieldSpec spec{section, key, type, description, minimum, maximum, std::move(choices)};
        bindings.push_back(makeBinding<S>(member, spec));
        specs.push_back(std::move(spec));
    }
};

const Registry &registry()
{
    static const Registry r = [] {
        using T = FieldType;
        Registry g;
        constexpr double big = 1e12;
        g.add("model", "dim", &ModelConfig::dim, T::Int, "Width of the residual stream", 1, big);
        g.add("model", "n_layers", &ModelConfig::n_layers, T::Int, "Number of Transformer blocks", 1, 1024);
        g.add("model", "n_heads", &ModelConfig::n_heads, T::Int, "Query heads; head_dim = dim / n_heads", 1, 1024);
        g.add("model", "n_kv_heads", &ModelConfig::n_kv_heads, T::Int,
              "Key/value heads (GQA): n_heads must be a multiple", 1, 1024);
        g.add("model", "vocab_size", &ModelConfig::vocab_size, T::Int, "Tokenizer vocabulary size", 258, 1 << 22);
        g.add("model", "max_seq_len", &ModelConfig::max_seq_len, T::Int, "Context length in tokens", 1, 1 << 20);
        g.add("model", "dropout", &ModelConfig::dropout, T::Float, "Dropout probability while training", 0, 0.99);
        g.add("model", "ffn_hidden_dim", &ModelConfig::ffn_hidden_dim, T::Int, "SwiGLU hidden width; 0 = int(8*dim/3)",
              0, big);
        g.add("model", "norm_eps", &ModelConfig::norm_eps, T::Float, "RMSNorm epsilon", 0, 1);
        g.add("model", "rope_theta", &ModelConfig::rope_theta, T::Float, "RoPE base frequency", 1, 1e9);
        g.add("model", "tie_embeddings", &ModelConfig::tie_embeddings, T::Bool,
              "Share the input embedding with the output layer");
        g.add("model", "quantization", &ModelConfig::quantization, T::String,
              "Weights stored as int8/int4 (llmf quantize); none to train", std::nullopt, std::nullopt,
              {"none", "int8", "int4"});

        g.add("training", "batch_size", &TrainConfig::batch_size, T::Int, "Sequences per micro-batch", 1, 1 << 16);
        g.add("training", "learning_rate", &TrainConfig::learning_rate, T::Float, "Peak learning rate", 0, 1);
        g.add("training", "max_iters", &TrainConfig::max_iters, T::Int, "Optimiser steps", 1, big);
        g.add("training", "eval_interval", &TrainConfig::eval_interval, T::Int, "Evaluate every N steps", 1, big);
        g.add("training", "eval_iters", &TrainConfig::eval_iters, T::Int, "Batches per evaluation", 1, 1 << 20);
        g.add("training", "device", &TrainConfig::device, T::String, "auto, cpu, cuda or cuda:N");
        g.add("training", "warmup_iters", &TrainConfig::warmup_iters, T::Int, "Linear warmup steps", 0, big);
        g.add("training", "min_lr", &TrainConfig::min_lr, T::Float, "Learning rate at the end of the cosine", 0, 1);
        g.add("training", "weight_decay", &TrainConfig::weight_decay, T::Float, "AdamW weight decay", 0, 10);
        g.add("training", "beta1", &TrainConfig::beta1, T::Float, "AdamW beta1", 0, 0.999999);
        g.add("training", "beta2", &TrainConfig::beta2, T::Float, "AdamW beta2", 0, 0.999999);
        g.add("training", "grad_clip", &TrainConfig::grad_clip, T::Float, "Max gradient norm; 0 = off", 0, 1e6);
        g.add("training", "grad_accum_steps", &TrainConfig::grad_accum_steps, T::Int,
              "Micro-batches per optimiser step", 1, 4096);
        g.add("training", "dtype", &TrainConfig::dtype, T::String, "Compute precision", std::nullopt, std::nullopt,
              {"float32", "bfloat16", "float16"});
        g.add("training", "seed", &TrainConfig::seed, T::Int, "Random seed", 0, 9.0e18);
        g.add("training", "log_interval", &TrainConfig::log_interval, T::Int, "Report every N steps", 1, big);
        g.add("training", "checkpoint_interval", &TrainConfig::checkpoint_interval, T::Int,
              "Save every N steps; 0 = at the end only", 0, big);
        g.add("training", "seq_len", &TrainConfig::seq_len, T::Int, "Training window; 0 = max_seq_len", 0, 1 << 20);
        g.add("training", "keep_checkpoints", &TrainConfig::keep_checkpoints, T::Int,
              "Weight snapshots kept for the Inspector (step 0 and the latest); 0 = none", 0, 10000);

        g.add("data", "file_path", &DataConfig::file_path, T::String, "A .txt file or folder; empty = corpus");
        g.add("data", "corpus", &DataConfig::corpus, T::String, "Built-in corpus when file_path is empty", std::nullopt,
              std::nullopt, {"default", "janeausten", "fortunes-zh", "fallback"});
        g.add("data", "split_ratio", &DataConfig::split_ratio, T::Float, "Training fraction of the tokens", 0, 1);
        g.add("data", "tokenizer_path", &DataConfig::tokenizer_path, T::String,
              "Reuse this tokenizer.json; empty = train one");

        g.add("generation", "temperature", &GenerationConfig::temperature, T::Float, "0 = greedy", 0, 100);
        g.add("generation", "top_k", &GenerationConfig::top_k, T::OptionalInt, "Keep the k best tokens; null = off", 1,
              1 << 22);
        g.add("generation", "top_p", &GenerationConfig::top_p, T::OptionalFloat,
              "Keep the smallest set with mass >= p; null = off", 0, 1);
        g.add("generation", "max_new_tokens", &GenerationConfig::max_new_tokens, T::Int, "Tokens to generate", 1,
              1 << 20);
        g.add("generation", "repetition_penalty", &GenerationConfig::repetition_penalty, T::Float,
              "> 1 discourages repeats; 1 = off", 0, 100);
        g.add("generation", "seed", &GenerationConfig::seed, T::Int, "Sampling seed", 0, 9.0e18);
        g.add("generation", "use_kv_cache", &GenerationConfig::use_kv_cache, T::Bool, "Reuse keys/values");
        return g;
    }();
    return r;
}

size_t indexOf(const FieldSpec &field)
{
    const auto &specs = registry().specs;
    for (size_t i = 0; i < specs.size(); ++i)
        if (specs[i].section == field.section && specs[i].key == field.key)
            return i;
    throw Error("Unknown configuration key '" + field.path() + "'.");
}

size_t editDistance(const std::string &a, const std::string &b)
{
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

} // namespace

const std::vector<FieldSpec> &configFields()
{
    return registry().specs;
}

const std::vector<std::string> &configSections()
{
    static const std::vector<std::string> sections{"model", "training", "data", "generation"};
    return sections;
}

const FieldSpec *findField(const std::string &section, const std::string &key)
{
    for (const auto &spec : registry().specs)
        if (spec.section == section && spec.key == key)
            return &spec;
    return nullptr;
}

FieldValue getField(const Config &config, const FieldSpec &field)
{
    return registry().bindings[indexOf(field)].get(config);
}

void setField(Config &config, const FieldSpec &field, const FieldValue &value)
{
    registry().bindings[indexOf(field)].set(config, value);
}

std::string formatFieldValue(const FieldValue &value)
{
    struct Visitor
    {
        std::string operator()(std::monostate) const { return "null"; }
        std::string operator()(int64_t v) const { return std::to_string(v); }
        std::string operator()(bool v) const { return v ? "true" : "false"; }
        std::string operator()(const std::string &v) const { return v; }
        std::string operator()(double v) const
        {
            // Shortest form that reads back exactly, and always looks like a float ("1.0", "0.0003").
            std::ostringstream out;
            out.precision(std::numeric_limits<double>::max_digits10);
            for (int precision = 1; precision <= 17; ++precision) {
                std::ostringstream attempt;
                attempt.precision(precision);
                attempt << v;
                // strtod, not stod: stod throws out_of_range for a subnormal such as 1e-316 (found by fuzzing).
                if (std::strtod(attempt.str().c_str(), nullptr) == v) {
                    std::string s = attempt.str();
                    if (s.find_first_of(".eEn") == std::string::npos)
                        s += ".0";
                    return s;
                }
            }
            out << v;
            return out.str();
        }
    };
    return std::visit(Visitor{}, value);
}

std::string nearestName(const std::string &name, const std::vector<std::string> &candidates)
{
    std::string best;
    size_t bestDistance = std::numeric_limits<size_t>::max();
    for (const auto &candidate : candidates) {
        const size_t d = editDistance(name, candidate);
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    // Beyond about a third of the word the "suggestion" is noise, not a typo fix.
    const size_t limit = std::max<size_t>(2, name.size() / 3 + 1);
    return bestDistance <= limit ? best : std::string();
}

} // namespace llmf
