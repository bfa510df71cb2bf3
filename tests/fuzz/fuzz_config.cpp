// The YAML config loader and the `--set key=value` parser: the first line of the input is an override, the rest
// the YAML file (configs people share, and what a lesson link or the command line sets).
#include "fuzztarget.h"

#include "llmf/common/error.h"
#include "llmf/config/config.h"
#include "llmf/config/configio.h"
#include "llmf/config/validation.h"
#include "llmf/model/accounting.h"
#include "llmf/model/memoryfit.h"

#include <string>

LLMF_FUZZ_TARGET(config)
{
    const std::string_view input = llmf::fuzz::bytesOf(data, size);
    const size_t newline = input.find('\n');
    const std::string assignment(input.substr(0, newline));
    const std::string yaml(newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1));
    llmf::Config config;
    try {
        config = llmf::parseConfig(yaml, "fuzz.yaml");
    } catch (const llmf::Error &) {
    }
    try {
        llmf::applyOverride(config, assignment);
    } catch (const llmf::Error &) {
    }
    // What Config Studio computes on every edit of a config that validates: arithmetic on huge values must
    // saturate or refuse, never overflow.
    if (llmf::validate(config).empty()) {
        llmf::countParameters(config.model);
        llmf::checkTrainingMemory(config, int64_t(8) << 30);
    }
    return 0;
}
