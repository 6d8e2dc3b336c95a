// Lexing of Jinja source for the template parser: text and tags with transformers' whitespace
// rules (trim_blocks, lstrip_blocks, '-' markers), and the tokens of the expressions inside tags.
#pragma once

#include "core/tokenizer/jinja_value.h"

#include <string>
#include <vector>

namespace distill::tokenizer::jinja {

// A piece of template source: literal text, or a {{ }}, {% %} or {# #} tag.
struct Item {
    enum class Kind { Text, Var, Block, Comment } kind;
    std::string content;  // text, or the inside of the tag without delimiters and -/+ markers
    int line;
    char leftControl = 0;   // '-' or '+' right after the opening delimiter
    char rightControl = 0;  // '-' or '+' right before the closing delimiter
};

// Splits source into items, with whitespace control applied to the text items.
std::vector<Item> lexItems(std::string source);

struct Token {
    enum class Kind { Name, String, Int, Float, Op, End } kind;
    std::string text;
    Value value;
};

// Tokens of an expression (the inside of a tag); the last one is End.
std::vector<Token> lexExpression(const std::string& source, int line);

// `s` without leading and trailing spaces, tabs and newlines.
std::string trimmed(const std::string& s);

[[noreturn]] void syntaxError(int line, const std::string& what);

}  // namespace distill::tokenizer::jinja
