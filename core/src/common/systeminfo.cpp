#include "llmf/common/systeminfo.h"

#include <dlfcn.h>

#include <torch/torch.h>

// CUDA builds of LibTorch come with the CUDA runtime; Debian's CPU-only one does not.
#if __has_include(<cuda_runtime_api.h>)
#include <cuda_runtime_api.h>
#define LLMF_HAVE_CUDA_RUNTIME 1
#endif

#include <cstdlib>
#include <malloc.h>
#include <fstream>
#include <set>
#include <thread>
#include <utility>

namespace llmf {

namespace {

std::string loadedBlasPath()
{
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        const auto slash = line.find('/');
        if (slash == std::string::npos)
            continue;
        const std::string path = line.substr(slash);
        const auto base = path.substr(path.find_last_of('/') + 1);
        if (base.rfind("libblas.so", 0) == 0 || base.rfind("libopenblas", 0) == 0 || base.rfind("libmkl_rt", 0) == 0)
            return path;
    }
    return {};
}

int countPhysicalCores()
{
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::set<std::pair<std::string, std::string>> cores;
    std::string line, physical = "0";
    while (std::getline(cpuinfo, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
        const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : std::string();
        if (key == "physical id")
            physical = value;
        else if (key == "core id")
            cores.insert({physical, value});
    }
    const int logical = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (cores.empty())
        return logical;
    return std::min(logical, static_cast<int>(cores.size()));
}

} // namespace

std::string blasNameFromPath(const std::string &path, bool *isReference)
{
    bool reference = false;
    std::string name;
    if (path.empty())
        name = "none found (LibTorch's built-in kernels)";
    else if (path.find("openblas") != std::string::npos)
        name = path.find("openmp") != std::string::npos    ? "OpenBLAS (OpenMP)"
               : path.find("pthread") != std::string::npos ? "OpenBLAS (pthreads)"
                                                           : "OpenBLAS";
    else if (path.find("blis") != std::string::npos)
        name = "BLIS";
    else if (path.find("atlas") != std::string::npos)
        name = "ATLAS";
    else if (path.find("mkl") != std::string::npos)
        name = "Intel MKL";
    else {
        // Debian's netlib build lives in .../blas/libblas.so.3: the unoptimised reference implementation.
        name = "reference BLAS (netlib)";
        reference = true;
    }
    if (isReference)
        *isReference = reference;
    return name;
}

std::string blasWarning(const SystemInfo &info)
{
    if (!info.referenceBlas)
        return {};
    return "LibTorch is using the reference BLAS (" + info.blasLibrary +
           "), which makes training 16-30x slower. Install libopenblas0-openmp (sudo apt-get install "
           "libopenblas0-openmp) and restart.";
}

SystemInfo systemInfo()
{
    SystemInfo info;
    info.torchVersion = TORCH_VERSION;
    // Make sure LibTorch has touched BLAS so the library is mapped (it is linked, so normally it already is).
    info.blasLibrary = loadedBlasPath();
    info.blasName = blasNameFromPath(info.blasLibrary, &info.referenceBlas);
    info.physicalCores = countPhysicalCores();
    info.logicalCores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    info.torchThreads = torch::get_num_threads();
    info.cudaAvailable = torch::cuda::is_available();
    info.cudaDevices = info.cudaAvailable ? static_cast<int>(torch::cuda::device_count()) : 0;
    return info;
}

bool configureAllocator()
{
#if defined(__GLIBC__)
    constexpr int kMmapThreshold = 256 << 20;
    constexpr int kTrimThreshold = 512 << 20;
    return mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1;
#else
    return false;
#endif
}

int configureThreads()
{
    int cores = countPhysicalCores();
    // LLMF_NUM_THREADS overrides, e.g. to leave a core free for other work.
    if (const char *env = std::getenv("LLMF_NUM_THREADS"); env && std::atoi(env) > 0)
        cores = std::atoi(env);
    torch::set_num_threads(cores);
    return cores;
}

int64_t availableDeviceMemory(const std::string &device)
{
#ifdef LLMF_HAVE_CUDA_RUNTIME
    if (!torch::cuda::is_available())
        return 0;
    const auto colon = device.find(':');
    const int index = colon == std::string::npos ? 0 : std::atoi(device.c_str() + colon + 1);
    int previous = 0;
    size_t freeBytes = 0, totalBytes = 0;
    if (cudaGetDevice(&previous) != cudaSuccess || cudaSetDevice(index) != cudaSuccess)
        return 0;
    const bool ok = cudaMemGetInfo(&freeBytes, &totalBytes) == cudaSuccess;
    cudaSetDevice(previous);
    return ok ? static_cast<int64_t>(freeBytes) : 0;
#else
    (void)device;
    return 0;
#endif
}

bool releaseThisThreadsOpenMPWorkers()
{
    // Looked up rather than linked: core is compiled without -fopenmp, and the runtime is whichever LibTorch loaded.
    using Pause = int (*)(int);
    static const auto pause = reinterpret_cast<Pause>(::dlsym(RTLD_DEFAULT, "omp_pause_resource_all"));
    constexpr int ompPauseSoft = 1; // omp_pause_soft in <omp.h>
    return pause && pause(ompPauseSoft) == 0;
}

void setThreads(int threads)
{
    if (threads > 0)
        torch::set_num_threads(threads);
}

} // namespace llmf
