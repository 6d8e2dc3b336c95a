#include "core/model/gguf_writer.h"

#include "core/util/error.h"
#include "core/util/replacing_file.h"

#include <type_traits>

namespace distill::model {

namespace {

constexpr std::uint64_t kAlignment = 32;

enum class ValueType : std::uint32_t { U32 = 4, I32 = 5, F32 = 6, Bool = 7, String = 8, Array = 9 };

template <class T>
void put(std::string& out, T value)
{
    static_assert(std::is_trivially_copyable_v<T>);
    out.append(reinterpret_cast<const char*>(&value), sizeof value);  // GGUF is little-endian, as x86 and ARM
}

void putString(std::string& out, const std::string& s)
{
    put<std::uint64_t>(out, s.size());
    out += s;
}

void putValue(std::string& out, const GgufWriter::Value& value)
{
    std::visit(
        [&out](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>) {
                put(out, ValueType::String);
                putString(out, v);
            } else if constexpr (std::is_same_v<T, std::uint32_t>) {
                put(out, ValueType::U32);
                put(out, v);
            } else if constexpr (std::is_same_v<T, std::int32_t>) {
                put(out, ValueType::I32);
                put(out, v);
            } else if constexpr (std::is_same_v<T, float>) {
                put(out, ValueType::F32);
                put(out, v);
            } else if constexpr (std::is_same_v<T, bool>) {
                put(out, ValueType::Bool);
                put<std::uint8_t>(out, v ? 1 : 0);
            } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                put(out, ValueType::Array);
                put(out, ValueType::String);
                put<std::uint64_t>(out, v.size());
                for (const auto& s : v)
                    putString(out, s);
            } else {
                put(out, ValueType::Array);
                put(out, ValueType::I32);
                put<std::uint64_t>(out, v.size());
                for (const std::int32_t i : v)
                    put(out, i);
            }
        },
        value);
}

void pad(std::string& out, std::uint64_t written)
{
    out.append(std::size_t((kAlignment - written % kAlignment) % kAlignment), '\0');
}

}  // namespace

std::uint64_t ggmlRowBytes(GgmlType type, std::int64_t elements)
{
    const auto n = std::uint64_t(elements);
    switch (type) {
    case GgmlType::F32: return n * 4;
    case GgmlType::F16:
    case GgmlType::BF16: return n * 2;
    case GgmlType::Q8_0: return n / 32 * 34;
    }
    return 0;
}

std::uint64_t GgufWriter::Tensor::bytes() const
{
    std::int64_t rows = 1;
    for (std::size_t i = 0; i + 1 < shape.size(); ++i)
        rows *= shape[i];
    return std::uint64_t(rows) * ggmlRowBytes(type, shape.empty() ? 1 : shape.back());
}

void GgufWriter::set(std::string key, Value value)
{
    m_metadata.emplace_back(std::move(key), std::move(value));
}

void GgufWriter::addTensor(std::string name, std::vector<std::int64_t> shape, GgmlType type,
                           std::function<void(std::string&)> fill)
{
    if (type == GgmlType::Q8_0 && (shape.empty() || shape.back() % 32 != 0))
        throw Error(ErrorCode::Internal, "q8_0 rows of " + name + " are not whole blocks of 32");
    m_tensors.push_back({std::move(name), std::move(shape), type, std::move(fill)});
}

void GgufWriter::write(const std::filesystem::path& path) const
{
    std::string head = "GGUF";
    put<std::uint32_t>(head, 3);
    put<std::uint64_t>(head, m_tensors.size());
    put<std::uint64_t>(head, m_metadata.size());
    for (const auto& [key, value] : m_metadata) {
        putString(head, key);
        putValue(head, value);
    }
    std::uint64_t offset = 0;
    for (const Tensor& t : m_tensors) {
        putString(head, t.name);
        put<std::uint32_t>(head, std::uint32_t(t.shape.size()));
        for (auto d = t.shape.rbegin(); d != t.shape.rend(); ++d)
            put<std::uint64_t>(head, std::uint64_t(*d));
        put(head, t.type);
        put<std::uint64_t>(head, offset);
        offset += (t.bytes() + kAlignment - 1) / kAlignment * kAlignment;
    }
    pad(head, head.size());

    util::ReplacingFile file(path.string());
    file.write(head);
    std::string data;
    for (const Tensor& t : m_tensors) {
        data.clear();
        t.fill(data);
        if (data.size() != t.bytes())
            throw Error(ErrorCode::Internal, "tensor " + t.name + " gave " + std::to_string(data.size()) + " bytes, not "
                                                 + std::to_string(t.bytes()));
        pad(data, data.size());
        file.write(data);
    }
    file.commit();
}

}  // namespace distill::model
