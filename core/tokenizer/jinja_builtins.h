// Jinja's filters, tests, global functions and the Python methods of str / list / dict that chat
// templates call, as free functions used by the template renderer.
#pragma once

#include "core/tokenizer/jinja_value.h"

#include <ctime>
#include <optional>
#include <string>

namespace distill::tokenizer::jinja {

// `obj.name`: a dict key, or a bound method of str / list / dict; Undefined when there is none.
Value getAttribute(const Value& obj, const std::string& name);
// `obj[key]` with Python indexing (negative list / str indexes); Undefined when missing.
Value getItem(const Value& obj, const Value& key);
// `obj[start:stop:step]` on lists and strings.
Value slice(const Value& obj, const Value& start, const Value& stop, const Value& step);

Value applyFilter(const std::string& name, const Value& subject, ValueList& args, KwArgs& kwargs);
bool applyTest(const std::string& name, const Value& subject, ValueList& args);
// Binary operators: + - * / // % ** ~ == != < > <= >= in, "not in".
Value binaryOp(const std::string& op, const Value& a, const Value& b);

// Globals every render sees: range, namespace, dict, raise_exception, strftime_now (at `now`).
ValueDict builtinGlobals(std::optional<std::time_t> now);

}  // namespace distill::tokenizer::jinja
