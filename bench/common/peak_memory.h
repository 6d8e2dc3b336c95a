// Peak memory of a benchmark run: the CUDA caching allocator's peak allocated/reserved bytes
// (when built against CUDA libtorch), or the process's peak resident set (VmHWM) on the CPU.
#pragma once

#include <c10/core/Device.h>

#include <cstdint>
#include <string>

namespace distill::bench {

struct PeakMemory {
    std::int64_t bytes = -1;          // CUDA: peak allocated; CPU: VmHWM. -1: not available
    std::int64_t reservedBytes = -1;  // CUDA only: peak reserved by the caching allocator
    std::string source;               // what was measured, for the printout
};

// Starts a measurement: CUDA empties the allocator cache and resets its peak statistics; the CPU
// resets VmHWM to the current resident set (Linux /proc/self/clear_refs; else the process peak).
void resetPeakMemory(c10::Device device);
PeakMemory peakMemory(c10::Device device);

// True when this build can read CUDA allocator statistics.
bool hasCudaMemoryStats();

}  // namespace distill::bench
