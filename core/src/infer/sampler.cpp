#include "llmf/infer/sampler.h"

#include "llmf/common/error.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>
#include <vector>
#include <sstream>

namespace llmf {

namespace {

// Float rounding: softmax(log([0.5, 0.3, 0.15, 0.05])) may give 0.79999995 for the first two tokens, which must
// still satisfy top_p = 0.8.
constexpr double kTopPSlack = 1e-6;

std::string num(double value)
{
    std::ostringstream out;
    out << value;
    return out.str();
}

// One logits row as a contiguous float32 CPU tensor (V). No copy when it already is one; callers that modify it
// clone first, so the caller's tensor is never changed.
torch::Tensor toRow(const torch::Tensor &logits)
{
    TORCH_CHECK(logits.defined() && logits.dim() >= 1 && logits.numel() == logits.size(-1) && logits.numel() > 0,
                "the sampler takes a single row of logits (V), got ", logits.sizes());
    return logits.reshape({-1}).to(torch::kCPU, torch::kFloat32).contiguous(); // (V)
}

// The result of the pipeline on one row. The kept tokens are what the draw walks: after top-k or top-p they are
// few and sorted (most likely first); without either filter, every token in id order.
struct Pipeline
{
    torch::Tensor raw, penalized, tempered, topK, topP; // (V) probabilities, only when stages are requested
    torch::Tensor keptProbs;                            // (n) float32, renormalised, sums to 1
    torch::Tensor keptIds;                              // (n) int64; undefined = all tokens, ids 0..V-1
    int64_t greedyId = -1;                              // temperature 0: the argmax, nothing to draw
};

// The repetition penalty on V logits in place, once per distinct context token: dividing a positive logit (or
// multiplying a negative one) always moves it down, whereas dividing a negative logit would raise it.
void penalizeRepeats(float *logits, int64_t V, const std::vector<int32_t> &context, float penalty)
{
    std::vector<char> seen(static_cast<size_t>(V), 0);
    for (const int32_t id : context) {
        if (id < 0 || id >= V || seen[static_cast<size_t>(id)])
            continue;
        seen[static_cast<size_t>(id)] = 1;
        logits[id] = logits[id] > 0.0f ? logits[id] / penalty : logits[id] * penalty;
    }
}

// A (V) distribution that is `probs` on `ids` and 0 elsewhere.
torch::Tensor scatterRow(int64_t V, const torch::Tensor &ids, const torch::Tensor &probs)
{
    return torch::zeros({V}, probs.options()).index_copy_(0, ids, probs); // (V)
}

Pipeline runPipeline(const torch::Tensor &logitsIn, const GenerationConfig &config, const std::vector<int32_t> &context,
                     bool withStages)
{
    Pipeline out;
    torch::Tensor logits = toRow(logitsIn); // (V)
    const int64_t V = logits.size(0);
    if (withStages)
        out.raw = torch::softmax(logits, 0); // (V)

    // 1. Repetition penalty.
    const float penalty = static_cast<float>(config.repetition_penalty);
    if (penalty != 1.0f && !context.empty()) {
        logits = logits.clone(); // (V)
        penalizeRepeats(logits.data_ptr<float>(), V, context, penalty);
        if (withStages)
            out.penalized = torch::softmax(logits, 0); // (V)
    } else if (withStages) {
        out.penalized = out.raw;
    }

    // 2. Temperature. T = 0 is the limit T → 0: all mass on the argmax, so top-k and top-p have nothing to cut.
    if (config.temperature == 0.0) {
        out.greedyId = logits.argmax().item<int64_t>();
        out.keptIds = torch::full({1}, out.greedyId, torch::kInt64); // (1)
        out.keptProbs = torch::ones({1}, torch::kFloat32);           // (1)
        if (withStages)
            out.tempered = out.topK = out.topP = scatterRow(V, out.keptIds, out.keptProbs); // (V)
        return out;
    }
    const auto tempered = torch::softmax(logits / config.temperature, 0); // (V)
    if (withStages)
        out.tempered = tempered;

    // 3. Top-k: torch::topk returns the k largest already sorted, which top-p then reuses instead of sorting V.
    torch::Tensor probs, ids; // sorted candidates (n), undefined while every token is still in
    if (config.top_k && *config.top_k < V) {
        auto [values, indices] = torch::topk(tempered, *config.top_k); // (k), (k)
        probs = values / values.sum();                                 // (k)
        ids = indices;
    }
    if (withStages)
        out.topK = probs.defined() ? scatterRow(V, ids, probs) : tempered; // (V)

    // 4. Top-p: token i stays when the mass of the tokens before it is still below p, i.e. the smallest prefix
    //    whose mass reaches p. The first token always stays (nothing comes before it). Cumulated in double so
    //    rounding over thousands of tokens does not eat the slack.
    if (config.top_p && *config.top_p < 1.0) {
        if (!probs.defined()) {
            auto [values, indices] = torch::sort(tempered, /*dim=*/0, /*descending=*/true); // (V), (V)
            probs = values;
            ids = indices;
        }
        const auto before = probs.to(torch::kFloat64).cumsum(0) - probs.to(torch::kFloat64); // (n)
        const int64_t keep = std::max<int64_t>(1, (before < *config.top_p - kTopPSlack).sum().item<int64_t>());
        probs = probs.narrow(0, 0, keep); // (keep)
        ids = ids.narrow(0, 0, keep);     // (keep)
        probs = probs / probs.sum();      // (keep)
    }
    if (withStages)
        out.topP = probs.defined() ? scatterRow(V, ids, probs) : out.topK; // (V)

    out.keptProbs = probs.defined() ? probs.contiguous() : tempered;
    if (ids.defined())
        out.keptIds = ids.contiguous();
    return out;
}

std::vector<Candidate> topCandidates(const torch::Tensor &probs, int topN)
{
    std::vector<Candidate> out;
    const int64_t n = std::min<int64_t>(topN, probs.size(0));
    if (n <= 0)
        return out;
    auto [values, indices] = torch::topk(probs, n); // (n), (n)
    const float *p = values.data_ptr<float>();
    const int64_t *id = indices.data_ptr<int64_t>();
    for (int64_t i = 0; i < n; ++i) {
        if (p[i] > 0.0f) // a token an earlier stage removed is not a candidate
            out.push_back({static_cast<int32_t>(id[i]), p[i]});
    }
    return out;
}

SamplingStages makeStages(const Pipeline &p, int topN)
{
    return {topCandidates(p.raw, topN), topCandidates(p.penalized, topN), topCandidates(p.tempered, topN),
            topCandidates(p.topK, topN), topCandidates(p.topP, topN)};
}

// Generation's usual case without tensors: no stages asked for, a temperature above 0 and top-k on (the default).
// The pipeline above runs ~18 tensor ops on the (V) logits per token, which for `small` cost as much as a quantised
// decoding step. Top-k renormalises over the k kept tokens, so their probabilities depend only on the k largest
// logits: one pass with a k-sized heap finds them and the full softmax is never formed. The result is the
// pipeline's up to float rounding (tests draw the same tokens both ways); false means "use the pipeline" (a NaN
// logit, top-k off or not below V, greedy decoding).
struct KeptTokens
{
    std::vector<float> probs; // sorted, most likely first, sums to 1
    std::vector<int64_t> ids;
};

bool keepTopKDirectly(const torch::Tensor &logitsIn, const GenerationConfig &config,
                      const std::vector<int32_t> &context, KeptTokens &out)
{
    const torch::Tensor row = toRow(logitsIn); // (V)
    const int64_t V = row.size(0);
    if (config.temperature == 0.0 || !config.top_k || *config.top_k >= V)
        return false;
    const float *logits = row.data_ptr<float>();
    const float penalty = static_cast<float>(config.repetition_penalty);
    std::vector<float> penalized;
    if (penalty != 1.0f && !context.empty()) {
        penalized.assign(logits, logits + V);
        penalizeRepeats(penalized.data(), V, context, penalty);
        logits = penalized.data();
    }
    // The k largest (value, id), as a min-heap: most logits lose one comparison against its smallest.
    using Entry = std::pair<float, int64_t>;
    const auto larger = [](const Entry &a, const Entry &b) {
        return a.first > b.first || (a.first == b.first && a.second < b.second);
    };
    const auto k = static_cast<size_t>(*config.top_k);
    std::vector<Entry> heap;
    heap.reserve(k);
    for (int64_t i = 0; i < V; ++i) {
        const float l = logits[i];
        if (std::isnan(l))
            return false;
        if (heap.size() < k) {
            heap.emplace_back(l, i);
            std::push_heap(heap.begin(), heap.end(), larger);
        } else if (l > heap.front().first) {
            std::pop_heap(heap.begin(), heap.end(), larger);
            heap.back() = {l, i};
            std::push_heap(heap.begin(), heap.end(), larger);
        }
    }
    std::sort_heap(heap.begin(), heap.end(), larger); // largest first
    if (!std::isfinite(heap.front().first))
        return false;
    // softmax(logits / T) restricted to the kept tokens and renormalised, as the pipeline computes it.
    const auto T = static_cast<float>(config.temperature);
    const float top = heap.front().first / T;
    out.probs.resize(k);
    out.ids.resize(k);
    float sum = 0.0f;
    for (size_t i = 0; i < k; ++i) {
        out.ids[i] = heap[i].second;
        sum += out.probs[i] = std::exp(heap[i].first / T - top);
    }
    for (float &p : out.probs)
        p /= sum;
    if (config.top_p && *config.top_p < 1.0) { // the smallest prefix whose mass reaches p (see the pipeline)
        size_t keep = 0;
        double before = 0.0;
        while (keep < k && before < *config.top_p - kTopPSlack)
            before += out.probs[keep++];
        keep = std::max<size_t>(1, keep);
        out.probs.resize(keep);
        out.ids.resize(keep);
        const float keptMass = std::accumulate(out.probs.begin(), out.probs.end(), 0.0f);
        for (float &p : out.probs)
            p /= keptMass;
    }
    return true;
}

} // namespace

Sampler::Sampler(const GenerationConfig &config)
    : m_config(config), m_generator(at::detail::createCPUGenerator(static_cast<uint64_t>(config.seed)))
{
    validate(config);
}

void Sampler::reseed(int64_t seed)
{
    m_config.seed = seed;
    m_generator = at::detail::createCPUGenerator(static_cast<uint64_t>(seed));
}

void Sampler::validate(const GenerationConfig &c)
{
    if (!(c.temperature >= 0.0) || std::isinf(c.temperature))
        throw Error("temperature must be >= 0; 0 means greedy (got " + num(c.temperature) + ").",
                    "Use 0 for greedy decoding, 0.7-1.0 for varied but sensible text.");
    if (c.top_k && *c.top_k < 1)
        throw Error("top_k must be at least 1 (got " + num(static_cast<double>(*c.top_k)) +
                        "): it is the number of most likely tokens kept.",
                    "Use null to turn top-k off, or a value such as 50.");
    if (c.top_p && !(*c.top_p > 0.0 && *c.top_p <= 1.0))
        throw Error("top_p (" + num(*c.top_p) + ") must be in (0, 1]: it is the probability mass of the tokens kept.",
                    "Use null to turn nucleus sampling off, or a value such as 0.9.");
    if (!(c.repetition_penalty > 0.0) || std::isinf(c.repetition_penalty))
        throw Error("repetition_penalty must be > 0 (got " + num(c.repetition_penalty) + "); 1 means off.",
                    "Values of 1.1-1.3 discourage repeating the context; values below 1 encourage it.");
}

int32_t Sampler::sample(const torch::Tensor &logits, const std::vector<int32_t> &context, SamplingStages *stagesOut,
                        float *probabilityOut)
{
    // Sampling may run outside the generator (tests, the Playground): no autograd here either way.
    c10::InferenceMode inferenceMode;
    KeptTokens direct;
    Pipeline p;
    const float *probs = nullptr;
    const int64_t *ids = nullptr; // null: the kept tokens are every token, in id order
    int64_t n = 0;
    if (!stagesOut && keepTopKDirectly(logits, m_config, context, direct)) {
        probs = direct.probs.data();
        ids = direct.ids.data();
        n = static_cast<int64_t>(direct.probs.size());
    } else {
        p = runPipeline(logits, m_config, context, stagesOut != nullptr);
        if (stagesOut)
            *stagesOut = makeStages(p, 10);
        if (p.greedyId >= 0) {
            if (probabilityOut)
                *probabilityOut = 1.0f;
            return static_cast<int32_t>(p.greedyId);
        }
        probs = p.keptProbs.data_ptr<float>();
        ids = p.keptIds.defined() ? p.keptIds.data_ptr<int64_t>() : nullptr;
        n = p.keptProbs.size(0);
    }
    // Inverse CDF: the first token whose cumulative mass exceeds u ~ U[0, 1). Falls back to the last token with
    // mass when rounding leaves the total just under u.
    const double u = torch::rand({1}, m_generator, torch::kFloat64).item<double>();
    double cumulative = 0.0;
    int64_t pick = -1, lastWithMass = 0;
    for (int64_t i = 0; i < n; ++i) {
        if (probs[i] <= 0.0f)
            continue;
        lastWithMass = i;
        cumulative += probs[i];
        if (cumulative > u) {
            pick = i;
            break;
        }
    }
    if (pick < 0)
        pick = lastWithMass;
    if (probabilityOut)
        *probabilityOut = probs[pick];
    return static_cast<int32_t>(ids ? ids[pick] : pick);
}

SamplingStages Sampler::stages(const torch::Tensor &logits, const GenerationConfig &config,
                               const std::vector<int32_t> &context, int topN)
{
    validate(config);
    c10::InferenceMode inferenceMode;
    return makeStages(runPipeline(logits, config, context, /*withStages=*/true), topN);
}

torch::Tensor Sampler::distribution(const torch::Tensor &logits, const GenerationConfig &config,
                                    const std::vector<int32_t> &context)
{
    validate(config);
    c10::InferenceMode inferenceMode;
    return runPipeline(logits, config, context, /*withStages=*/true).topP; // (V)
}

SamplingStages samplingStages(const float *logits, size_t count, const GenerationConfig &config,
                              const std::vector<int32_t> &context, int topN)
{
    if (count == 0)
        throw Error("There are no logits to sample from.");
    // from_blob does not copy; the pipeline only reads the row (it clones before applying the penalty).
    const torch::Tensor row =
        torch::from_blob(const_cast<float *>(logits), {static_cast<int64_t>(count)}, torch::kFloat32); // (V)
    return Sampler::stages(row, config, context, topN);
}

} // namespace llmf
