#include "core/tokenizer/jinja_value.h"

#include "core/tokenizer/byte_level.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace distill::tokenizer::jinja {

const Value* ValueDict::find(const std::string& key) const
{
    for (const auto& [k, v] : items)
        if (k == key)
            return &v;
    return nullptr;
}

void ValueDict::set(const std::string& key, Value value)
{
    for (auto& [k, v] : items)
        if (k == key) {
            v = std::move(value);
            return;
        }
    items.emplace_back(key, std::move(value));
}

Value Value::none()
{
    Value v;
    v.m_kind = Kind::None;
    return v;
}

Value::Value(bool b) : m_kind(Kind::Bool), m_bool(b) {}
Value::Value(std::int64_t i) : m_kind(Kind::Int), m_int(i) {}
Value::Value(double d) : m_kind(Kind::Float), m_double(d) {}
namespace {

thread_local ValueArena* t_arena = nullptr;

[[noreturn]] void tooLong(std::size_t bytes)
{
    throw Error(ErrorCode::InvalidArgument, "chat template: a string of " + std::to_string(bytes)
                                                + " bytes, more than the limit of " + std::to_string(kMaxTemplateString));
}

[[noreturn]] void tooDeep()
{
    throw Error(ErrorCode::InvalidArgument,
                "chat template: a value nested deeper than " + std::to_string(kMaxValueDepth) + " levels");
}

}  // namespace

ValueArena::ValueArena() : m_outer(t_arena)
{
    t_arena = this;
}

ValueArena::~ValueArena()
{
    t_arena = m_outer;
    // Emptying a container may free others; each was recorded, and is only emptied while alive.
    for (auto& weak : m_functions)
        if (auto fn = weak.lock())
            *fn = nullptr;
    for (auto& weak : m_lists)
        if (auto list = weak.lock())
            ValueList().swap(*list);
    for (auto& weak : m_dicts)
        if (auto dict = weak.lock())
            decltype(dict->items)().swap(dict->items);
}

void ValueArena::add(std::weak_ptr<ValueList> list)
{
    m_lists.push_back(std::move(list));
    compact();
}

void ValueArena::add(std::weak_ptr<ValueDict> dict)
{
    m_dicts.push_back(std::move(dict));
    compact();
}

void ValueArena::add(std::weak_ptr<NativeFunction> fn)
{
    m_functions.push_back(std::move(fn));
    compact();
}

// Drops the records of containers already freed, whenever the records have doubled.
void ValueArena::compact()
{
    if (m_lists.size() + m_dicts.size() + m_functions.size() < m_compactAt)
        return;
    const auto expired = [](const auto& weak) { return weak.expired(); };
    std::erase_if(m_lists, expired);
    std::erase_if(m_dicts, expired);
    std::erase_if(m_functions, expired);
    m_compactAt = std::max<std::size_t>(4096, 2 * (m_lists.size() + m_dicts.size() + m_functions.size()));
}

void ValueArena::charge(std::size_t bytes)
{
    m_bytes += bytes;
    if (m_bytes > kMaxRenderBytes)
        throw Error(ErrorCode::InvalidArgument, "chat template: the render made more than "
                                                    + std::to_string(kMaxRenderBytes >> 20) + " MiB of values");
}

Value::Value(std::string s) : m_kind(Kind::String)
{
    if (s.size() > kMaxTemplateString)
        tooLong(s.size());
    if (t_arena)
        t_arena->charge(s.size());
    m_string = std::make_shared<const std::string>(std::move(s));
}

const std::string& Value::str() const
{
    static const std::string empty;
    return m_string ? *m_string : empty;
}

Value Value::list(ValueList items)
{
    Value v;
    v.m_kind = Kind::List;
    if (t_arena)
        t_arena->charge(items.size() * sizeof(Value));
    v.m_list = std::make_shared<ValueList>(std::move(items));
    if (t_arena)
        t_arena->add(v.m_list);
    return v;
}

Value Value::dict(ValueDict d)
{
    Value v;
    v.m_kind = Kind::Dict;
    if (t_arena)
        t_arena->charge(d.items.size() * sizeof(d.items.front()));
    v.m_dict = std::make_shared<ValueDict>(std::move(d));
    if (t_arena)
        t_arena->add(v.m_dict);
    return v;
}

Value Value::function(NativeFunction fn)
{
    Value v;
    v.m_kind = Kind::Function;
    v.m_fn = std::make_shared<NativeFunction>(std::move(fn));
    if (t_arena)
        t_arena->add(v.m_fn);
    return v;
}

namespace {

Value deepCopyAt(const Value& v, int depth)
{
    if (depth > kMaxValueDepth)
        tooDeep();
    if (v.isList()) {
        ValueList items;
        for (const Value& item : v.items())
            items.push_back(deepCopyAt(item, depth + 1));
        return Value::list(std::move(items));
    }
    if (v.isDict()) {
        ValueDict d;
        for (const auto& [k, item] : v.entries().items)
            d.items.emplace_back(k, deepCopyAt(item, depth + 1));
        return Value::dict(std::move(d));
    }
    return v;
}

}  // namespace

Value Value::deepCopy() const
{
    return deepCopyAt(*this, 0);
}

Value Value::fromJson(const nlohmann::ordered_json& j)
{
    return fromJsonAt(j, 0);
}

Value Value::fromJsonAt(const nlohmann::ordered_json& j, int depth)
{
    if (depth > kMaxValueDepth)
        tooDeep();
    switch (j.type()) {
    case nlohmann::ordered_json::value_t::null:
        return none();
    case nlohmann::ordered_json::value_t::boolean:
        return Value(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer:
    case nlohmann::ordered_json::value_t::number_unsigned:
        return Value(j.get<std::int64_t>());
    case nlohmann::ordered_json::value_t::number_float:
        return Value(j.get<double>());
    case nlohmann::ordered_json::value_t::string:
        return Value(j.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
        ValueList items;
        for (const auto& e : j)
            items.push_back(fromJsonAt(e, depth + 1));
        return list(std::move(items));
    }
    case nlohmann::ordered_json::value_t::object: {
        ValueDict d;
        for (auto it = j.begin(); it != j.end(); ++it)
            d.items.emplace_back(it.key(), fromJsonAt(it.value(), depth + 1));
        return dict(std::move(d));
    }
    default:
        return Value();
    }
}

std::int64_t Value::asInt() const
{
    switch (m_kind) {
    case Kind::Bool:
        return m_bool ? 1 : 0;
    case Kind::Int:
        return m_int;
    case Kind::Float:
        // 2^63 is exact as a double; anything from it up (and NaN) has no int64.
        if (!(m_double >= -9223372036854775808.0 && m_double < 9223372036854775808.0))
            throw Error(ErrorCode::InvalidArgument, "chat template: " + formatFloat(m_double) + " is not a 64-bit integer");
        return std::int64_t(m_double);
    default:
        throw Error(ErrorCode::InvalidArgument, "chat template: expected a number, got " + repr());
    }
}

double Value::asDouble() const
{
    return m_kind == Kind::Float ? m_double : double(asInt());
}

bool Value::truthy() const
{
    switch (m_kind) {
    case Kind::Undefined:
    case Kind::None:
        return false;
    case Kind::Bool:
        return m_bool;
    case Kind::Int:
        return m_int != 0;
    case Kind::Float:
        return m_double != 0.0;
    case Kind::String:
        return !str().empty();
    case Kind::List:
        return !m_list->empty();
    case Kind::Dict:
        return !m_dict->items.empty();
    case Kind::Function:
        return true;
    }
    return false;
}

std::size_t Value::length() const
{
    switch (m_kind) {
    case Kind::String: {
        std::size_t n = 0;
        for (const char c : str())
            n += (std::uint8_t(c) & 0xC0) != 0x80;
        return n;
    }
    case Kind::List:
        return m_list->size();
    case Kind::Dict:
        return m_dict->items.size();
    case Kind::Undefined:
        return 0;
    default:
        throw Error(ErrorCode::InvalidArgument, "chat template: object of type " + repr() + " has no length");
    }
}

std::string formatFloat(double d)
{
    if (std::isnan(d))
        return "nan";
    if (std::isinf(d))
        return d > 0 ? "inf" : "-inf";
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, d);
    std::string s(buf, res.ptr);
    // Python switches to exponent notation at 1e16 and below 1e-4; to_chars picks the shortest form.
    const double a = std::fabs(d);
    if (a != 0.0 && (a >= 1e16 || a < 1e-4)) {
        const auto r2 = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
        s.assign(buf, r2.ptr);
        const auto e = s.find('e');
        const int exponent = std::stoi(s.substr(e + 1));
        char formatted[64];
        std::snprintf(formatted, sizeof formatted, "%se%c%02d", s.substr(0, e).c_str(), exponent < 0 ? '-' : '+',
                      std::abs(exponent));
        return formatted;
    }
    if (s.find_first_of(".e") == std::string::npos) {
        const auto r3 = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
        s.assign(buf, r3.ptr);
        if (s.find('.') == std::string::npos)
            s += ".0";
    }
    return s;
}

std::string Value::toString() const
{
    switch (m_kind) {
    case Kind::Undefined:
        return "";
    case Kind::String:
        return str();
    default:
        return repr();
    }
}

std::string Value::repr() const
{
    return reprAt(0);
}

std::string Value::reprAt(int depth) const
{
    if (depth > kMaxValueDepth)
        tooDeep();
    switch (m_kind) {
    case Kind::Undefined:
        return "";
    case Kind::None:
        return "None";
    case Kind::Bool:
        return m_bool ? "True" : "False";
    case Kind::Int:
        return std::to_string(m_int);
    case Kind::Float:
        return formatFloat(m_double);
    case Kind::String: {
        const std::string& text = str();
        const bool useDouble = text.find('\'') != std::string::npos && text.find('"') == std::string::npos;
        const char quote = useDouble ? '"' : '\'';
        std::string out(1, quote);
        for (const char c : text) {
            if (c == quote || c == '\\')
                out += '\\', out += c;
            else if (c == '\n')
                out += "\\n";
            else if (c == '\r')
                out += "\\r";
            else if (c == '\t')
                out += "\\t";
            else
                out += c;
        }
        return out + quote;
    }
    case Kind::List: {
        std::string out = "[";
        for (std::size_t i = 0; i < m_list->size(); ++i)
            out += (i ? ", " : "") + (*m_list)[i].reprAt(depth + 1);
        return out + "]";
    }
    case Kind::Dict: {
        std::string out = "{";
        bool first = true;
        for (const auto& [k, v] : m_dict->items) {
            out += (first ? "" : ", ") + Value(k).repr() + ": " + v.reprAt(depth + 1);
            first = false;
        }
        return out + "}";
    }
    case Kind::Function:
        return "<function>";
    }
    return "";
}

namespace {

void jsonString(std::string& out, const std::string& s, bool ensureAscii)
{
    out += '"';
    std::size_t pos = 0;
    while (pos < s.size()) {
        const char c = s[pos];
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (std::uint8_t(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(std::uint8_t(c)));
                out += buf;
            } else if (ensureAscii && std::uint8_t(c) >= 0x80) {
                std::size_t next = pos;
                char32_t cp = nextCodePoint(s, next);
                char buf[16];
                if (cp >= 0x10000) {  // UTF-16 surrogate pair, as Python writes it
                    cp -= 0x10000;
                    std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", unsigned(0xD800 + (cp >> 10)),
                                  unsigned(0xDC00 + (cp & 0x3FF)));
                } else {
                    std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(cp));
                }
                out += buf;
                pos = next;
                continue;
            } else {
                out += c;
            }
        }
        ++pos;
    }
    out += '"';
}

void jsonValue(std::string& out, const Value& v, const Value::JsonOptions& o, int depth)
{
    if (depth > kMaxValueDepth)
        tooDeep();
    if (out.size() > kMaxTemplateString)
        tooLong(out.size());
    const auto newline = [&](int d) {
        if (o.indent >= 0) {
            out += '\n';
            out.append(std::size_t(o.indent * d), ' ');
        }
    };
    const std::string itemSep = !o.itemSeparator.empty() ? o.itemSeparator : o.indent >= 0 ? "," : ", ";
    switch (v.kind()) {
    case Value::Kind::Undefined:
    case Value::Kind::None:
        out += "null";
        break;
    case Value::Kind::Bool:
        out += v.asBool() ? "true" : "false";
        break;
    case Value::Kind::Int:
        out += std::to_string(v.asInt());
        break;
    case Value::Kind::Float: {
        const double d = v.asDouble();
        out += std::isnan(d) ? "NaN" : std::isinf(d) ? (d > 0 ? "Infinity" : "-Infinity") : formatFloat(d);
        break;
    }
    case Value::Kind::String:
        jsonString(out, v.str(), o.ensureAscii);
        break;
    case Value::Kind::List:
        if (v.items().empty()) {
            out += "[]";
            break;
        }
        out += '[';
        for (std::size_t i = 0; i < v.items().size(); ++i) {
            if (i)
                out += itemSep;
            newline(depth + 1);
            jsonValue(out, v.items()[i], o, depth + 1);
        }
        newline(depth);
        out += ']';
        break;
    case Value::Kind::Dict: {
        if (v.entries().items.empty()) {
            out += "{}";
            break;
        }
        std::vector<const std::pair<std::string, Value>*> entries;
        for (const auto& e : v.entries().items)
            entries.push_back(&e);
        if (o.sortKeys)
            std::sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->first < b->first; });
        out += '{';
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (i)
                out += itemSep;
            newline(depth + 1);
            jsonString(out, entries[i]->first, o.ensureAscii);
            out += o.keySeparator;
            jsonValue(out, entries[i]->second, o, depth + 1);
        }
        newline(depth);
        out += '}';
        break;
    }
    case Value::Kind::Function:
        throw Error(ErrorCode::InvalidArgument, "chat template: a function is not JSON serializable");
    }
}

}  // namespace

std::string Value::toJson(const JsonOptions& options) const
{
    std::string out;
    jsonValue(out, *this, options, 0);
    return out;
}

bool operator==(const Value& a, const Value& b)
{
    return Value::equalAt(a, b, 0);
}

bool Value::equalAt(const Value& a, const Value& b, int depth)
{
    using K = Value::Kind;
    if (depth > kMaxValueDepth)
        tooDeep();
    if (a.isNumber() && b.isNumber()) {
        if (a.kind() == K::Float || b.kind() == K::Float)
            return a.asDouble() == b.asDouble();
        return a.asInt() == b.asInt();
    }
    if (a.kind() != b.kind())
        return false;
    switch (a.kind()) {
    case K::Undefined:
    case K::None:
        return true;
    case K::String:
        return a.str() == b.str();
    case K::List:
        return a.items().size() == b.items().size()
            && std::equal(a.items().begin(), a.items().end(), b.items().begin(),
                          [depth](const Value& x, const Value& y) { return equalAt(x, y, depth + 1); });
    case K::Dict: {
        if (a.entries().items.size() != b.entries().items.size())
            return false;
        for (const auto& [k, v] : a.entries().items) {
            const Value* o = b.entries().find(k);
            if (!o || !equalAt(*o, v, depth + 1))
                return false;
        }
        return true;
    }
    case K::Function:
        return a.m_fn == b.m_fn;
    default:
        return false;
    }
}

}  // namespace distill::tokenizer::jinja
