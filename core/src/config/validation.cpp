#include "llmf/config/validation.h"

#include "llmf/common/error.h"
#include "llmf/config/configschema.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <regex>

namespace llmf {

namespace {

std::string num(double v)
{
    return formatFieldValue(v);
}
std::string num(int64_t v)
{
    return std::to_string(v);
}

bool isValidDevice(const std::string &device)
{
    static const std::regex pattern("auto|cpu|cuda(:[0-9]+)?");
    return std::regex_match(device, pattern);
}

// Ranges from the schema; they give the generic "must be between" sentences.
void checkRanges(const Config &config, std::vector<ValidationIssue> &issues)
{
    for (const auto &spec : configFields()) {
        const FieldValue value = getField(config, spec);
        double v = 0;
        if (const auto *i = std::get_if<int64_t>(&value))
            v = static_cast<double>(*i);
        else if (const auto *d = std::get_if<double>(&value))
            v = *d;
        else if (const auto *text = std::get_if<std::string>(&value)) {
            // The loader refuses other words already; a config built in code (or a null in YAML) may still hold one.
            if (!spec.choices.empty() &&
                std::find(spec.choices.begin(), spec.choices.end(), *text) == spec.choices.end()) {
                std::string allowed;
                for (const auto &choice : spec.choices)
                    allowed += (allowed.empty() ? "" : ", ") + choice;
                issues.push_back(
                    {spec.path(), spec.path() + " is '" + *text + "' but must be one of: " + allowed + ".", {}});
            }
            continue;
        } else
            continue;
        if (!std::isfinite(v)) {
            issues.push_back({spec.path(), spec.path() + " must be a finite number.", {}});
            continue;
        }
        if (spec.minimum && v < *spec.minimum) {
            issues.push_back({spec.path(),
                              spec.path() + " is " + formatFieldValue(value) + " but must be at least " +
                                  num(*spec.minimum) + " (" + spec.description + ").",
                              {}});
        } else if (spec.maximum && v > *spec.maximum) {
            issues.push_back({spec.path(),
                              spec.path() + " is " + formatFieldValue(value) + " but must be at most " +
                                  num(*spec.maximum) + " (" + spec.description + ").",
                              {}});
        }
    }
}

void checkModel(const ModelConfig &m, std::vector<ValidationIssue> &issues)
{
    if (m.dim <= 0 || m.n_heads <= 0 || m.n_kv_heads <= 0)
        return; // the range check already said so; the rules below would divide by zero
    if (m.dim % m.n_heads != 0) {
        const HeadSuggestion s = nearestValidHeads(m.dim, m.n_heads, m.n_kv_heads);
        issues.push_back({"model.n_heads",
                          "dim (" + num(m.dim) + ") must be divisible by n_heads (" + num(m.n_heads) +
                              "): every head gets dim / n_heads dimensions, and " + num(m.dim) + " / " +
                              num(m.n_heads) + " = " + num(static_cast<double>(m.dim) / m.n_heads) +
                              " is not a whole number.",
                          "Use n_heads = " + num(s.n_heads) + " and n_kv_heads = " + num(s.n_kv_heads) + " (head_dim " +
                              num(m.dim / s.n_heads) + ")."});
        return;
    }
    if (m.n_heads % m.n_kv_heads != 0) {
        const HeadSuggestion s = nearestValidHeads(m.dim, m.n_heads, m.n_kv_heads);
        issues.push_back({"model.n_kv_heads",
                          "n_heads (" + num(m.n_heads) + ") must be a multiple of n_kv_heads (" + num(m.n_kv_heads) +
                              "): in grouped-query attention every key/value head serves the same number of "
                              "query heads.",
                          "Use n_kv_heads = " + num(s.n_kv_heads) + "."});
    }
    if (m.n_kv_heads > m.n_heads)
        issues.push_back({"model.n_kv_heads",
                          "n_kv_heads (" + num(m.n_kv_heads) + ") cannot exceed n_heads (" + num(m.n_heads) + ").",
                          "Use n_kv_heads = " + num(m.n_heads) + " for plain multi-head attention."});
    if (m.headDim() % 2 != 0)
        issues.push_back({"model.n_heads",
                          "head_dim = dim / n_heads = " + num(m.headDim()) +
                              " must be even: RoPE rotates the dimensions of each head in pairs.",
                          {}});
}

void checkTraining(const Config &c, std::vector<ValidationIssue> &issues)
{
    const TrainConfig &t = c.training;
    if (!isValidDevice(t.device))
        issues.push_back({"training.device", "device '" + t.device + "' is not one of auto, cpu, cuda, cuda:N.", {}});
    if (t.min_lr > t.learning_rate)
        issues.push_back({"training.min_lr",
                          "min_lr (" + num(t.min_lr) + ") is above learning_rate (" + num(t.learning_rate) +
                              "): the cosine schedule decays from the peak down to min_lr.",
                          "Use min_lr = learning_rate / 10 = " + num(t.learning_rate / 10) + "."});
    if (t.warmup_iters > t.max_iters)
        issues.push_back({"training.warmup_iters",
                          "warmup_iters (" + num(t.warmup_iters) + ") is longer than the whole run (max_iters " +
                              num(t.max_iters) + ").",
                          {}});
    if (t.seq_len > c.model.max_seq_len)
        issues.push_back({"training.seq_len",
                          "seq_len (" + num(t.seq_len) + ") is longer than the model's context (max_seq_len " +
                              num(c.model.max_seq_len) + ").",
                          {}});
    if (c.data.split_ratio <= 0.0 || c.data.split_ratio >= 1.0)
        issues.push_back({"data.split_ratio",
                          "split_ratio (" + num(c.data.split_ratio) +
                              ") must be strictly between 0 and 1 so that both training and validation get text.",
                          "0.9 is usual."});
}

void checkGeneration(const GenerationConfig &g, std::vector<ValidationIssue> &issues)
{
    if (g.top_p && (*g.top_p <= 0.0 || *g.top_p > 1.0))
        issues.push_back(
            {"generation.top_p",
             "top_p (" + num(*g.top_p) + ") must be in (0, 1]: it is the probability mass of the tokens kept.",
             "Use null to turn nucleus sampling off, or a value such as 0.9."});
    if (g.repetition_penalty <= 0.0)
        issues.push_back({"generation.repetition_penalty", "repetition_penalty must be positive (1 = off).", {}});
}

} // namespace

HeadSuggestion nearestValidHeads(int64_t dim, int64_t n_heads, int64_t n_kv_heads)
{
    // Search head counts that divide dim with an even head_dim, nearest to the requested one (ties: more heads).
    // When dim is even, h = 1 qualifies at distance n_heads - 1, so nothing above 2 * n_heads - 1 can be nearer:
    // walking h up to there is O(n_heads). Otherwise (or for absurd n_heads) divisors come in pairs (h, dim / h)
    // and walking up to sqrt(dim) finds them all. Both walks are capped: a width or head count beyond the schema's
    // range is reported by the range check, and validation must stay instant in the Config Studio (an uncapped
    // sqrt walk over dim = 2^62 took seconds under the fuzzer).
    constexpr int64_t maxSteps = int64_t(1) << 21;
    HeadSuggestion best{1, 1};
    int64_t bestDistance = -1;
    const auto consider = [&](int64_t h) {
        if (h < 1 || dim % h != 0 || (dim / h) % 2 != 0)
            return;
        const int64_t d = std::llabs(h - n_heads);
        if (bestDistance < 0 || d < bestDistance || (d == bestDistance && h > best.n_heads)) {
            bestDistance = d;
            best.n_heads = h;
        }
    };
    const int64_t nearWalk = n_heads < maxSteps ? std::min(2 * n_heads - 1, dim) : maxSteps;
    if (dim > 0 && dim % 2 == 0 && n_heads >= 1 && nearWalk <= maxSteps) {
        for (int64_t h = 1; h <= nearWalk; ++h)
            consider(h);
    } else {
        for (int64_t i = 1; dim > 0 && i <= dim / i && i <= maxSteps; ++i) {
            if (dim % i == 0) {
                consider(i);
                consider(dim / i);
            }
        }
    }
    // Keep the requested sharing ratio as closely as the new head count allows.
    const double ratio = n_kv_heads > 0 ? static_cast<double>(n_heads) / n_kv_heads : 1.0;
    int64_t bestKv = best.n_heads;
    double bestGap = -1;
    for (int64_t kv = 1; kv <= best.n_heads && kv <= 65536; ++kv) {
        if (best.n_heads % kv != 0)
            continue;
        const double gap = std::fabs(static_cast<double>(best.n_heads) / kv - ratio);
        if (bestGap < 0 || gap < bestGap) {
            bestGap = gap;
            bestKv = kv;
        }
    }
    best.n_kv_heads = bestKv;
    return best;
}

std::vector<ValidationIssue> validate(const Config &config)
{
    std::vector<ValidationIssue> issues;
    checkRanges(config, issues);
    checkModel(config.model, issues);
    checkTraining(config, issues);
    checkGeneration(config.generation, issues);
    return issues;
}

void validateOrThrow(const Config &config, const std::string &sourceName)
{
    const auto issues = validate(config);
    if (issues.empty())
        return;
    std::string message =
        (sourceName.empty() ? std::string("The configuration") : "'" + sourceName + "'") + " is not valid:";
    std::string hints;
    for (const auto &issue : issues) {
        message += "\n  - " + issue.message;
        if (!issue.fix.empty())
            hints += (hints.empty() ? "" : " ") + issue.fix;
    }
    throw Error(message, hints);
}

void requireFp32Weights(const Config &config)
{
    const std::string &type = config.model.quantization;
    if (type != "none")
        throw Error("This model's weights are quantised (" + type +
                        "): training needs the fp32 weights, and an update smaller than half an " + type +
                        " step would be rounded away.",
                    "Train or resume the fp32 run it was quantised from (llmf quantize writes its folder into "
                    "model.safetensors as 'quantized_from'), or start a new run with model.quantization: none.");
}

} // namespace llmf
