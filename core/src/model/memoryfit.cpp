#include "llmf/model/memoryfit.h"

#include "llmf/common/error.h"
#include "llmf/common/systeminfo.h"
#include "llmf/model/accounting.h"
#include "llmf/common/devicename.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace llmf {

namespace {

// "MemAvailable:   22315468 kB" → bytes.
int64_t meminfoAvailable()
{
    std::ifstream in("/proc/meminfo");
    std::string key;
    int64_t kib = 0;
    std::string unit;
    while (in >> key >> kib >> unit) {
        if (key == "MemAvailable:")
            return kib * 1024;
    }
    return 0;
}

// cgroup v2 (memory.max) or v1 (memory.limit_in_bytes) limit minus what the group already uses; 0 when unlimited.
int64_t cgroupAvailable()
{
    const auto readNumber = [](const char *path) -> int64_t {
        std::ifstream in(path);
        std::string value;
        if (!(in >> value) || value == "max")
            return 0;
        try {
            return std::stoll(value);
        } catch (const std::exception &) {
            return 0;
        }
    };
    int64_t limit = readNumber("/sys/fs/cgroup/memory.max");
    int64_t used = readNumber("/sys/fs/cgroup/memory.current");
    if (limit <= 0) {
        limit = readNumber("/sys/fs/cgroup/memory/memory.limit_in_bytes");
        used = readNumber("/sys/fs/cgroup/memory/memory.usage_in_bytes");
    }
    // v1 reports "no limit" as a huge page-aligned number.
    if (limit <= 0 || limit >= (int64_t(1) << 60))
        return 0;
    return std::max<int64_t>(0, limit - used);
}

} // namespace

std::string MemoryFit::message() const
{
    if (fits())
        return {};
    return "Training this configuration needs about " + humanBytes(needed) + " of " + where + " (" +
           humanBytes(parameterBytes) + " for the weights, their gradients and AdamW's two moments, " +
           humanBytes(activationBytes) + " for one batch's activations), but only " + humanBytes(available) +
           " is available.";
}

std::string MemoryFit::hint() const
{
    if (fits())
        return {};
    if (largestBatchThatFits > 0)
        return "Set training.batch_size to " + std::to_string(largestBatchThatFits) +
               " or less (raise training.grad_accum_steps to keep the effective batch), or shorten model.max_seq_len.";
    return "The parameters alone do not fit: make model.dim, model.n_layers, model.vocab_size or "
           "model.ffn_hidden_dim smaller (llmf info shows the parameter count and memory of a configuration).";
}

MemoryFit checkTrainingMemory(const Config &config, int64_t availableBytes, const std::string &where)
{
    const ModelConfig &m = config.model;
    const int64_t batch = std::max<int64_t>(1, config.training.batch_size);
    const int64_t seqLen = config.trainingSeqLen();
    const MemoryEstimate estimate = estimateMemory(m, batch, seqLen, config.training.dtype);
    MemoryFit fit;
    fit.parameterBytes = saturatingAdd(saturatingAdd(estimate.weights, estimate.gradients), estimate.optimizer);
    fit.activationBytes = estimate.activations;
    fit.needed = estimate.total();
    fit.available = std::max<int64_t>(0, availableBytes);
    fit.where = where;
    if (fit.available > 0) {
        const int64_t perSequence = std::max<int64_t>(1, estimate.activations / batch);
        const int64_t room = fit.available - fit.parameterBytes;
        fit.largestBatchThatFits = room > 0 ? room / perSequence : 0;
    }
    return fit;
}

int64_t availableSystemMemory()
{
    const int64_t ram = meminfoAvailable();
    const int64_t group = cgroupAvailable();
    if (ram > 0 && group > 0)
        return std::min(ram, group);
    return std::max(ram, group);
}

MemoryFit checkTrainingMemory(const Config &config)
{
    std::string device = "cpu";
    try {
        device = resolveDeviceName(config.training.device);
    } catch (const Error &) {
        // An impossible device is validation's business; the memory check stays silent about it.
        return checkTrainingMemory(config, 0);
    }
    if (device.rfind("cuda", 0) == 0)
        return checkTrainingMemory(config, availableDeviceMemory(device), "GPU memory (" + device + ")");
    return checkTrainingMemory(config, availableSystemMemory());
}

void requireTrainingMemory(const Config &config)
{
    const MemoryFit fit = checkTrainingMemory(config);
    if (!fit.fits())
        throw Error(fit.message(), fit.hint());
}

} // namespace llmf
