#include "core/model/safetensors.h"

#include "core/model/safetensors_header.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

namespace distill::model {

namespace {

const std::vector<std::pair<std::string, c10::ScalarType>>& dtypeTable()
{
    static const std::vector<std::pair<std::string, c10::ScalarType>> table = {
        {"F64", at::kDouble}, {"F32", at::kFloat}, {"F16", at::kHalf},  {"BF16", at::kBFloat16},
        {"I64", at::kLong},   {"I32", at::kInt},   {"I16", at::kShort}, {"I8", at::kChar},
        {"U8", at::kByte},    {"BOOL", at::kBool},
    };
    return table;
}

}  // namespace

c10::ScalarType scalarTypeFromSafetensors(const std::string& name)
{
    for (const auto& [n, t] : dtypeTable())
        if (n == name)
            return t;
    throw Error(ErrorCode::Unsupported, "safetensors dtype '" + name + "' is not supported");
}

std::string safetensorsDtypeName(c10::ScalarType type)
{
    for (const auto& [n, t] : dtypeTable())
        if (t == type)
            return n;
    throw Error(ErrorCode::Unsupported, std::string("cannot store dtype ") + c10::toString(type) + " in safetensors");
}

struct SafetensorsFile::Mapping {
    void* base = nullptr;
    std::size_t size = 0;
    ~Mapping()
    {
        if (base && base != MAP_FAILED)
            munmap(base, size);
    }
};

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path) : m_path(path), m_map(std::make_shared<Mapping>())
{
    const std::string file = path.string();
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error(ErrorCode::NotFound, "cannot open " + file + ": " + std::strerror(errno));
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        ::close(fd);
        throw Error(ErrorCode::Io, "cannot stat " + file);
    }
    m_map->size = std::size_t(st.st_size);
    if (m_map->size < 8) {
        ::close(fd);
        parseSafetensorsHeader(nullptr, m_map->size, file);  // throws: too short for a header
    }
    // Private + writable: torch::from_blob wants a mutable pointer; writes never reach the file.
    m_map->base = mmap(nullptr, m_map->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (m_map->base == MAP_FAILED)
        throw Error(ErrorCode::Io, "cannot map " + file + ": " + std::strerror(errno));

    SafetensorsHeader header =
        parseSafetensorsHeader(static_cast<const unsigned char*>(m_map->base), m_map->size, file);
    m_dataOffset = header.dataOffset;
    m_metadata = std::move(header.metadata);
    for (auto& [name, t] : header.tensors)
        m_entries.emplace(name, TensorEntry{scalarTypeFromSafetensors(t.dtype), std::move(t.shape), t.begin, t.end});
}

std::vector<std::string> SafetensorsFile::names() const
{
    std::vector<std::string> out;
    out.reserve(m_entries.size());
    for (const auto& [name, e] : m_entries)
        out.push_back(name);
    return out;
}

const TensorEntry& SafetensorsFile::entry(const std::string& name) const
{
    const auto it = m_entries.find(name);
    if (it == m_entries.end())
        throw Error(ErrorCode::NotFound, m_path.string() + " has no tensor '" + name + "'");
    return it->second;
}

at::Tensor SafetensorsFile::tensor(const std::string& name) const
{
    const TensorEntry& e = entry(name);
    auto* data = static_cast<char*>(m_map->base) + m_dataOffset + e.begin;
    std::shared_ptr<Mapping> keep = m_map;
    return torch::from_blob(data, e.shape, [keep](void*) mutable { keep.reset(); },
                            torch::TensorOptions().dtype(e.dtype));
}

void writeSafetensors(const std::filesystem::path& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata)
{
    nlohmann::ordered_json header;
    if (!metadata.empty())
        header["__metadata__"] = metadata;
    std::vector<at::Tensor> data;
    std::uint64_t offset = 0;
    for (const auto& [name, t] : tensors) {
        at::Tensor c = t.detach().to(torch::kCPU).contiguous();
        const std::uint64_t bytes = std::uint64_t(c.numel()) * c.element_size();
        header[name] = {{"dtype", safetensorsDtypeName(c.scalar_type())},
                        {"shape", c.sizes().vec()},
                        {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
        data.push_back(std::move(c));
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out)
        throw Error(ErrorCode::Io, "cannot write " + path.string());
    unsigned char size[8];
    std::uint64_t n = text.size();
    for (int i = 0; i < 8; ++i, n >>= 8)
        size[i] = static_cast<unsigned char>(n & 0xff);
    out.write(reinterpret_cast<const char*>(size), 8);
    out.write(text.data(), std::streamsize(text.size()));
    for (const at::Tensor& c : data)
        out.write(static_cast<const char*>(c.data_ptr()), std::streamsize(c.numel() * c.element_size()));
    if (!out)
        throw Error(ErrorCode::Io, "writing " + path.string() + " failed");
}

}  // namespace distill::model
