// Parses Jinja template source into a tree, with transformers' lexer settings (trim_blocks,
// lstrip_blocks, no trailing newline) and the statements chat templates use.
#pragma once

#include "core/tokenizer/jinja_value.h"

#include <memory>
#include <string>
#include <vector>

namespace distill::tokenizer::jinja {

struct Expr;
struct Stmt;
using ExprPtr = std::unique_ptr<Expr>;
using Body = std::vector<std::unique_ptr<Stmt>>;

// Expressions and blocks nest at most this deep: parsing, rendering and freeing the tree recurse
// once per level, and a template is untrusted input.
constexpr int kMaxNesting = 100;

struct Expr {
    enum class Kind {
        Literal, Name, GetAttr, GetItem, Slice, Call, Filter, Test, Neg, Not, Binary, And, Or, Ternary,
        ListLit, TupleLit, DictLit
    };
    Kind kind;
    int line = 0;
    int depth = 1;                      // levels of the tree below and including this node
    Value literal;                      // Literal
    std::string name;                   // Name, GetAttr attribute, Filter/Test name, Binary operator
    std::vector<ExprPtr> args;          // operands / call args / list items / dict keys+values
    std::vector<std::string> kwNames;   // keyword argument names, matching the last args
    bool negated = false;               // Test: "is not"
};

struct Stmt {
    enum class Kind { Text, Output, If, For, Set, SetBlock, Macro, Break, Continue, Generation };
    Kind kind;
    int line = 0;
    std::string text;                    // Text
    ExprPtr expr;                        // Output, Set value, For iterable
    std::vector<ExprPtr> conditions;     // If: one per branch; For: optional filter in [0]
    std::vector<Body> bodies;            // If: branch bodies (+ else); For: body (+ else); Macro/SetBlock/Generation: body
    std::vector<std::string> targets;    // For loop variables, Set targets ("ns.attr" for attributes), Macro name
    std::vector<std::string> params;     // Macro parameter names
    std::vector<ExprPtr> defaults;       // Macro defaults (null when none), aligned with params
};

// Throws Error(Parse) with the line on a syntax error, Error(Unsupported) on a tag we do not implement.
Body parseTemplate(const std::string& source);

}  // namespace distill::tokenizer::jinja
