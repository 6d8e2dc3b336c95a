#include "core/tokenizer/jinja_template.h"

#include "core/tokenizer/jinja_builtins.h"
#include "core/util/error.h"

#include <unordered_map>

namespace distill::tokenizer::jinja {

namespace {

// Templates are user data: bound recursion so a self-calling macro is an error, not a crash, and
// the work of one render (statements run, expressions evaluated, loop turns) so a loop over
// range(10**7) inside another is an error, not a hang.
constexpr int kMaxMacroDepth = 200;
constexpr std::int64_t kMaxRenderSteps = 2'000'000;

struct BreakSignal {};
struct ContinueSignal {};

bool containsGeneration(const Body& body)
{
    for (const auto& s : body) {
        if (s->kind == Stmt::Kind::Generation)
            return true;
        for (const auto& b : s->bodies)
            if (containsGeneration(b))
                return true;
    }
    return false;
}

class Renderer {
public:
    Renderer(const ValueDict& variables, std::optional<std::time_t> now, std::string& out,
             std::vector<std::pair<std::size_t, std::size_t>>* spans)
        : m_out(&out), m_spans(spans)
    {
        m_scopes.emplace_back();
        for (auto& [k, v] : builtinGlobals(now).items)
            m_scopes.back()[k] = v;
        // Copies: what the template appends or assigns never reaches the caller's values.
        for (const auto& [k, v] : variables.items)
            m_scopes.back()[k] = v.deepCopy();
        m_scopes.emplace_back();  // template-level assignments
    }

    void exec(const Body& body)
    {
        for (const auto& s : body)
            exec(*s);
    }

private:
    Value lookup(const std::string& name) const
    {
        for (auto it = m_scopes.rbegin(); it != m_scopes.rend(); ++it) {
            const auto found = it->find(name);
            if (found != it->end())
                return found->second;
        }
        return Value();
    }

    void assign(const std::string& target, Value v, int line)
    {
        const auto dot = target.find('.');
        if (dot == std::string::npos) {
            m_scopes.back()[target] = std::move(v);
            return;
        }
        const Value ns = lookup(target.substr(0, dot));
        if (!ns.isDict())
            throw Error(ErrorCode::InvalidArgument, "chat template line " + std::to_string(line) +
                                                        ": cannot assign an attribute of a non-namespace");
        ns.entries().set(target.substr(dot + 1), std::move(v));
    }

    void assignTargets(const std::vector<std::string>& targets, const Value& v, int line)
    {
        if (targets.size() == 1) {
            assign(targets[0], v, line);
            return;
        }
        if (!v.isList() || v.items().size() != targets.size())
            throw Error(ErrorCode::InvalidArgument, "chat template line " + std::to_string(line) +
                                                        ": cannot unpack " + v.repr() + " into " +
                                                        std::to_string(targets.size()) + " names");
        for (std::size_t i = 0; i < targets.size(); ++i)
            assign(targets[i], v.items()[i], line);
    }

    void tick(int line)
    {
        if (++m_steps > kMaxRenderSteps)
            throw Error(ErrorCode::InvalidArgument, "chat template line " + std::to_string(line)
                                                        + ": the render takes more than "
                                                        + std::to_string(kMaxRenderSteps) + " steps");
    }

    void write(const std::string& text, int line)
    {
        if (m_out->size() + text.size() > kMaxTemplateString)
            throw Error(ErrorCode::InvalidArgument, "chat template line " + std::to_string(line)
                                                        + ": the output grows past "
                                                        + std::to_string(kMaxTemplateString) + " bytes");
        *m_out += text;
    }

    void exec(const Stmt& s)
    {
        tick(s.line);
        switch (s.kind) {
        case Stmt::Kind::Text:
            write(s.text, s.line);
            break;
        case Stmt::Kind::Output:
            write(eval(*s.expr).toString(), s.line);
            break;
        case Stmt::Kind::If:
            for (std::size_t i = 0; i < s.bodies.size(); ++i) {
                if (i >= s.conditions.size() || eval(*s.conditions[i]).truthy()) {
                    exec(s.bodies[i]);
                    break;
                }
            }
            break;
        case Stmt::Kind::For:
            execFor(s);
            break;
        case Stmt::Kind::Set:
            assignTargets(s.targets, eval(*s.expr), s.line);
            break;
        case Stmt::Kind::SetBlock: {
            std::string captured;
            std::string* saved = m_out;
            m_out = &captured;
            exec(s.bodies[0]);
            m_out = saved;
            assignTargets(s.targets, Value(captured), s.line);
            break;
        }
        case Stmt::Kind::Macro:
            defineMacro(s);
            break;
        case Stmt::Kind::Break:
            throw BreakSignal();
        case Stmt::Kind::Continue:
            throw ContinueSignal();
        case Stmt::Kind::Generation: {
            const std::size_t begin = m_out->size();
            exec(s.bodies[0]);
            if (m_spans)
                m_spans->emplace_back(begin, m_out->size());
            break;
        }
        }
    }

    void execFor(const Stmt& s)
    {
        const Value iterable = eval(*s.expr);
        ValueList items;
        if (iterable.isDict()) {
            for (const auto& [k, _] : iterable.entries().items)
                items.emplace_back(k);
        } else if (iterable.isString()) {
            items = applyFilter("list", iterable, m_noArgs, m_noKw).items();
        } else if (iterable.isList()) {
            items = iterable.items();
        } else if (!iterable.isUndefined()) {
            throw Error(ErrorCode::InvalidArgument, "chat template line " + std::to_string(s.line) + ": " +
                                                        iterable.repr() + " is not iterable");
        }
        if (!s.conditions.empty()) {  // for x in xs if cond: filter first, so loop.length counts kept items
            ValueList kept;
            m_scopes.emplace_back();
            for (auto& item : items) {
                assignTargets(s.targets, item, s.line);
                if (eval(*s.conditions[0]).truthy())
                    kept.push_back(item);
            }
            m_scopes.pop_back();
            items.swap(kept);
        }
        if (items.empty()) {
            if (s.bodies.size() > 1)
                exec(s.bodies[1]);
            return;
        }
        const auto n = std::int64_t(items.size());
        m_scopes.emplace_back();
        try {
            for (std::int64_t i = 0; i < n; ++i) {
                tick(s.line);
                ValueDict loop;
                loop.set("index0", Value(i));
                loop.set("index", Value(i + 1));
                loop.set("revindex0", Value(n - i - 1));
                loop.set("revindex", Value(n - i));
                loop.set("first", Value(i == 0));
                loop.set("last", Value(i == n - 1));
                loop.set("length", Value(n));
                loop.set("depth", Value(std::int64_t(1)));
                loop.set("depth0", Value(std::int64_t(0)));
                loop.set("previtem", i > 0 ? items[std::size_t(i - 1)] : Value());
                loop.set("nextitem", i + 1 < n ? items[std::size_t(i + 1)] : Value());
                loop.set("cycle", Value::function([i](ValueList& a, KwArgs&) {
                             return a.empty() ? Value() : a[std::size_t(i) % a.size()];
                         }));
                m_scopes.back().clear();
                m_scopes.back()["loop"] = Value::dict(std::move(loop));
                assignTargets(s.targets, items[std::size_t(i)], s.line);
                try {
                    exec(s.bodies[0]);
                } catch (const ContinueSignal&) {
                }
            }
        } catch (const BreakSignal&) {
        }
        m_scopes.pop_back();
    }

    void defineMacro(const Stmt& s)
    {
        const Stmt* macro = &s;
        m_scopes.back()[s.targets[0]] = Value::function([this, macro](ValueList& args, KwArgs& kwargs) {
            if (m_macroDepth >= kMaxMacroDepth)
                throw Error(ErrorCode::InvalidArgument, "chat template line " + std::to_string(macro->line) +
                                                            ": macros nest deeper than " +
                                                            std::to_string(kMaxMacroDepth));
            std::unordered_map<std::string, Value> frame;
            for (std::size_t i = 0; i < macro->params.size(); ++i) {
                Value v;
                if (i < args.size())
                    v = args[i];
                for (const auto& [k, kv] : kwargs)
                    if (k == macro->params[i])
                        v = kv;
                if (v.isUndefined() && macro->defaults[i])
                    v = eval(*macro->defaults[i]);
                frame[macro->params[i]] = v;
            }
            std::string captured;
            std::string* saved = m_out;
            m_out = &captured;
            m_scopes.push_back(std::move(frame));
            ++m_macroDepth;
            try {
                exec(macro->bodies[0]);
            } catch (...) {
                --m_macroDepth;
                m_scopes.pop_back();
                m_out = saved;
                throw;
            }
            --m_macroDepth;
            m_scopes.pop_back();
            m_out = saved;
            return Value(captured);
        });
    }

    void evalArgs(const Expr& e, std::size_t first, ValueList& args, KwArgs& kwargs)
    {
        const std::size_t nKw = e.kwNames.size();
        const std::size_t nPos = e.args.size() - first - nKw;
        for (std::size_t i = 0; i < nPos; ++i)
            args.push_back(eval(*e.args[first + i]));
        for (std::size_t i = 0; i < nKw; ++i)
            kwargs.emplace_back(e.kwNames[i], eval(*e.args[first + nPos + i]));
    }

    Value eval(const Expr& e)
    {
        tick(e.line);
        switch (e.kind) {
        case Expr::Kind::Literal:
            return e.literal;
        case Expr::Kind::Name:
            return lookup(e.name);
        case Expr::Kind::GetAttr:
            return getAttribute(eval(*e.args[0]), e.name);
        case Expr::Kind::GetItem:
            return getItem(eval(*e.args[0]), eval(*e.args[1]));
        case Expr::Kind::Slice: {
            const Value obj = eval(*e.args[0]);
            Value parts[3];
            for (int k = 0; k < 3; ++k)
                if (e.args[std::size_t(k) + 1])
                    parts[k] = eval(*e.args[std::size_t(k) + 1]);
            return slice(obj, parts[0], parts[1], parts[2]);
        }
        case Expr::Kind::Call: {
            const Value callee = eval(*e.args[0]);
            if (!callee.isFunction()) {
                std::string what = e.args[0]->kind == Expr::Kind::Name ? e.args[0]->name
                                   : e.args[0]->kind == Expr::Kind::GetAttr ? e.args[0]->name
                                                                             : std::string("expression");
                throw Error(ErrorCode::Unsupported, "chat template line " + std::to_string(e.line) + ": '" + what +
                                                        "' is not a function this engine provides");
            }
            ValueList args;
            KwArgs kwargs;
            evalArgs(e, 1, args, kwargs);
            return callee.fn()(args, kwargs);
        }
        case Expr::Kind::Filter: {
            const Value subject = eval(*e.args[0]);
            ValueList args;
            KwArgs kwargs;
            evalArgs(e, 1, args, kwargs);
            return applyFilter(e.name, subject, args, kwargs);
        }
        case Expr::Kind::Test: {
            const Value subject = eval(*e.args[0]);
            ValueList args;
            KwArgs kwargs;
            evalArgs(e, 1, args, kwargs);
            return Value(applyTest(e.name, subject, args) != e.negated);
        }
        case Expr::Kind::Neg: {
            const Value v = eval(*e.args[0]);
            if (v.kind() == Value::Kind::Float)
                return Value(-v.asDouble());
            return binaryOp("-", Value(std::int64_t(0)), v);
        }
        case Expr::Kind::Not:
            return Value(!eval(*e.args[0]).truthy());
        case Expr::Kind::And: {
            Value a = eval(*e.args[0]);
            return a.truthy() ? eval(*e.args[1]) : a;
        }
        case Expr::Kind::Or: {
            Value a = eval(*e.args[0]);
            return a.truthy() ? a : eval(*e.args[1]);
        }
        case Expr::Kind::Binary:
            return binaryOp(e.name, eval(*e.args[0]), eval(*e.args[1]));
        case Expr::Kind::Ternary:
            if (eval(*e.args[0]).truthy())
                return eval(*e.args[1]);
            return e.args.size() > 2 ? eval(*e.args[2]) : Value();
        case Expr::Kind::ListLit:
        case Expr::Kind::TupleLit: {
            ValueList items;
            for (const auto& a : e.args)
                items.push_back(eval(*a));
            return Value::list(std::move(items));
        }
        case Expr::Kind::DictLit: {
            ValueDict d;
            for (std::size_t i = 0; i + 1 < e.args.size(); i += 2)
                d.set(eval(*e.args[i]).toString(), eval(*e.args[i + 1]));
            return Value::dict(std::move(d));
        }
        }
        return Value();
    }

    std::vector<std::unordered_map<std::string, Value>> m_scopes;
    std::string* m_out;
    std::vector<std::pair<std::size_t, std::size_t>>* m_spans;
    ValueList m_noArgs;
    KwArgs m_noKw;
    int m_macroDepth = 0;
    std::int64_t m_steps = 0;
};

}  // namespace

Template::Template(const std::string& source) : m_body(parseTemplate(source))
{
    m_hasGeneration = containsGeneration(m_body);
}

std::string Template::render(const ValueDict& variables, std::optional<std::time_t> now,
                             std::vector<std::pair<std::size_t, std::size_t>>* generationSpans) const
{
    const ValueArena arena;  // frees the reference cycles the template made, when the render ends
    std::string out;
    Renderer r(variables, now, out, generationSpans);
    try {
        r.exec(m_body);
    } catch (const BreakSignal&) {
        throw Error(ErrorCode::Parse, "chat template: 'break' outside a loop");
    } catch (const ContinueSignal&) {
        throw Error(ErrorCode::Parse, "chat template: 'continue' outside a loop");
    }
    return out;
}

}  // namespace distill::tokenizer::jinja
