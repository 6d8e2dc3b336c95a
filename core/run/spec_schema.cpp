#include "core/run/spec_schema.h"

#include "core/run/yaml_json.h"
#include "core/tokenizer/byte_level.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

namespace distill::run {

using ojson = nlohmann::ordered_json;

std::string_view keyTypeName(KeyType type)
{
    switch (type) {
    case KeyType::Bool: return "bool";
    case KeyType::Integer: return "integer";
    case KeyType::Number: return "number";
    case KeyType::Text: return "text";
    case KeyType::Choice: return "choice";
    case KeyType::TextList: return "text list";
    case KeyType::Section: return "section";
    case KeyType::SectionList: return "section list";
    case KeyType::Map: return "mapping";
    }
    return "text";
}

namespace key {

KeyDoc make(std::string name, KeyType type, nlohmann::ordered_json fallback)
{
    KeyDoc k;
    k.name = std::move(name);
    k.type = type;
    k.defaultValue = std::move(fallback);
    return k;
}

KeyDoc flag(std::string name, bool fallback, std::string doc)
{
    KeyDoc k = make(std::move(name), KeyType::Bool, fallback);
    k.doc = std::move(doc);
    return k;
}

KeyDoc integer(std::string name, long long fallback, double min, double max, std::string doc, std::string unit)
{
    KeyDoc k = make(std::move(name), KeyType::Integer, fallback);
    k.min = min;
    k.max = max;
    k.doc = std::move(doc);
    k.unit = std::move(unit);
    return k;
}

KeyDoc number(std::string name, double fallback, double min, double max, std::string doc, std::string unit)
{
    KeyDoc k = make(std::move(name), KeyType::Number, fallback);
    k.min = min;
    k.max = max;
    k.doc = std::move(doc);
    k.unit = std::move(unit);
    return k;
}

KeyDoc text(std::string name, std::string fallback, std::string doc)
{
    KeyDoc k = make(std::move(name), KeyType::Text, std::move(fallback));
    k.doc = std::move(doc);
    return k;
}

KeyDoc required(std::string name, std::string doc)
{
    KeyDoc k = make(std::move(name), KeyType::Text);
    k.doc = std::move(doc);
    k.required = true;
    return k;
}

KeyDoc choice(std::string name, std::string fallback, std::vector<std::string> choices, std::string doc)
{
    KeyDoc k = make(std::move(name), KeyType::Choice, std::move(fallback));
    k.choices = std::move(choices);
    k.doc = std::move(doc);
    return k;
}

KeyDoc list(std::string name, std::vector<std::string> fallback, std::string doc)
{
    KeyDoc k = make(std::move(name), KeyType::TextList, fallback);
    k.doc = std::move(doc);
    return k;
}

KeyDoc section(std::string name, std::string group, std::vector<KeyDoc> children, std::string doc)
{
    KeyDoc k = make(std::move(name), KeyType::Section);
    k.group = std::move(group);
    k.children = std::move(children);
    k.doc = std::move(doc);
    return k;
}

KeyDoc optionalSection(std::string name, std::string group, std::vector<KeyDoc> children, std::string doc)
{
    KeyDoc k = section(std::move(name), std::move(group), std::move(children), std::move(doc));
    k.optionalSection = true;
    return k;
}

KeyDoc sectionList(std::string name, std::vector<KeyDoc> children, nlohmann::ordered_json fallback, std::string doc)
{
    KeyDoc k = make(std::move(name), KeyType::SectionList, std::move(fallback));
    k.children = std::move(children);
    k.doc = std::move(doc);
    return k;
}

KeyDoc advanced(KeyDoc k)
{
    k.advanced = true;
    return k;
}

KeyDoc only(std::vector<std::string> when, KeyDoc k)
{
    k.when = std::move(when);
    return k;
}

}  // namespace key

namespace {

KeyType typeOfDefault(const nlohmann::json& v, const KeyNote& note)
{
    if (note.type)
        return *note.type;
    if (!note.choices.empty())
        return KeyType::Choice;
    switch (v.type()) {
    case nlohmann::json::value_t::boolean: return KeyType::Bool;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return KeyType::Integer;
    case nlohmann::json::value_t::number_float: return KeyType::Number;
    case nlohmann::json::value_t::array: return KeyType::TextList;
    case nlohmann::json::value_t::object: return v.empty() ? KeyType::Map : KeyType::Section;
    case nlohmann::json::value_t::string: return KeyType::Text;
    default: throw Error(ErrorCode::Internal, "schema: '" + note.path + "' has a null default and no type");
    }
}

// The section `parent` at the dotted path, created on first use.
std::vector<KeyDoc>& sectionAt(std::vector<KeyDoc>& keys, const std::string& path)
{
    if (path.empty())
        return keys;
    const auto dot = path.find('.');
    const std::string head = path.substr(0, dot);
    auto it = std::find_if(keys.begin(), keys.end(), [&](const KeyDoc& k) { return k.name == head; });
    if (it == keys.end()) {
        keys.push_back(key::section(head, "", {}));
        it = keys.end() - 1;
    }
    return sectionAt(it->children, dot == std::string::npos ? std::string() : path.substr(dot + 1));
}

void requireNoted(const nlohmann::json& defaults, const std::string& prefix, const std::set<std::string>& noted)
{
    for (const auto& [name, value] : defaults.items()) {
        const std::string path = prefix.empty() ? name : prefix + "." + name;
        if (value.is_object() && !value.empty())
            requireNoted(value, path, noted);
        else if (!noted.count(path))
            throw Error(ErrorCode::Internal, "schema: key '" + path + "' has no description");
    }
}

}  // namespace

std::vector<KeyDoc> keysFromDefaults(const nlohmann::json& defaults, const std::vector<KeyNote>& notes)
{
    std::vector<KeyDoc> keys;
    std::set<std::string> noted;
    for (const KeyNote& note : notes) {
        std::string pointerText(1, '/');
        pointerText += note.path;
        std::replace(pointerText.begin(), pointerText.end(), '.', '/');
        const nlohmann::json::json_pointer pointer(pointerText);
        if (!defaults.contains(pointer))
            throw Error(ErrorCode::Internal, "schema: a note for '" + note.path + "', which the config does not have");
        const nlohmann::json& value = defaults.at(pointer);
        const auto dot = note.path.find_last_of('.');
        KeyDoc k = key::make(dot == std::string::npos ? note.path : note.path.substr(dot + 1), typeOfDefault(value, note),
                             nlohmann::ordered_json::parse(value.dump()));
        k.doc = note.doc;
        k.min = note.min;
        k.max = note.max;
        k.choices = note.choices;
        k.unit = note.unit;
        k.advanced = note.advanced;
        sectionAt(keys, dot == std::string::npos ? std::string() : note.path.substr(0, dot)).push_back(std::move(k));
        noted.insert(note.path);
    }
    requireNoted(defaults, "", noted);
    return keys;
}

int ResolvedSpec::line(const std::string& path) const
{
    for (std::string p = path;; ) {
        if (const auto it = lines.find(p); it != lines.end())
            return it->second;
        const auto dot = p.find_last_of('.');
        if (dot == std::string::npos)
            return 1;
        p.resize(dot);
    }
}

void failAt(const ResolvedSpec& spec, const std::string& path, const std::string& message, const std::string& hint)
{
    throw Error(ErrorCode::InvalidArgument, "line " + std::to_string(spec.line(path)) + ": " + message, hint);
}

namespace {

int lineOf(const YAML::Node& node)
{
    return node.Mark().line + 1;
}

std::string describe(const std::string& key, const std::string& where)
{
    return "'" + key + "'" + (where.empty() ? "" : " in " + where);
}

[[noreturn]] void fail(int line, const std::string& message)
{
    throw Error(ErrorCode::InvalidArgument, "line " + std::to_string(line) + ": " + message);
}

std::string numberText(double v)
{
    std::ostringstream out;
    out.precision(15);
    out << v;
    return out.str();
}

std::string rangeText(const KeyDoc& k)
{
    std::string out("[");  // appended piece by piece: GCC 12 warns falsely on "[" + std::string(...)
    out += k.min ? numberText(*k.min) : std::string("-inf");
    out += ", ";
    out += k.max ? numberText(*k.max) : std::string("inf");
    out += "]";
    return out;
}

bool applies(const KeyDoc& key, const std::string& variant)
{
    return key.when.empty() || std::find(key.when.begin(), key.when.end(), variant) != key.when.end();
}

class Resolver {
public:
    explicit Resolver(ResolvedSpec& out) : m_out(out) {}

    ojson map(const std::vector<KeyDoc>& keys, const YAML::Node& node, const std::string& path,
              const std::string& where, const std::string& discriminator, const std::set<std::string>& skip)
    {
        // A section that is not given is read as an empty mapping (a missing node throws on most calls).
        const bool given = node.IsDefined() && !node.IsNull();
        if (given && !node.IsMap())
            fail(lineOf(node), (where.empty() ? "the job spec" : "'" + where + "'") + " must be a mapping of keys to values");
        const bool isMap = given;
        std::string variant;
        if (!discriminator.empty()) {
            const auto it = std::find_if(keys.begin(), keys.end(), [&](const KeyDoc& k) { return k.name == discriminator; });
            const YAML::Node chosen = isMap ? node[discriminator] : YAML::Node();
            ojson value;
            if (it != keys.end() && chosen.IsDefined() && chosen.IsScalar() && it->type == KeyType::Choice
                && std::find(it->choices.begin(), it->choices.end(), chosen.Scalar()) == it->choices.end()) {
                std::string all;
                for (const auto& c : it->choices)
                    all += (all.empty() ? "" : ", ") + c;
                throw Error(ErrorCode::InvalidArgument,
                            "line " + std::to_string(lineOf(chosen)) + ": unknown " + where + " " + discriminator + " '"
                                + chosen.Scalar() + "'",
                            "use " + all);
            }
            if (it != keys.end())
                value = scalar(*it, chosen, join(path, discriminator), where);
            variant = value.is_string() ? value.get<std::string>() : std::string();
        }
        if (isMap)
            for (auto it = node.begin(); it != node.end(); ++it) {
                const std::string key = it->first.Scalar();
                if (skip.count(key))
                    continue;
                const auto named = [&](const KeyDoc& k) { return k.name == key; };
                if (std::find_if(keys.begin(), keys.end(), named) == keys.end())
                    fail(lineOf(it->first), "unknown key " + describe(key, where));
                if (std::none_of(keys.begin(), keys.end(), [&](const KeyDoc& k) { return named(k) && applies(k, variant); }))
                    fail(lineOf(it->first), describe(key, where) + " does not apply to " + discriminator + " '" + variant + "'");
                m_out.lines[join(path, key)] = lineOf(it->first);
            }
        ojson out = ojson::object();
        for (const KeyDoc& k : keys) {
            if (!applies(k, variant))
                continue;
            const YAML::Node value = isMap ? node[k.name] : YAML::Node();
            const bool present = value.IsDefined() && !value.IsNull();
            const std::string childPath = join(path, k.name);
            if (!present && k.required)
                fail(given ? lineOf(node) : 1, "missing required key " + describe(k.name, where));
            switch (k.type) {
            case KeyType::Section:
                if (present || !k.optionalSection)
                    out[k.name] = map(k.children, value, childPath, where.empty() ? k.name : where + "." + k.name,
                                      k.discriminator, {});
                break;
            case KeyType::SectionList:
                out[k.name] = present ? list(k, value, childPath, where) : (k.defaultValue.is_null() ? ojson::array() : k.defaultValue);
                break;
            default:
                if (present)
                    out[k.name] = scalar(k, value, childPath, where);
                else if (!k.defaultValue.is_null())
                    out[k.name] = k.defaultValue;
                else
                    out[k.name] = nullptr;
            }
        }
        return out;
    }

private:
    static std::string join(const std::string& path, const std::string& key)
    {
        return path.empty() ? key : path + "." + key;
    }

    ojson list(const KeyDoc& k, const YAML::Node& value, const std::string& path, const std::string& where)
    {
        if (!value.IsSequence())
            fail(lineOf(value), describe(k.name, where) + " must be a list");
        ojson out = ojson::array();
        std::size_t i = 0;
        for (const YAML::Node& item : value) {
            const std::string itemWhere = (where.empty() ? k.name : where + "." + k.name);
            out.push_back(map(k.children, item, path + "[" + std::to_string(i++) + "]", itemWhere, k.discriminator, {}));
        }
        return out;
    }

    ojson scalar(const KeyDoc& k, const YAML::Node& value, const std::string& path, const std::string& where)
    {
        if (!value.IsDefined() || value.IsNull())
            return k.defaultValue;
        m_out.lines[path] = lineOf(value);
        const auto bad = [&](const std::string& problem) { fail(lineOf(value), describe(k.name, where) + " " + problem); };
        if (k.type == KeyType::Map) {
            if (!value.IsMap())
                bad("must be a mapping");
            return ojson(yamlToJson(value));
        }
        if (k.type == KeyType::TextList) {
            if (value.IsScalar())
                return ojson::array({value.Scalar()});
            if (!value.IsSequence())
                bad("must be a list of values");
            ojson out = ojson::array();
            for (const YAML::Node& item : value) {
                if (!item.IsScalar())
                    bad("must be a list of single values");
                out.push_back(item.Scalar());
            }
            return out;
        }
        if (!value.IsScalar())
            bad("must be a single value");
        const std::string& text = value.Scalar();
        switch (k.type) {
        case KeyType::Bool: {
            bool b = false;
            if (!YAML::convert<bool>::decode(value, b))
                bad("must be true or false, got '" + text + "'");
            return b;
        }
        case KeyType::Integer: {
            long long n = 0;
            if (!YAML::convert<long long>::decode(value, n))
                bad("must be an integer, got '" + text + "'");
            if ((k.min && double(n) < *k.min) || (k.max && double(n) > *k.max))
                bad("must be in " + rangeText(k) + ", got " + std::to_string(n));
            return n;
        }
        case KeyType::Number: {
            double d = 0.0;
            if (!YAML::convert<double>::decode(value, d) || !std::isfinite(d))
                bad("must be a number, got '" + text + "'");
            if ((k.min && !(d >= *k.min)) || (k.max && !(d <= *k.max)))
                bad("must be in " + rangeText(k) + ", got " + text);
            return d;
        }
        case KeyType::Choice:
            if (std::find(k.choices.begin(), k.choices.end(), text) == k.choices.end()) {
                std::string all;
                for (const auto& c : k.choices)
                    all += (all.empty() ? "" : ", ") + c;
                bad("must be one of " + all + ", got '" + text + "'");
            }
            return text;
        default:
            return text;
        }
    }

    ResolvedSpec& m_out;
};

void flatten(const std::vector<KeyDoc>& keys, const std::string& prefix,
             std::vector<std::pair<std::string, const KeyDoc*>>& out)
{
    for (const KeyDoc& k : keys) {
        const std::string path = prefix.empty() ? k.name : prefix + "." + k.name;
        out.emplace_back(path, &k);
        if (k.type == KeyType::Section)
            flatten(k.children, path, out);
        else if (k.type == KeyType::SectionList)
            flatten(k.children, path + "[]", out);
    }
}

// Children without a group of their own take their section's.
void inheritGroups(std::vector<KeyDoc>& keys, const std::string& group)
{
    for (KeyDoc& k : keys) {
        if (k.group.empty())
            k.group = group;
        inheritGroups(k.children, k.group);
    }
}

}  // namespace

SpecSchema::SpecSchema(std::string kind, std::string doc, std::vector<KeyDoc> keys)
    : m_kind(std::move(kind)), m_doc(std::move(doc)), m_keys(std::move(keys))
{
    inheritGroups(m_keys, "General");
}

namespace {

// The path of the first text value that is not UTF-8 (YAML can make such bytes from valid text),
// "" when there is none.
std::string nonUtf8Path(const ojson& value, const std::string& path)
{
    if (value.is_string())
        return tokenizer::isValidUtf8(value.get_ref<const std::string&>()) ? std::string() : path;
    if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i)
            if (auto bad = nonUtf8Path(value[i], path + "[" + std::to_string(i) + "]"); !bad.empty())
                return bad;
    } else if (value.is_object()) {
        for (const auto& [key, item] : value.items())
            if (auto bad = nonUtf8Path(item, path.empty() ? key : path + "." + key); !bad.empty())
                return bad;
    }
    return {};
}

}  // namespace

ResolvedSpec SpecSchema::resolve(const YAML::Node& spec) const
{
    ResolvedSpec out;
    out.source = spec;
    Resolver resolver(out);
    out.values = resolver.map(m_keys, spec, "", "", "", {"kind", "name"});
    if (const std::string bad = nonUtf8Path(out.values, ""); !bad.empty())
        failAt(out, bad, "'" + bad + "' is not valid UTF-8 text");
    return out;
}

std::string SpecSchema::yaml(const std::string& name, const ojson& values) const
{
    YAML::Node root(YAML::NodeType::Map);
    root["kind"] = m_kind;
    root["name"] = name;
    for (const auto& [key, item] : values.items())
        root[key] = orderedJsonToYaml(item);
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

std::vector<std::pair<std::string, const KeyDoc*>> SpecSchema::allKeys() const
{
    std::vector<std::pair<std::string, const KeyDoc*>> out;
    flatten(m_keys, "", out);
    return out;
}

ojson SpecSchema::describe() const
{
    ojson keys = ojson::array();
    for (const auto& [path, k] : allKeys()) {
        ojson d = {{"path", path}, {"name", k->name}, {"type", keyTypeName(k->type)}, {"group", k->group},
                   {"doc", k->doc}, {"advanced", k->advanced}, {"required", k->required}};
        if (!k->defaultValue.is_null())
            d["default"] = k->defaultValue;
        if (k->min)
            d["min"] = *k->min;
        if (k->max)
            d["max"] = *k->max;
        if (!k->choices.empty())
            d["choices"] = k->choices;
        if (!k->unit.empty())
            d["unit"] = k->unit;
        if (k->optionalSection)
            d["optional_section"] = true;
        if (!k->discriminator.empty())
            d["discriminator"] = k->discriminator;
        if (!k->when.empty())
            d["when"] = k->when;
        keys.push_back(std::move(d));
    }
    return {{"kind", m_kind}, {"doc", m_doc}, {"keys", keys}};
}

std::string SpecSchema::markdown() const
{
    std::vector<std::string> groups;
    const auto all = allKeys();
    for (const auto& [path, k] : all)
        if (std::find(groups.begin(), groups.end(), k->group) == groups.end())
            groups.push_back(k->group);
    std::string md = "## `kind: " + m_kind + "`\n\n" + m_doc + "\n";
    for (const auto& group : groups) {
        md += "\n### " + group + "\n\n| key | type | default | range or choices | doc |\n|---|---|---|---|---|\n";
        for (const auto& [path, k] : all) {
            if (k->group != group)
                continue;
            std::string range;
            if (!k->choices.empty())
                for (const auto& c : k->choices)
                    range += (range.empty() ? "" : ", ") + c;
            else if (k->min || k->max)
                range = rangeText(*k);
            std::string def = k->required ? "required" : "";
            if (!k->required && !k->defaultValue.is_null())
                def.append("`").append(k->defaultValue.dump()).append("`");
            std::string doc = k->doc;
            if (!k->unit.empty())
                doc += " (" + k->unit + ")";
            if (k->advanced)
                doc += " *advanced*";
            if (!k->when.empty()) {
                std::string w;
                for (const auto& v : k->when)
                    w += (w.empty() ? "" : ", ") + v;
                doc += " — only for " + w;
            }
            md.append("| `").append(path).append("` | ").append(keyTypeName(k->type)).append(" | ").append(def);
            md.append(" | ").append(range).append(" | ").append(doc).append(" |\n");
        }
    }
    return md;
}

}  // namespace distill::run
