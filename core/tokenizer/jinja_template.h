// A compiled Jinja template rendered the way transformers renders chat templates
// (trim_blocks, lstrip_blocks, loop controls, {% generation %} spans, strftime_now, raise_exception).
#pragma once

#include "core/tokenizer/jinja_parser.h"
#include "core/tokenizer/jinja_value.h"

#include <ctime>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace distill::tokenizer::jinja {

class Template {
public:
    explicit Template(const std::string& source);  // throws Parse / Unsupported

    // Renders with the given top-level variables. `now` pins strftime_now (for reproducible
    // renders); `generationSpans` receives the byte ranges of {% generation %} blocks.
    std::string render(const ValueDict& variables, std::optional<std::time_t> now = std::nullopt,
                       std::vector<std::pair<std::size_t, std::size_t>>* generationSpans = nullptr) const;

    bool hasGenerationBlocks() const { return m_hasGeneration; }

private:
    Body m_body;
    bool m_hasGeneration = false;
};

}  // namespace distill::tokenizer::jinja
