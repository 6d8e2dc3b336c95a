// Helpers shared by the Jinja builtins and the str methods (internal to core/tokenizer's Jinja
// implementation): template errors, the string-length bound, argument lookup and iteration.
#pragma once

#include "core/tokenizer/jinja_value.h"

#include <cstddef>
#include <string>

namespace distill::tokenizer::jinja::detail {

// InvalidArgument "chat template: <what>".
[[noreturn]] void typeError(const std::string& what);
// A string being built may not grow past kMaxTemplateString (checked as it grows, before it is huge).
void checkLength(std::size_t bytes);
[[noreturn]] void overflow(const std::string& op);
// Unsupported "chat template uses <what>, which is not supported".
[[noreturn]] void unsupported(const std::string& what);
// Positional argument `index`, else keyword `name`, else Undefined.
const Value& arg(ValueList& args, KwArgs& kwargs, std::size_t index, const char* name);
// What a for loop walks: a list's items, a dict's keys, a str's code points; Undefined: nothing.
ValueList iterate(const Value& v);

}  // namespace distill::tokenizer::jinja::detail
