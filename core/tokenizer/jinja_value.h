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

// Limits of one render, for templates are untrusted input (a model folder's tokenizer_config.json):
// a bigger string, a longer list made by repetition or a deeper value is an InvalidArgument error.
constexpr std::size_t kMaxTemplateString = 16u << 20;  // bytes of any one string, the output included
constexpr std::size_t kMaxTemplateList = 1u << 20;     // items of a list made by `*`
constexpr int kMaxValueDepth = 64;                     // lists and dicts inside each other
constexpr std::size_t kMaxRenderBytes = 1u << 30;      // strings, lists and dicts one render makes, together

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
    Value(std::string s);  // longer than kMaxTemplateString (or past a render's budget): InvalidArgument
    Value(const char* s) : Value(std::string(s)) {}
    static Value list(ValueList items = {});
    static Value dict(ValueDict d = {});
    static Value function(NativeFunction fn);
    static Value fromJson(const nlohmann::ordered_json& j);  // deeper than kMaxValueDepth: InvalidArgument
    // A copy with lists and dicts of its own (functions are shared), as deep as kMaxValueDepth.
    Value deepCopy() const;

    Kind kind() const { return m_kind; }
    bool isUndefined() const { return m_kind == Kind::Undefined; }
    bool isNone() const { return m_kind == Kind::None; }
    bool isString() const { return m_kind == Kind::String; }
    bool isNumber() const { return m_kind == Kind::Int || m_kind == Kind::Float || m_kind == Kind::Bool; }
    bool isList() const { return m_kind == Kind::List; }
    bool isDict() const { return m_kind == Kind::Dict; }
    bool isFunction() const { return m_kind == Kind::Function; }

    bool asBool() const { return m_bool; }
    std::int64_t asInt() const;  // bool/int/float -> int; a float outside int64 is InvalidArgument
    double asDouble() const;
    const std::string& str() const;
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
    static Value fromJsonAt(const nlohmann::ordered_json& j, int depth);
    std::string reprAt(int depth) const;
    static bool equalAt(const Value& a, const Value& b, int depth);

    Kind m_kind = Kind::Undefined;
    bool m_bool = false;
    std::int64_t m_int = 0;
    double m_double = 0.0;
    std::shared_ptr<const std::string> m_string;  // shared: copying a Value never copies its text
    std::shared_ptr<ValueList> m_list;
    std::shared_ptr<ValueDict> m_dict;
    std::shared_ptr<NativeFunction> m_fn;
};

// Python's repr of a float (shortest round trip, ".0" for integral values).
std::string formatFloat(double d);

// While one lives on a thread, every list, dict and function made there is recorded, and the bytes
// of strings and containers made are counted against kMaxRenderBytes; its destructor empties the
// containers still alive, so the reference cycles a template can make (a list appended to itself)
// are freed with the render.
class ValueArena {
public:
    ValueArena();
    ~ValueArena();
    ValueArena(const ValueArena&) = delete;
    ValueArena& operator=(const ValueArena&) = delete;

    void add(std::weak_ptr<ValueList> list);
    void add(std::weak_ptr<ValueDict> dict);
    void add(std::weak_ptr<NativeFunction> fn);
    // Counts bytes the render made; past kMaxRenderBytes, InvalidArgument.
    void charge(std::size_t bytes);

private:
    void compact();

    std::size_t m_bytes = 0;
    ValueArena* m_outer;
    std::vector<std::weak_ptr<ValueList>> m_lists;
    std::vector<std::weak_ptr<ValueDict>> m_dicts;
    std::vector<std::weak_ptr<NativeFunction>> m_functions;
    std::size_t m_compactAt = 4096;
};

}  // namespace distill::tokenizer::jinja
