// Safetensors files: a memory-mapped reader (tensors are zero-copy views of the mapping) and a
// writer. Format: u64 little-endian header size, JSON header {name: {dtype, shape, data_offsets}}, data.
#pragma once

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace distill::model {

struct TensorEntry {
    c10::ScalarType dtype;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0;  // byte offsets into the data section
    std::uint64_t end = 0;
};

class SafetensorsFile {
public:
    // Maps the file and validates the header: throws distill::Error (NotFound, Io for a truncated
    // file, Parse for a bad header, Unsupported for an unknown dtype) naming the file and tensor.
    explicit SafetensorsFile(const std::filesystem::path& path);

    const std::filesystem::path& path() const { return m_path; }
    std::vector<std::string> names() const;
    bool contains(const std::string& name) const { return m_entries.count(name) > 0; }
    const TensorEntry& entry(const std::string& name) const;
    const nlohmann::json& metadata() const { return m_metadata; }
    // A CPU tensor over the mapped bytes (copy-on-write, never touches the file). It keeps the
    // mapping alive; convert or clone it before keeping it long.
    at::Tensor tensor(const std::string& name) const;

private:
    struct Mapping;
    std::filesystem::path m_path;
    std::shared_ptr<Mapping> m_map;
    std::uint64_t m_dataOffset = 0;  // 8 + header size
    std::map<std::string, TensorEntry> m_entries;
    nlohmann::json m_metadata;
};

// Writes `tensors` (any device/dtype; written as stored) in the given order of names.
void writeSafetensors(const std::filesystem::path& path,
                      const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

// "F32" <-> at::kFloat and so on; throws Unsupported for a dtype we do not read.
c10::ScalarType scalarTypeFromSafetensors(const std::string& name);
std::string safetensorsDtypeName(c10::ScalarType type);

}  // namespace distill::model
