#include "llmf/common/device.h"

#include "llmf/common/error.h"

namespace llmf {

std::string resolveDeviceName(const std::string &requested, bool cudaAvailable, int cudaDeviceCount)
{
    if (requested == "auto")
        return cudaAvailable && cudaDeviceCount > 0 ? "cuda:0" : "cpu";
    if (requested == "cpu")
        return "cpu";
    if (requested.rfind("cuda", 0) == 0) {
        if (!cudaAvailable || cudaDeviceCount == 0)
            throw Error("training.device is '" + requested + "' but this LibTorch has no CUDA device.",
                        "Use device: auto (or cpu), or build against an official CUDA LibTorch (README, \"CUDA "
                        "builds\").");
        int index = 0;
        if (requested.size() > 4) {
            if (requested[4] != ':' || requested.size() == 5 ||
                requested.find_first_not_of("0123456789", 5) != std::string::npos)
                throw Error("'" + requested + "' is not a device.", "Use auto, cpu, cuda or cuda:N.");
            index = std::stoi(requested.substr(5));
        }
        if (index >= cudaDeviceCount)
            throw Error("training.device asks for cuda:" + std::to_string(index) + " but there " +
                            (cudaDeviceCount == 1 ? "is 1 CUDA device"
                                                  : "are " + std::to_string(cudaDeviceCount) + " CUDA devices") +
                            ".",
                        "Devices are numbered from cuda:0.");
        return "cuda:" + std::to_string(index);
    }
    throw Error("'" + requested + "' is not a device.", "Use auto, cpu, cuda or cuda:N.");
}

std::string resolveDeviceName(const std::string &requested)
{
    const bool cuda = torch::cuda::is_available();
    return resolveDeviceName(requested, cuda, cuda ? static_cast<int>(torch::cuda::device_count()) : 0);
}

torch::Device resolveDevice(const std::string &requested)
{
    return torch::Device(resolveDeviceName(requested));
}

std::optional<torch::ScalarType> autocastDtype(const std::string &dtype, const torch::Device &device)
{
    if (dtype == "float32")
        return std::nullopt;
    if (dtype != "bfloat16" && dtype != "float16")
        throw Error("training.dtype '" + dtype + "' is not one of float32, bfloat16, float16.");
    if (!device.is_cuda())
        throw Error("training.dtype is " + dtype + ", but mixed precision is only used on CUDA; this run is on " +
                        device.str() + ".",
                    "Set training.dtype: float32 for CPU training (CPUs have no fast half-precision matmuls here).");
    return dtype == "bfloat16" ? torch::kBFloat16 : torch::kHalf;
}

} // namespace llmf
