#include "core/model/safetensors_header.h"

#include "core/util/error.h"
#include "core/util/json_depth.h"

#include <array>
#include <utility>

namespace distill::model {

std::size_t safetensorsElementSize(std::string_view dtype)
{
    static constexpr std::array<std::pair<std::string_view, std::size_t>, 10> sizes = {{
        {"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8},
        {"I32", 4}, {"I16", 2}, {"I8", 1},  {"U8", 1},   {"BOOL", 1},
    }};
    for (const auto& [name, size] : sizes)
        if (name == dtype)
            return size;
    return 0;
}

namespace {

HeaderTensor readTensor(const std::string& file, const std::string& name, const nlohmann::json& value,
                        std::uint64_t dataSize)
{
    const auto bad = [&](const std::string& what) {
        return Error(ErrorCode::Parse, file + ": tensor '" + name + "' " + what);
    };
    if (!value.is_object())
        throw bad("is not an object");
    HeaderTensor t;
    const auto dtype = value.find("dtype");
    if (dtype == value.end() || !dtype->is_string())
        throw bad("has no dtype");
    t.dtype = dtype->get<std::string>();
    const std::size_t elementSize = safetensorsElementSize(t.dtype);
    if (elementSize == 0)
        throw Error(ErrorCode::Unsupported, file + ": tensor '" + name + "': safetensors dtype '" + t.dtype
                                                + "' is not supported");
    const auto shape = value.find("shape");
    if (shape == value.end() || !shape->is_array())
        throw bad("has no shape");
    std::uint64_t bytes = elementSize;
    for (const auto& d : *shape) {
        if (!d.is_number_unsigned())
            throw bad("has a dimension that is not a non-negative integer");
        const std::uint64_t dim = d.get<std::uint64_t>();
        if (dim > std::uint64_t(INT64_MAX) || __builtin_mul_overflow(bytes, dim, &bytes))
            throw bad("has a shape of more than 2^64 bytes");
        t.shape.push_back(std::int64_t(dim));
    }
    const auto offsets = value.find("data_offsets");
    if (offsets == value.end() || !offsets->is_array() || offsets->size() != 2 || !(*offsets)[0].is_number_unsigned()
        || !(*offsets)[1].is_number_unsigned())
        throw bad("has bad data_offsets");
    t.begin = (*offsets)[0].get<std::uint64_t>();
    t.end = (*offsets)[1].get<std::uint64_t>();
    if (t.begin > t.end)
        throw bad("has bad data_offsets");
    if (t.end - t.begin != bytes)
        throw bad("byte range does not match its shape");
    if (t.end > dataSize)
        throw Error(ErrorCode::Io, file + " is truncated: tensor '" + name + "' ends at byte " + std::to_string(t.end)
                                       + " of a " + std::to_string(dataSize) + "-byte data section");
    return t;
}

}  // namespace

SafetensorsHeader parseSafetensorsHeader(const unsigned char* bytes, std::uint64_t fileSize, const std::string& file)
{
    if (fileSize < 8)
        throw Error(ErrorCode::Io, file + " is truncated: " + std::to_string(fileSize) + " bytes, no header");
    std::uint64_t headerSize = 0;
    for (int i = 7; i >= 0; --i)
        headerSize = (headerSize << 8) | bytes[i];
    if (headerSize > kMaxSafetensorsHeaderBytes)
        throw Error(ErrorCode::Parse, file + ": safetensors header of " + std::to_string(headerSize)
                                          + " bytes, more than the limit of " + std::to_string(kMaxSafetensorsHeaderBytes));
    if (headerSize > fileSize - 8)
        throw Error(ErrorCode::Io, file + " is truncated: header of " + std::to_string(headerSize) + " bytes, file of "
                                       + std::to_string(fileSize));
    const std::string_view text(reinterpret_cast<const char*>(bytes + 8), headerSize);
    util::checkJsonDepth(text, file);
    nlohmann::json header;
    try {
        header = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::Parse, file + ": bad safetensors header: " + e.what());
    }
    if (!header.is_object())
        throw Error(ErrorCode::Parse, file + ": safetensors header is not an object");
    SafetensorsHeader out;
    out.dataOffset = 8 + headerSize;
    const std::uint64_t dataSize = fileSize - out.dataOffset;
    for (const auto& [name, value] : header.items()) {
        if (name == "__metadata__")
            out.metadata = value;
        else
            out.tensors.emplace(name, readTensor(file, name, value, dataSize));
    }
    return out;
}

}  // namespace distill::model
