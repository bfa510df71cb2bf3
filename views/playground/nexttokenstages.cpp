#include "playground/nexttokenstages.h"

#include "llmf/infer/samplingstages.h"

#include <QHash>

namespace llmf::views {

namespace {

QVector<StageBar> firstOf(const std::vector<Candidate> &candidates, int shown)
{
    QVector<StageBar> out;
    const auto n = std::min<size_t>(candidates.size(), static_cast<size_t>(std::max(shown, 0)));
    out.reserve(static_cast<qsizetype>(n));
    for (size_t i = 0; i < n; ++i)
        out.append({candidates[i].id, static_cast<double>(candidates[i].probability)});
    return out;
}

} // namespace

NextTokenStages computeNextTokenStages(const QVector<float> &logits, const GenerationConfig &config,
                                       const std::vector<int32_t> &context, int shown)
{
    NextTokenStages out;
    if (logits.isEmpty())
        return out;
    // Every candidate, not just the shown ones: the kept counts and the top-p mass need the whole distribution.
    // Sorting a few thousand floats five times costs about a millisecond, cheap enough for every slider move.
    const SamplingStages all = samplingStages(logits.constData(), static_cast<size_t>(logits.size()), config, context,
                                              static_cast<int>(logits.size()));
    out.raw = firstOf(all.raw, shown);
    out.tempered = firstOf(all.tempered, shown);
    out.topK = firstOf(all.topK, shown);
    out.topP = firstOf(all.topP, shown);
    out.keptByTopK = static_cast<int>(all.topK.size());
    out.keptByTopP = static_cast<int>(all.topP.size());
    QHash<qint32, double> beforeTopP;
    for (const Candidate &c : all.topK)
        beforeTopP.insert(c.id, c.probability);
    for (const Candidate &c : all.topP)
        out.topPKeptMass += beforeTopP.value(c.id);
    return out;
}

} // namespace llmf::views
