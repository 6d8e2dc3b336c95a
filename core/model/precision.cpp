#include "core/model/precision.h"

#include "core/util/error.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include <cstdlib>
#include <mutex>

namespace distill::model {

std::string_view precisionName(Precision precision)
{
    switch (precision) {
    case Precision::Auto: return "auto";
    case Precision::Float32: return "float32";
    case Precision::BFloat16: return "bf16";
    }
    return "auto";
}

Precision parsePrecision(std::string_view text)
{
    if (text == "auto")
        return Precision::Auto;
    if (text == "float32" || text == "fp32")
        return Precision::Float32;
    if (text == "bf16" || text == "bfloat16")
        return Precision::BFloat16;
    throw Error(ErrorCode::InvalidArgument, "unknown dtype '" + std::string(text) + "'", "auto, float32 or bf16");
}

c10::Device parseDevice(const std::string& text, const std::string& where)
{
    const auto unknown = [&] {
        return Error(ErrorCode::InvalidArgument, where + ": unknown device '" + text + "'", "cpu, cuda or cuda:N");
    };
    if (text != "cpu" && text != "cuda" && !text.starts_with("cuda:"))
        throw unknown();
    try {
        return c10::Device(text);
    } catch (const std::exception&) {
        throw unknown();
    }
}

c10::Device availableDevice(const std::string& text, const std::string& where)
{
    const c10::Device device = parseDevice(text, where);
    if (!device.is_cuda()) {
        useCpuThreadDefault();
        return device;
    }
    const auto count = torch::cuda::device_count();
    if (count == 0)
        throw Error(ErrorCode::Unsupported, where + " " + text + ": no CUDA device (or a libtorch without CUDA)",
                    "use device: cpu");
    if (device.has_index() && std::size_t(device.index()) >= count)
        throw Error(ErrorCode::Unsupported, where + " " + text + ": this machine has " + std::to_string(count) + " CUDA device(s)");
    return device;
}

c10::ScalarType inferenceDtype(Precision precision, c10::Device device)
{
    switch (precision) {
    case Precision::Float32: return c10::kFloat;
    case Precision::BFloat16: return c10::kBFloat16;
    case Precision::Auto: break;
    }
    return device.is_cuda() ? c10::kBFloat16 : c10::kFloat;
}

bool trainingAutocast(Precision precision, c10::Device device)
{
    if (precision == Precision::BFloat16 && !device.is_cuda())
        throw Error(ErrorCode::Unsupported, "bf16 training needs a CUDA device", "train with dtype float32 (or auto) on the CPU");
    return device.is_cuda() && precision != Precision::Float32;
}

void useCpuThreadDefault()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (!std::getenv("OMP_NUM_THREADS"))
            at::set_num_threads(1);
    });
}

std::vector<std::string> cudaDevices()
{
    std::vector<std::string> out;
    for (std::size_t i = 0; i < torch::cuda::device_count(); ++i)
        out.push_back("cuda:" + std::to_string(i));
    return out;
}

}  // namespace distill::model
