#include "core/run/spec_map.h"

#include "core/tokenizer/byte_level.h"
#include "core/util/error.h"

#include <algorithm>

namespace distill::run {

static int lineOf(const YAML::Node& node)
{
    return node.Mark().line + 1;
}

SpecMap::SpecMap(const YAML::Node& node, std::string where) : m_node(node), m_where(std::move(where))
{
    if (!node.IsDefined() || !node.IsMap()) {
        const std::string what = m_where.empty() ? "the job spec" : "'" + m_where + "'";
        const std::string at = node.IsDefined() ? "line " + std::to_string(lineOf(node)) + ": " : "";
        throw Error(ErrorCode::InvalidArgument, at + what + " must be a mapping of keys to values");
    }
}

SpecMap SpecMap::parse(const std::string& text)
{
    // Text that is not UTF-8 is refused here, at its line, before its bytes reach a key's value.
    std::size_t lineNo = 1;
    for (std::size_t begin = 0; begin < text.size(); ++lineNo) {
        const std::size_t end = std::min(text.find('\n', begin), text.size());
        if (!tokenizer::isValidUtf8(std::string_view(text).substr(begin, end - begin)))
            throw Error(ErrorCode::Parse, "job spec line " + std::to_string(lineNo) + ": not valid UTF-8",
                        "save the spec as UTF-8");
        begin = end + 1;
    }
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::Parse, "job spec line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    return SpecMap(root, "");
}

int SpecMap::line() const
{
    return lineOf(m_node);
}

std::string SpecMap::describe(const std::string& key) const
{
    return "'" + key + "'" + (m_where.empty() ? "" : " in " + m_where);
}

void SpecMap::fail(const std::string& key, const std::string& problem) const
{
    const YAML::Node value = m_node[key];
    const int at = value.IsDefined() ? lineOf(value) : line();
    throw Error(ErrorCode::InvalidArgument, "line " + std::to_string(at) + ": " + describe(key) + " " + problem);
}

bool SpecMap::has(const std::string& key) const
{
    return m_node[key].IsDefined() && !m_node[key].IsNull();
}

YAML::Node SpecMap::fetch(const std::string& key) const
{
    m_read.insert(key);
    const YAML::Node value = m_node[key];
    if (value.IsDefined() && !value.IsNull() && !value.IsScalar())
        fail(key, "must be a single value");
    return value;
}

std::string SpecMap::text(const std::string& key, const std::string& fallback) const
{
    const YAML::Node value = fetch(key);
    return value.IsDefined() && !value.IsNull() ? value.Scalar() : fallback;
}

std::string SpecMap::requiredText(const std::string& key) const
{
    const YAML::Node value = fetch(key);
    if (!value.IsDefined() || value.IsNull())
        throw Error(ErrorCode::InvalidArgument, "line " + std::to_string(line()) + ": missing required key "
                                                    + describe(key));
    return value.Scalar();
}

long long SpecMap::integer(const std::string& key, long long fallback, long long min, long long max) const
{
    const YAML::Node value = fetch(key);
    if (!value.IsDefined() || value.IsNull())
        return fallback;
    long long n = 0;
    if (!YAML::convert<long long>::decode(value, n))
        fail(key, "must be an integer, got '" + value.Scalar() + "'");
    if (n < min || n > max)
        fail(key, "must be in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " + std::to_string(n));
    return n;
}

double SpecMap::number(const std::string& key, double fallback, double min, double max) const
{
    const YAML::Node value = fetch(key);
    if (!value.IsDefined() || value.IsNull())
        return fallback;
    double d = 0.0;
    if (!YAML::convert<double>::decode(value, d))
        fail(key, "must be a number, got '" + value.Scalar() + "'");
    if (!(d >= min && d <= max))
        fail(key, "must be in [" + std::to_string(min) + ", " + std::to_string(max) + "], got " + value.Scalar());
    return d;
}

bool SpecMap::boolean(const std::string& key, bool fallback) const
{
    const YAML::Node value = fetch(key);
    if (!value.IsDefined() || value.IsNull())
        return fallback;
    bool b = false;
    if (!YAML::convert<bool>::decode(value, b))
        fail(key, "must be true or false, got '" + value.Scalar() + "'");
    return b;
}

std::vector<std::string> SpecMap::textList(const std::string& key) const
{
    m_read.insert(key);
    const YAML::Node value = m_node[key];
    std::vector<std::string> out;
    if (!value.IsDefined() || value.IsNull())
        return out;
    if (value.IsScalar())
        return {value.Scalar()};
    if (!value.IsSequence())
        fail(key, "must be a list of values");
    for (const YAML::Node& item : value) {
        if (!item.IsScalar())
            fail(key, "must be a list of single values");
        out.push_back(item.Scalar());
    }
    return out;
}

std::optional<SpecMap> SpecMap::child(const std::string& key) const
{
    m_read.insert(key);
    const YAML::Node value = m_node[key];
    if (!value.IsDefined() || value.IsNull())
        return std::nullopt;
    return SpecMap(value, m_where.empty() ? key : m_where + "." + key);
}

YAML::Node SpecMap::node(const std::string& key) const
{
    m_read.insert(key);
    return m_node[key];
}

void SpecMap::finish() const
{
    for (auto it = m_node.begin(); it != m_node.end(); ++it) {
        const std::string key = it->first.Scalar();
        if (!m_read.count(key))
            throw Error(ErrorCode::InvalidArgument,
                        "line " + std::to_string(lineOf(it->first)) + ": unknown key " + describe(key));
    }
}

}  // namespace distill::run
