#pragma once
// One fuzz target per parser of outside input (docs/reliability.md). The same harness source builds two ways:
//  - with LLMF_LIBFUZZER (the `fuzz` preset: clang, libFuzzer, ASan + UBSan) as LLVMFuzzerTestOneInput of its own
//    fuzz_<name> executable;
//  - otherwise registered by name in fuzz_replay, which `make test` runs over tests/fuzz/corpus/<name>/ (ctest
//    fuzz.<name>), so every input that once crashed a parser stays a regression test in the ordinary build.
// A harness returns normally for input its parser rejects with llmf::Error (a clear message is the right answer to
// bad input); anything else escaping it (another exception, a crash, a sanitizer report) is a finding.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace llmf::fuzz {

using Target = int (*)(const uint8_t *data, size_t size);
bool registerTarget(const char *name, Target target);

inline std::string_view bytesOf(const uint8_t *data, size_t size)
{
    return {reinterpret_cast<const char *>(data), size};
}

} // namespace llmf::fuzz

#ifdef LLMF_LIBFUZZER
#define LLMF_FUZZ_TARGET(name) extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#else
#define LLMF_FUZZ_TARGET(name)                                                                                         \
    static int llmfFuzz_##name(const uint8_t *data, size_t size);                                                      \
    [[maybe_unused]] static const bool llmfFuzzRegistered_##name = llmf::fuzz::registerTarget(#name, llmfFuzz_##name); \
    static int llmfFuzz_##name(const uint8_t *data, size_t size)
#endif
