#include "core/util/json_depth.h"

#include "core/util/error.h"

#include <string>

namespace distill::util {

void checkJsonDepth(std::string_view text, std::string_view what, std::size_t maxDepth)
{
    std::size_t depth = 0;
    std::size_t line = 1;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') {
            ++line;
        } else if (inString) {
            if (c == '\\')
                ++i;  // the escaped character cannot end the string
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                throw Error(ErrorCode::Parse,
                            std::string(what) + ": line " + std::to_string(line) + ": JSON nested deeper than "
                                + std::to_string(maxDepth) + " levels",
                            "no file of this kind nests that deep; it is damaged or made to crash readers");
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
}

}  // namespace distill::util
