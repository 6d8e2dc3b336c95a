#include "bench/common/peak_memory.h"

#if __has_include(<c10/cuda/CUDACachingAllocator.h>) && __has_include(<cuda_runtime_api.h>)
#include <c10/cuda/CUDACachingAllocator.h>
#define DISTILL_BENCH_CUDA_STATS 1
#endif

#include <fstream>
#include <sstream>

namespace distill::bench {

namespace {

[[maybe_unused]] c10::DeviceIndex cudaIndex(c10::Device device)
{
    return device.has_index() ? device.index() : c10::DeviceIndex(0);
}

// VmHWM of /proc/self/status in bytes, -1 when not readable.
std::int64_t vmHwmBytes()
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            std::istringstream fields(line.substr(6));
            std::int64_t kib = -1;
            fields >> kib;
            return kib < 0 ? -1 : kib * 1024;
        }
    }
    return -1;
}

}  // namespace

bool hasCudaMemoryStats()
{
#ifdef DISTILL_BENCH_CUDA_STATS
    return true;
#else
    return false;
#endif
}

void resetPeakMemory(c10::Device device)
{
    if (device.is_cuda()) {
#ifdef DISTILL_BENCH_CUDA_STATS
        c10::cuda::CUDACachingAllocator::emptyCache();
        c10::cuda::CUDACachingAllocator::resetPeakStats(cudaIndex(device));
#endif
        return;
    }
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";  // resets VmHWM to the current resident set (Linux 4.0+)
}

PeakMemory peakMemory(c10::Device device)
{
    PeakMemory peak;
    if (device.is_cuda()) {
#ifdef DISTILL_BENCH_CUDA_STATS
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(cudaIndex(device));
        peak.bytes = stats.allocated_bytes[0].peak;  // [0]: StatType::AGGREGATE
        peak.reservedBytes = stats.reserved_bytes[0].peak;
        peak.source = "CUDA caching allocator, peak allocated";
#else
        peak.source = "no CUDA allocator statistics in this build";
#endif
        return peak;
    }
    peak.bytes = vmHwmBytes();
    peak.source = "VmHWM, peak resident set";
    return peak;
}

}  // namespace distill::bench
