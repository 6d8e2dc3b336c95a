// Python's str semantics for chat templates (internal to core/tokenizer's Jinja implementation).
#pragma once

#include "core/tokenizer/jinja_value.h"

#include <cstdint>
#include <string>
#include <vector>

namespace distill::tokenizer::jinja::detail {

// The UTF-8 code points of s, one string each (Python iterates a str by code point).
std::vector<std::string> codePoints(const std::string& s);
// str.strip / lstrip / rstrip: `chars` a str of characters, or Undefined / None for whitespace.
std::string strip(const std::string& s, const Value& chars, bool left, bool right);
// s with f (::toupper, ::tolower) applied to its ASCII letters.
std::string asciiMap(std::string s, int (*f)(int));
// str.title() over ASCII letters.
std::string titleCase(const std::string& s);
// str.split(sep, maxsplit): sep Undefined / None splits on whitespace runs; maxSplit < 0: no limit.
Value split(const std::string& s, const Value& sep, std::int64_t maxSplit);
// str.replace(from, to, count); count < 0: every occurrence.
std::string replace(const std::string& s, const std::string& from, const std::string& to, std::int64_t count);
// `s.name` as a bound method (startswith, strip, split, upper, replace, find, join, ...); Undefined
// when str has no such method.
Value stringMethod(const std::string& s, const std::string& name);

}  // namespace distill::tokenizer::jinja::detail
