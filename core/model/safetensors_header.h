// The header of a safetensors file, read and checked against the file's size without torch:
// u64 little-endian header size, then a JSON object {name: {dtype, shape, data_offsets}}.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace distill::model {

// Largest header accepted (the safetensors library's own limit).
constexpr std::uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;

struct HeaderTensor {
    std::string dtype;  // "F32", "BF16", …
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0;  // byte offsets into the data section
    std::uint64_t end = 0;
};

struct SafetensorsHeader {
    std::uint64_t dataOffset = 0;  // 8 + header size
    std::map<std::string, HeaderTensor> tensors;
    nlohmann::json metadata;  // "__metadata__", null when absent
};

// Bytes per element of a safetensors dtype name; 0 for a dtype we do not read.
std::size_t safetensorsElementSize(std::string_view dtype);

// Reads the header from the start of a file of `fileSize` bytes (`bytes` holds at least
// min(fileSize, 8 + header size) of them). Throws distill::Error naming `file` and the tensor:
// Io for a truncated file, Parse for a malformed header or a byte range that does not match the
// shape, Unsupported for an unknown dtype.
SafetensorsHeader parseSafetensorsHeader(const unsigned char* bytes, std::uint64_t fileSize, const std::string& file);

}  // namespace distill::model
