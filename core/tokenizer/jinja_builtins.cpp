#include "core/tokenizer/jinja_builtins.h"

#include "core/tokenizer/jinja_strings.h"
#include "core/tokenizer/jinja_support.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace distill::tokenizer::jinja {

namespace detail {

[[noreturn]] void typeError(const std::string& what)
{
    throw Error(ErrorCode::InvalidArgument, "chat template: " + what);
}

// A string being built may not grow past kMaxTemplateString (checked as it grows, before it is huge).
void checkLength(std::size_t bytes)
{
    if (bytes > kMaxTemplateString)
        typeError("a string of more than " + std::to_string(kMaxTemplateString) + " bytes");
}

[[noreturn]] void overflow(const std::string& op)
{
    typeError("integer overflow in " + op);
}

[[noreturn]] void unsupported(const std::string& what)
{
    throw Error(ErrorCode::Unsupported, "chat template uses " + what + ", which is not supported");
}

const Value& arg(ValueList& args, KwArgs& kwargs, std::size_t index, const char* name)
{
    static const Value undefined;
    if (index < args.size())
        return args[index];
    for (const auto& [k, v] : kwargs)
        if (k == name)
            return v;
    return undefined;
}
ValueList iterate(const Value& v)
{
    if (v.isList())
        return v.items();
    if (v.isDict()) {
        ValueList keys;
        for (const auto& [k, _] : v.entries().items)
            keys.emplace_back(k);
        return keys;
    }
    if (v.isString()) {
        ValueList chars;
        for (auto& c : codePoints(v.str()))
            chars.emplace_back(std::move(c));
        return chars;
    }
    if (v.isUndefined())
        return {};
    typeError(v.repr() + " is not iterable");
}
}  // namespace detail

using namespace detail;

namespace {

Value listMethod(const Value& list, const std::string& name)
{
    if (name == "append")
        return Value::function([list](ValueList& a, KwArgs&) {
            list.items().push_back(a.empty() ? Value::none() : a[0]);
            return Value::none();
        });
    if (name == "pop")
        return Value::function([list](ValueList& a, KwArgs&) {
            auto& items = list.items();
            if (items.empty())
                typeError("pop from empty list");
            std::int64_t i = a.empty() ? -1 : a[0].asInt();
            if (i < 0)
                i += std::int64_t(items.size());
            if (i < 0 || i >= std::int64_t(items.size()))
                typeError("pop index out of range");
            Value v = items[std::size_t(i)];
            items.erase(items.begin() + i);
            return v;
        });
    if (name == "index" || name == "count")
        return Value::function([list, index = name == "index"](ValueList& a, KwArgs&) {
            const Value x = a.empty() ? Value::none() : a[0];
            std::int64_t n = 0;
            for (std::size_t i = 0; i < list.items().size(); ++i)
                if (list.items()[i] == x) {
                    if (index)
                        return Value(std::int64_t(i));
                    ++n;
                }
            if (index)
                typeError(x.repr() + " is not in list");
            return Value(n);
        });
    return Value();
}

Value dictMethod(const Value& dict, const std::string& name)
{
    if (name == "items" || name == "keys" || name == "values")
        return Value::function([dict, name](ValueList&, KwArgs&) {
            ValueList out;
            for (const auto& [k, v] : dict.entries().items)
                out.push_back(name == "items" ? Value::list({Value(k), v}) : name == "keys" ? Value(k) : v);
            return Value::list(std::move(out));
        });
    if (name == "get")
        return Value::function([dict](ValueList& a, KwArgs&) {
            const Value* v = a.empty() ? nullptr : dict.entries().find(a[0].toString());
            return v ? *v : a.size() > 1 ? a[1] : Value::none();
        });
    return Value();
}

bool lessThan(const Value& a, const Value& b)
{
    if (a.isNumber() && b.isNumber())
        return a.asDouble() < b.asDouble();
    if (a.isString() && b.isString())
        return a.str() < b.str();
    if (a.isList() && b.isList())
        return std::lexicographical_compare(a.items().begin(), a.items().end(), b.items().begin(), b.items().end(),
                                            lessThan);
    typeError("cannot compare " + a.repr() + " and " + b.repr());
}

bool contains(const Value& container, const Value& x)
{
    if (container.isString())
        return container.str().find(x.toString()) != std::string::npos;
    if (container.isList())
        return std::find(container.items().begin(), container.items().end(), x) != container.items().end();
    if (container.isDict())
        return x.isString() && container.entries().find(x.str()) != nullptr;
    if (container.isUndefined())
        return false;
    typeError("argument of type " + container.repr() + " is not iterable");
}

}  // namespace

Value getAttribute(const Value& obj, const std::string& name)
{
    switch (obj.kind()) {
    case Value::Kind::Undefined:
        typeError("'" + name + "' of an undefined value");
    case Value::Kind::Dict: {
        if (const Value* v = obj.entries().find(name))
            return *v;
        return dictMethod(obj, name);
    }
    case Value::Kind::String:
        return stringMethod(obj.str(), name);
    case Value::Kind::List:
        return listMethod(obj, name);
    default:
        return Value();
    }
}

Value getItem(const Value& obj, const Value& key)
{
    if (obj.isDict()) {
        if (key.isString()) {
            if (const Value* v = obj.entries().find(key.str()))
                return *v;
            return Value();
        }
        return Value();
    }
    if ((obj.isList() || obj.isString()) && key.isNumber()) {
        std::int64_t i = key.asInt();
        if (obj.isList()) {
            const auto n = std::int64_t(obj.items().size());
            if (i < 0)
                i += n;
            return i >= 0 && i < n ? obj.items()[std::size_t(i)] : Value();
        }
        const auto cps = codePoints(obj.str());
        if (i < 0)
            i += std::int64_t(cps.size());
        return i >= 0 && i < std::int64_t(cps.size()) ? Value(cps[std::size_t(i)]) : Value();
    }
    if (obj.isUndefined())
        typeError("subscript of an undefined value");
    if (key.isString())
        return getAttribute(obj, key.str());
    return Value();
}

Value slice(const Value& obj, const Value& start, const Value& stop, const Value& step)
{
    ValueList elems = obj.isString() ? iterate(obj) : obj.isList() ? obj.items() : ValueList();
    if (!obj.isString() && !obj.isList())
        typeError("cannot slice " + obj.repr());
    const auto n = std::int64_t(elems.size());
    const std::int64_t st = step.isUndefined() || step.isNone() ? 1 : step.asInt();
    if (st == 0)
        typeError("slice step cannot be zero");
    auto norm = [&](const Value& v, std::int64_t fallback, bool isStop) {
        if (v.isUndefined() || v.isNone())
            return fallback;
        std::int64_t i = v.asInt();
        if (i < 0)
            i += n;
        const std::int64_t lo = st > 0 ? 0 : -1, hi = st > 0 ? n : n - 1;
        (void)isStop;
        return std::clamp(i, lo, hi);
    };
    const std::int64_t b = norm(start, st > 0 ? 0 : n - 1, false);
    const std::int64_t e = norm(stop, st > 0 ? n : -1, true);
    ValueList out;
    for (std::int64_t i = b; st > 0 ? i < e : i > e;) {
        out.push_back(elems[std::size_t(i)]);
        if (__builtin_add_overflow(i, st, &i))
            break;
    }
    if (obj.isString()) {
        std::string s;
        for (const auto& v : out)
            s += v.str();
        return Value(s);
    }
    return Value::list(std::move(out));
}

Value binaryOp(const std::string& op, const Value& a, const Value& b)
{
    if (op == "~")
        return Value(a.toString() + b.toString());
    if (op == "==")
        return Value(a == b);
    if (op == "!=")
        return Value(!(a == b));
    if (op == "<")
        return Value(lessThan(a, b));
    if (op == ">")
        return Value(lessThan(b, a));
    if (op == "<=")
        return Value(!lessThan(b, a));
    if (op == ">=")
        return Value(!lessThan(a, b));
    if (op == "in")
        return Value(contains(b, a));
    if (op == "not in")
        return Value(!contains(b, a));
    if (op == "+") {
        if (a.isString() && b.isString())
            return Value(a.str() + b.str());
        if (a.isList() && b.isList()) {
            if (a.items().size() + b.items().size() > kMaxTemplateList)
                typeError("a list of more than " + std::to_string(kMaxTemplateList) + " items");
            ValueList out = a.items();
            out.insert(out.end(), b.items().begin(), b.items().end());
            return Value::list(std::move(out));
        }
    }
    if (op == "*" && ((a.isString() || a.isList()) && b.isNumber())) {
        const std::int64_t n = std::max<std::int64_t>(0, b.asInt());
        const std::size_t unit = a.isString() ? a.str().size() : a.items().size();
        if (n == 0 || unit == 0)
            return a.isString() ? Value(std::string()) : Value::list();
        // Refused before anything is allocated: `'x' * 10**12` would not fit in memory.
        if (a.isString()) {
            checkLength(std::uint64_t(n) > kMaxTemplateString / unit ? kMaxTemplateString + 1 : unit * std::size_t(n));
            std::string out;
            out.reserve(unit * std::size_t(n));
            for (std::int64_t i = 0; i < n; ++i)
                out += a.str();
            return Value(out);
        }
        if (std::uint64_t(n) > kMaxTemplateList / unit)
            typeError("a list of more than " + std::to_string(kMaxTemplateList) + " items");
        ValueList out;
        out.reserve(unit * std::size_t(n));
        for (std::int64_t i = 0; i < n; ++i)
            out.insert(out.end(), a.items().begin(), a.items().end());
        return Value::list(std::move(out));
    }
    if (!a.isNumber() || !b.isNumber())
        typeError("unsupported operand types for " + op + ": " + (a.isUndefined() ? "undefined" : a.repr()) + " and " +
                  (b.isUndefined() ? "undefined" : b.repr()));
    const bool floats = a.kind() == Value::Kind::Float || b.kind() == Value::Kind::Float;
    if (op == "/") {
        if (b.asDouble() == 0.0)
            typeError("division by zero");
        return Value(a.asDouble() / b.asDouble());
    }
    if (op == "**") {
        const double p = std::pow(a.asDouble(), b.asDouble());
        if (floats || b.asInt() < 0)
            return Value(p);
        if (!(std::fabs(p) < 9.2e18))
            overflow(op);
        return Value(std::int64_t(std::llround(p)));
    }
    if (floats) {
        const double x = a.asDouble(), y = b.asDouble();
        if (op == "+")
            return Value(x + y);
        if (op == "-")
            return Value(x - y);
        if (op == "*")
            return Value(x * y);
        if (y == 0.0)
            typeError("division by zero");
        if (op == "//")
            return Value(std::floor(x / y));
        if (op == "%")
            return Value(x - y * std::floor(x / y));
    } else {
        const std::int64_t x = a.asInt(), y = b.asInt();
        std::int64_t r = 0;
        if (op == "+" || op == "-" || op == "*") {
            const bool wrapped = op == "+"   ? __builtin_add_overflow(x, y, &r)
                                 : op == "-" ? __builtin_sub_overflow(x, y, &r)
                                             : __builtin_mul_overflow(x, y, &r);
            if (wrapped)
                overflow(op);
            return Value(r);
        }
        if (y == 0)
            typeError("division by zero");
        if (y == -1 && x == std::numeric_limits<std::int64_t>::min())
            overflow(op);
        const std::int64_t q = x / y - ((x % y != 0) && ((x < 0) != (y < 0)));
        if (op == "//")
            return Value(q);
        if (op == "%")
            return Value(x - y * q);
    }
    typeError("unknown operator " + op);
}

bool applyTest(const std::string& name, const Value& v, ValueList& args)
{
    using K = Value::Kind;
    const Value a0 = args.empty() ? Value() : args[0];
    if (name == "defined")
        return !v.isUndefined();
    if (name == "undefined")
        return v.isUndefined();
    if (name == "none")
        return v.isNone();
    if (name == "string")
        return v.isString();
    if (name == "number")
        return v.isNumber();
    if (name == "integer")
        return v.kind() == K::Int;
    if (name == "float")
        return v.kind() == K::Float;
    if (name == "boolean")
        return v.kind() == K::Bool;
    if (name == "true")
        return v.kind() == K::Bool && v.asBool();
    if (name == "false")
        return v.kind() == K::Bool && !v.asBool();
    if (name == "mapping")
        return v.isDict();
    if (name == "sequence")
        return v.isList() || v.isString() || v.isDict();
    if (name == "iterable")
        return v.isList() || v.isString() || v.isDict();
    if (name == "callable")
        return v.isFunction();
    if (name == "odd" || name == "even")
        return (v.asInt() % 2 != 0) == (name == "odd");
    if (name == "divisibleby")
        return a0.asInt() != 0 && v.asInt() % a0.asInt() == 0;
    if (name == "eq" || name == "equalto" || name == "==" || name == "sameas")
        return v == a0;
    if (name == "ne" || name == "!=")
        return !(v == a0);
    if (name == "lt" || name == "lessthan")
        return lessThan(v, a0);
    if (name == "gt" || name == "greaterthan")
        return lessThan(a0, v);
    if (name == "le")
        return !lessThan(a0, v);
    if (name == "ge")
        return !lessThan(v, a0);
    if (name == "in")
        return contains(a0, v);
    if (name == "lower" || name == "upper")
        return v.isString() && v.str() == asciiMap(v.str(), name == "lower" ? ::tolower : ::toupper);
    unsupported("the test '" + name + "'");
}

Value applyFilter(const std::string& name, const Value& v, ValueList& args, KwArgs& kw)
{
    if (name == "trim")
        return Value(strip(v.toString(), arg(args, kw, 0, "chars"), true, true));
    if (name == "tojson") {
        // transformers' tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)
        Value::JsonOptions o;
        o.ensureAscii = arg(args, kw, 0, "ensure_ascii").truthy();
        const Value& indent = arg(args, kw, 1, "indent");
        const std::int64_t spaces = indent.isNumber() ? indent.asInt() : -1;
        if (spaces > 1024)
            typeError("tojson indent " + std::to_string(spaces) + " is more than 1024");
        o.indent = int(std::max<std::int64_t>(-1, spaces));
        const Value& separators = arg(args, kw, 2, "separators");
        if (separators.isList() && separators.items().size() == 2) {
            o.itemSeparator = separators.items()[0].toString();
            o.keySeparator = separators.items()[1].toString();
        }
        o.sortKeys = arg(args, kw, 3, "sort_keys").truthy();
        return Value(v.toJson(o));
    }
    if (name == "length" || name == "count")
        return Value(std::int64_t(v.length()));
    if (name == "string")
        return Value(v.toString());
    if (name == "safe" || name == "e" || name == "escape" || name == "forceescape") {
        if (name == "safe")
            return v;
        std::string out;
        for (const char c : v.toString()) {
            switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&#34;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
            }
        }
        return Value(out);
    }
    if (name == "upper" || name == "lower" || name == "title" || name == "capitalize") {
        ValueList none;
        KwArgs noKw;
        Value m = stringMethod(v.toString(), name);
        return m.fn()(none, noKw);
    }
    if (name == "replace") {
        const Value& c = arg(args, kw, 2, "count");
        return Value(replace(v.toString(), arg(args, kw, 0, "old").toString(), arg(args, kw, 1, "new").toString(),
                             c.isUndefined() ? -1 : c.asInt()));
    }
    if (name == "default" || name == "d") {
        const bool boolean = arg(args, kw, 1, "boolean").truthy();
        if (v.isUndefined() || (boolean && !v.truthy())) {
            const Value& fallback = arg(args, kw, 0, "default_value");
            return fallback.isUndefined() ? Value("") : fallback;
        }
        return v;
    }
    if (name == "first" || name == "last") {
        const ValueList items = iterate(v);
        return items.empty() ? Value() : name == "first" ? items.front() : items.back();
    }
    if (name == "list")
        return Value::list(iterate(v));
    if (name == "reverse") {
        if (v.isString())
            return slice(v, Value(), Value(), Value(std::int64_t(-1)));
        ValueList items = iterate(v);
        std::reverse(items.begin(), items.end());
        return Value::list(std::move(items));
    }
    if (name == "join") {
        const std::string sep = arg(args, kw, 0, "d").isUndefined() ? "" : arg(args, kw, 0, "d").toString();
        const Value& attribute = arg(args, kw, 1, "attribute");
        std::string out;
        bool first = true;
        for (const auto& item : iterate(v)) {
            out += (first ? "" : sep) + (attribute.isUndefined() ? item : getItem(item, attribute)).toString();
            first = false;
            checkLength(out.size());
        }
        return Value(out);
    }
    if (name == "int") {
        if (v.isString()) {
            try {
                return Value(std::int64_t(std::stoll(strip(v.str(), Value(), true, true))));
            } catch (const std::exception&) {
                return arg(args, kw, 0, "default").isUndefined() ? Value(std::int64_t(0)) : arg(args, kw, 0, "default");
            }
        }
        return v.isNumber() ? Value(v.asInt()) : Value(std::int64_t(0));
    }
    if (name == "float") {
        if (v.isString()) {
            try {
                return Value(std::stod(v.str()));
            } catch (const std::exception&) {
                return Value(0.0);
            }
        }
        return v.isNumber() ? Value(v.asDouble()) : Value(0.0);
    }
    if (name == "abs") {
        if (v.kind() == Value::Kind::Float)
            return Value(std::fabs(v.asDouble()));
        if (v.asInt() == std::numeric_limits<std::int64_t>::min())
            overflow("abs");
        return Value(std::int64_t(std::llabs(v.asInt())));
    }
    if (name == "items")
        return getAttribute(v, "items").fn()(args, kw);
    if (name == "indent") {
        const Value& w = arg(args, kw, 0, "width");
        const std::int64_t width = w.isString() || w.isUndefined() ? 4 : w.asInt();
        if (width < 0 || width > 1024)
            typeError("indent width " + std::to_string(width) + " is not between 0 and 1024");
        const std::string pad = w.isString() ? w.str() : std::string(std::size_t(width), ' ');
        const bool first = arg(args, kw, 1, "first").truthy(), blank = arg(args, kw, 2, "blank").truthy();
        const Value lines = split(v.toString(), Value("\n"), -1);
        std::string out;
        for (std::size_t i = 0; i < lines.items().size(); ++i) {
            const std::string& line = lines.items()[i].str();
            if (i)
                out += '\n';
            if ((i > 0 || first) && (blank || !line.empty()))
                out += pad;
            out += line;
            checkLength(out.size());
        }
        return Value(out);
    }
    if (name == "map" || name == "select" || name == "reject" || name == "selectattr" || name == "rejectattr") {
        ValueList out;
        for (const auto& item : iterate(v)) {
            if (name == "map") {
                const Value& attribute = arg(args, kw, 99, "attribute");
                if (!attribute.isUndefined()) {
                    Value got = getItem(item, attribute);
                    out.push_back(got.isUndefined() ? arg(args, kw, 99, "default") : got);
                } else {
                    ValueList rest(args.begin() + (args.empty() ? 0 : 1), args.end());
                    out.push_back(applyFilter(args.at(0).toString(), item, rest, kw));
                }
                continue;
            }
            const bool byAttr = name == "selectattr" || name == "rejectattr";
            const Value subject = byAttr ? getItem(item, args.at(0)) : item;
            const std::size_t testAt = byAttr ? 1 : 0;
            bool keep;
            if (args.size() <= testAt) {
                keep = subject.truthy();
            } else {
                ValueList rest(args.begin() + std::ptrdiff_t(testAt) + 1, args.end());
                keep = applyTest(args[testAt].toString(), subject, rest);
            }
            if (keep == (name == "select" || name == "selectattr"))
                out.push_back(item);
        }
        return Value::list(std::move(out));
    }
    if (name == "unique") {
        ValueList out;
        for (const auto& item : iterate(v))
            if (std::find(out.begin(), out.end(), item) == out.end())
                out.push_back(item);
        return Value::list(std::move(out));
    }
    if (name == "sum") {
        Value total(std::int64_t(0));
        for (const auto& item : iterate(v))
            total = binaryOp("+", total, item);
        return total;
    }
    if (name == "min" || name == "max") {
        const ValueList items = iterate(v);
        if (items.empty())
            return Value();
        return *std::min_element(items.begin(), items.end(), [&](const Value& a, const Value& b) {
            return name == "min" ? lessThan(a, b) : lessThan(b, a);
        });
    }
    if (name == "wordcount")
        return Value(std::int64_t(split(v.toString(), Value(), -1).items().size()));
    unsupported("the filter '" + name + "'");
}

ValueDict builtinGlobals(std::optional<std::time_t> now)
{
    ValueDict g;
    g.set("range", Value::function([](ValueList& a, KwArgs&) {
              std::int64_t start = 0, stop = 0, step = 1;
              if (a.size() == 1)
                  stop = a[0].asInt();
              else if (a.size() >= 2)
                  start = a[0].asInt(), stop = a[1].asInt();
              if (a.size() >= 3)
                  step = a[2].asInt();
              if (step == 0)
                  typeError("range() step must not be zero");
              // Counted in 128 bits: the bounds may be any two 64-bit integers.
              const __int128 span = __int128(stop) - start;
              const __int128 count = span == 0 || (span > 0) != (step > 0) ? 0 : (span + step - (step > 0 ? 1 : -1)) / step;
              if (count > 10'000'000)
                  typeError("range() of more than 10 million items");
              ValueList out;
              for (std::int64_t k = 0; k < std::int64_t(count); ++k)
                  out.emplace_back(std::int64_t(start + __int128(k) * step));
              return Value::list(std::move(out));
          }));
    const auto makeDict = [](ValueList&, KwArgs& kw) {
        ValueDict d;
        for (auto& [k, v] : kw)
            d.set(k, v);
        return Value::dict(std::move(d));
    };
    g.set("namespace", Value::function(makeDict));
    g.set("dict", Value::function(makeDict));
    g.set("raise_exception", Value::function([](ValueList& a, KwArgs&) -> Value {
              throw Error(ErrorCode::InvalidArgument,
                          "chat template raised: " + (a.empty() ? std::string() : a[0].toString()));
          }));
    g.set("strftime_now", Value::function([now](ValueList& a, KwArgs&) {
              const std::time_t t = now.value_or(std::time(nullptr));
              std::tm tm{};
              localtime_r(&t, &tm);
              char buf[256];
              const std::string fmt = a.empty() ? std::string("%Y-%m-%d") : a[0].toString();
              const std::size_t n = std::strftime(buf, sizeof buf, fmt.c_str(), &tm);
              return Value(std::string(buf, n));
          }));
    return g;
}

}  // namespace distill::tokenizer::jinja
