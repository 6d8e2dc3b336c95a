// Where a model runs and in which precision: the `device` (cpu, cuda, cuda:N) and `dtype` (auto,
// float32, bf16) keys that every job, command and GUI form share. On CUDA, auto means bf16 — bf16
// weights for inference, bf16 autocast over float32 master weights and optimizer state for training;
// on the CPU it means float32.
#pragma once

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <string>
#include <string_view>
#include <vector>

namespace distill::model {

enum class Precision { Auto, Float32, BFloat16 };

std::string_view precisionName(Precision precision);  // "auto", "float32", "bf16"
// "auto", "float32" (or "fp32"), "bf16" (or "bfloat16"); InvalidArgument naming the choices otherwise.
Precision parsePrecision(std::string_view text);

// "cpu", "cuda", "cuda:N" (`where` names the key or option in the message): InvalidArgument for other
// text. Specs check their text with it; the device need not exist where the spec is written.
c10::Device parseDevice(const std::string& text, const std::string& where = "device");
// parseDevice, then Unsupported when this process has no such CUDA device: what a job or command
// calls before it places a model. For the CPU it also applies useCpuThreadDefault().
c10::Device availableDevice(const std::string& text, const std::string& where = "device");

// One intra-op thread for tensor work on the CPU unless OMP_NUM_THREADS says otherwise; matrix
// products keep all of BLAS's threads. libtorch's OpenMP pool and OpenBLAS's own pthread pool (as
// Debian builds them), each one thread per core, take cores from each other: on 2 cores a second
// intra-op thread made batched generation 2x (libtorch 1.13) to 15x (2.6) and SFT 1.3-2x slower
// (docs/training.md). libtorch 1.13 here already defaulted to one, 2.6 to one per core.
// Idempotent; the first call decides.
void useCpuThreadDefault();

// The weights' dtype for inference on `device`: auto is bf16 on CUDA, float32 on the CPU.
c10::ScalarType inferenceDtype(Precision precision, c10::Device device);
// Whether training on `device` runs under bf16 autocast (master weights and optimizer stay float32):
// auto on CUDA, and bf16 on CUDA. Unsupported for bf16 on the CPU.
bool trainingAutocast(Precision precision, c10::Device device);

// The CUDA devices this process sees, as "cuda:0", "cuda:1", ... (empty without CUDA).
std::vector<std::string> cudaDevices();

}  // namespace distill::model
