// comparePrecisions: fp32 / int8 / int4 of one run on one prompt (llmf/quant/precisioncomparison.h).
#include "llmf/quant/precisioncomparison.h"

#include "llmf/common/error.h"
#include "llmf/infer/generator.h"
#include "llmf/quant/quantize.h"
#include "llmf/train/evaluation.h"
#include "llmf/run/rundirectory.h"

#include <optional>

namespace llmf {

std::vector<PrecisionRow> comparePrecisions(const std::string &runDir, const PrecisionOptions &options,
                                            const PrecisionProgress &progress, const std::atomic_bool *cancel,
                                            std::string *note)
{
    const auto cancelled = [cancel] { return cancel && cancel->load(); };
    const LoadedRun fp32 = loadRun(runDir, "cpu");
    if (fp32.config.model.quantization != "none")
        throw Error("This run is already quantised (" + fp32.config.model.quantization + ").",
                    "Open the fp32 run it was made from to compare the precisions.");
    std::vector<int32_t> validation;
    if (options.validationTokens > 0) {
        try {
            validation = validationTokens(runDir, options.validationTokens);
        } catch (const Error &e) {
            if (note)
                *note = e.what();
        }
        if (validation.size() < 2)
            validation.clear();
    }
    GenerationConfig generation = options.generation;
    generation.use_kv_cache = true;

    std::vector<PrecisionRow> rows;
    for (QuantType type : {QuantType::None, QuantType::Int8, QuantType::Int4}) {
        if (cancelled())
            break;
        QuantizeSummary summary; // its sizes come from serialising the model: not done again here
        const LoadedRun run = type == QuantType::None ? fp32 : quantizeLoadedRun(fp32, {type, true}, &summary);
        PrecisionRow row;
        row.type = type;
        row.weightsBytes = type == QuantType::None ? weightsFileBytes(fp32) : summary.quantizedBytes;
        Generator generator(run);
        generator.setCollectStages(false);
        generator.setCollectLogits(false);
        GenerationConfig warmup = generation;
        warmup.max_new_tokens = std::min<int64_t>(8, generation.max_new_tokens);
        generator.generate(options.prompt, warmup); // first-call costs out of the timing
        const GenerationResult result =
            generator.generate(options.prompt, generation, [&cancelled](const TokenEvent &) { return !cancelled(); });
        row.tokensPerSecond = result.tokensPerSecond;
        row.continuation = result.text;
        row.ids = result.generatedIds;
        if (!rows.empty()) {
            const std::vector<int32_t> &reference = rows.front().ids;
            for (size_t i = 0; i < std::max(reference.size(), row.ids.size()); ++i)
                if (i >= reference.size() || i >= row.ids.size() || reference[i] != row.ids[i]) {
                    row.firstDifference = static_cast<int64_t>(i);
                    break;
                }
        }
        if (!validation.empty() && !cancelled()) {
            row.perplexity = evaluateTokens(run, validation).perplexity;
            if (type != QuantType::None)
                row.topOneAgreement = topOneAgreement(run, fp32, validation);
        }
        if (cancelled())
            break;
        rows.push_back(row);
        if (progress)
            progress(row);
    }
    return rows;
}

} // namespace llmf
