// The nesting limit of untrusted JSON. The JSON library parses any depth, but copying, printing and
// walking a value recurse, so a file nested 100,000 deep would overflow the stack: check first.
#pragma once

#include <cstddef>
#include <string_view>

namespace distill::util {

constexpr std::size_t kMaxJsonDepth = 64;  // arrays and objects inside each other

// Throws Error(Parse) "<what>: line L: JSON nested deeper than 64 levels" when `text` nests arrays
// and objects deeper than `maxDepth`. Only brackets outside strings count; the text need not be
// valid JSON (the parser reports other faults).
void checkJsonDepth(std::string_view text, std::string_view what, std::size_t maxDepth = kMaxJsonDepth);

}  // namespace distill::util
