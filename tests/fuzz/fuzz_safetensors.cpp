// The safetensors reader: header length, JSON header, tensor table (dtypes, shapes, offsets that must tile the data
// area), on run directories and checkpoints downloaded with a tutorial.
#include "fuzztarget.h"

#include "llmf/common/error.h"
#include "llmf/run/safetensors.h"

LLMF_FUZZ_TARGET(safetensors)
{
    try {
        const llmf::SafetensorsFile file = llmf::parseSafetensors(llmf::fuzz::bytesOf(data, size), "fuzz.safetensors");
        for (const auto &[name, tensor] : file.tensors)
            if (tensor.numel() > 0)
                (void)tensor.sum(); // every byte of every tensor is readable
    } catch (const llmf::Error &) {
    }
    return 0;
}
