#pragma once

// Device names without LibTorch's headers, for the CLI and the views.

#include <string>

namespace llmf {

// "auto" | "cpu" | "cuda" | "cuda:N" → a concrete device name ("cpu", "cuda:0"). Pure logic, so it is tested
// on machines without a GPU; throws llmf::Error when CUDA is asked for but missing, or N is out of range.
std::string resolveDeviceName(const std::string &requested, bool cudaAvailable, int cudaDeviceCount);

// The same against this process's LibTorch.
std::string resolveDeviceName(const std::string &requested);

} // namespace llmf
