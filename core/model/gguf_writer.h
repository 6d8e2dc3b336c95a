// A GGUF file writer (version 3, as llama.cpp reads it): typed key-value metadata, then tensor
// infos (name, dims innermost first, ggml type, offset) and the tensor data, each aligned to 32 bytes.
// Tensor bytes come from a callback at write time, so a model is converted one tensor at a time.
// The file is written beside its target and renamed into place (util::ReplacingFile).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace distill::model {

enum class GgmlType : std::uint32_t { F32 = 0, F16 = 1, Q8_0 = 8, BF16 = 30 };

// Bytes of a row of `elements` values of `type` (Q8_0: blocks of 32, each an f16 scale and 32 int8).
std::uint64_t ggmlRowBytes(GgmlType type, std::int64_t elements);

class GgufWriter {
public:
    using Value = std::variant<std::string, std::uint32_t, std::int32_t, float, bool, std::vector<std::string>,
                               std::vector<std::int32_t>>;

    void set(std::string key, Value value);
    // `shape` as PyTorch gives it (outermost first); written reversed, as ggml counts dimensions.
    // `fill` appends exactly the tensor's bytes to its argument.
    void addTensor(std::string name, std::vector<std::int64_t> shape, GgmlType type,
                   std::function<void(std::string&)> fill);
    // Writes the file; Io naming it on failure, Internal when a tensor's bytes are not its size.
    void write(const std::filesystem::path& path) const;

private:
    struct Tensor {
        std::string name;
        std::vector<std::int64_t> shape;
        GgmlType type;
        std::function<void(std::string&)> fill;
        std::uint64_t bytes() const;
    };
    std::vector<std::pair<std::string, Value>> m_metadata;
    std::vector<Tensor> m_tensors;
};

}  // namespace distill::model
