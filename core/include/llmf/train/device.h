#pragma once

#include <torch/torch.h>

#include <optional>
#include <string>

namespace llmf {

// "auto" | "cpu" | "cuda" | "cuda:N" → a concrete device name ("cpu", "cuda:0"). Pure logic, so it is tested
// on machines without a GPU; throws llmf::Error when CUDA is asked for but missing, or N is out of range.
std::string resolveDeviceName(const std::string &requested, bool cudaAvailable, int cudaDeviceCount);

// The same against this process's LibTorch.
torch::Device resolveDevice(const std::string &requested);

// The autocast dtype for `dtype` on `device`: nullopt for float32. Half precisions are a CUDA feature here:
// on CPU they are refused with an explanation rather than silently running slower.
std::optional<torch::ScalarType> autocastDtype(const std::string &dtype, const torch::Device &device);

} // namespace llmf
