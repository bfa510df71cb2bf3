#pragma once

#include "llmf/common/devicename.h"

#include <torch/torch.h>

#include <optional>
#include <string>

namespace llmf {

// resolveDeviceName() as a torch::Device.
torch::Device resolveDevice(const std::string &requested);

// The autocast dtype for `dtype` on `device`: nullopt for float32. Half precisions are a CUDA feature here:
// on CPU they are refused with an explanation rather than silently running slower.
std::optional<torch::ScalarType> autocastDtype(const std::string &dtype, const torch::Device &device);

} // namespace llmf
