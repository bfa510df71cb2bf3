#pragma once

#include <cstdint>
#include <string>

namespace llmf {

// What the engine runs on. Debian's LibTorch calls whatever libblas.so.3 the alternatives system selects, and
// the netlib reference BLAS is 16-30x slower than OpenBLAS (docs/architecture.md §9): the app names it and warns.
struct SystemInfo
{
    std::string torchVersion;
    std::string blasLibrary;    // resolved path of the loaded libblas, empty if none is mapped
    std::string blasName;       // "OpenBLAS (OpenMP)", "reference BLAS (netlib)", "BLIS", …
    bool referenceBlas = false; // true for the slow netlib implementation
    int physicalCores = 1;
    int logicalCores = 1;
    int torchThreads = 1;
    bool cudaAvailable = false;
    int cudaDevices = 0;
};

SystemInfo systemInfo();

// Classifies a BLAS library path (exposed for tests).
std::string blasNameFromPath(const std::string &path, bool *isReference = nullptr);

// A warning sentence when the BLAS is the reference one, empty otherwise.
std::string blasWarning(const SystemInfo &info);

// Free memory of a CUDA device ("cuda:0") in bytes; 0 when unknown (a CPU-only LibTorch, no such device).
int64_t availableDeviceMemory(const std::string &device);

// Sets LibTorch's intra-op threads to the physical core count (its default here is 1) and returns it.
// Hyper-threads share a core's FPU, so more threads than cores only adds contention in matmuls.
// $LLMF_NUM_THREADS, when set to a positive number, wins.
int configureThreads();

// Sets LibTorch's intra-op threads to `threads` (> 0).
void setThreads(int threads);

// Lets glibc's malloc keep and reuse the large blocks a training step allocates and frees (attention matrices of
// 33 MB, the 134 MB logits buffer for `small`) instead of mapping fresh zeroed pages from the kernel for each of
// them: blocks up to 256 MB come from the heap, and up to 512 MB of free heap is kept. Measured on `small`
// (B16 × T256, 2 cores): 2,527 → 2,930 tokens/s, peak RSS 1.14 → 1.18 GB. The apps call it at start-up; a
// program using the library may too. Returns false when the C library is not glibc.
bool configureAllocator();
// libgomp keeps the OpenMP workers of every thread that has run a parallel region, and once it manages more threads
// than the machine has cores it stops spinning at barriers: every wait becomes a futex sleep and wake-up. A training
// thread then ran ~30 % slower beside the idle pool of a thread that had only probed or generated (docs/performance.md,
// "The app and the headless trainer"). Threads that compute in bursts call this when a burst ends: it lets the
// calling thread's OpenMP workers go (omp_pause_resource_all); its next parallel region starts them again.
// False where the OpenMP runtime has no such call.
bool releaseThisThreadsOpenMPWorkers();
// Calls it when the scope of a burst (a training run, a generation) ends, however it ends.
struct OpenMPWorkersReleaser
{
    OpenMPWorkersReleaser() = default;
    OpenMPWorkersReleaser(const OpenMPWorkersReleaser &) = delete;
    OpenMPWorkersReleaser &operator=(const OpenMPWorkersReleaser &) = delete;
    ~OpenMPWorkersReleaser() { releaseThisThreadsOpenMPWorkers(); }
};

} // namespace llmf
