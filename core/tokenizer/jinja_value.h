// Values of the Jinja subset that chat templates use: Python-like None/bool/int/float/str/list/dict
// plus Jinja's Undefined and callables, with Python's truthiness, equality, str() and JSON output.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace distill::tokenizer::jinja {

class Value;
using ValueList = std::vector<Value>;
using KwArgs = std::vector<std::pair<std::string, Value>>;
using NativeFunction = std::function<Value(ValueList& args, KwArgs& kwargs)>;

// Insertion-ordered string-keyed map (dicts keep JSON key order, as Python does).
struct ValueDict {
    std::vector<std::pair<std::string, Value>> items;
    const Value* find(const std::string& key) const;
    void set(const std::string& key, Value value);
};

class Value {
public:
    enum class Kind { Undefined, None, Bool, Int, Float, String, List, Dict, Function };

    Value() = default;  // Undefined
    static Value none();
    Value(bool b);
    Value(std::int64_t i);
    Value(int i) : Value(std::int64_t(i)) {}
    Value(double d);
    Value(std::string s);
    Value(const char* s) : Value(std::string(s)) {}
    static Value list(ValueList items = {});
    static Value dict(ValueDict d = {});
    static Value function(NativeFunction fn);
    static Value fromJson(const nlohmann::ordered_json& j);

    Kind kind() const { return m_kind; }
    bool isUndefined() const { return m_kind == Kind::Undefined; }
    bool isNone() const { return m_kind == Kind::None; }
    bool isString() const { return m_kind == Kind::String; }
    bool isNumber() const { return m_kind == Kind::Int || m_kind == Kind::Float || m_kind == Kind::Bool; }
    bool isList() const { return m_kind == Kind::List; }
    bool isDict() const { return m_kind == Kind::Dict; }
    bool isFunction() const { return m_kind == Kind::Function; }

    bool asBool() const { return m_bool; }
    std::int64_t asInt() const;  // bool/int/float -> int
    double asDouble() const;
    const std::string& str() const { return m_string; }
    ValueList& items() const { return *m_list; }
    ValueDict& entries() const { return *m_dict; }
    const NativeFunction& fn() const { return *m_fn; }

    bool truthy() const;
    std::size_t length() const;  // str (code points), list, dict; 0 for undefined
    // Python str(): None -> "None", True -> "True", lists and dicts as repr.
    std::string toString() const;
    std::string repr() const;
    // json.dumps as transformers' tojson filter calls it (ensure_ascii=False by default).
    struct JsonOptions {
        int indent = -1;  // < 0: none
        bool sortKeys = false;
        bool ensureAscii = false;
        std::string itemSeparator;  // empty: Python's default for the indent
        std::string keySeparator = ": ";
    };
    std::string toJson(const JsonOptions& options) const;

    friend bool operator==(const Value& a, const Value& b);

private:
    Kind m_kind = Kind::Undefined;
    bool m_bool = false;
    std::int64_t m_int = 0;
    double m_double = 0.0;
    std::string m_string;
    std::shared_ptr<ValueList> m_list;
    std::shared_ptr<ValueDict> m_dict;
    std::shared_ptr<NativeFunction> m_fn;
};

// Python's repr of a float (shortest round trip, ".0" for integral values).
std::string formatFloat(double d);

}  // namespace distill::tokenizer::jinja
