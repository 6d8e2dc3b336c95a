// The reasoning template of R1-style responses: "<think>" reasoning "</think>" answer. Splits a raw
// response into its thinking and its final answer, with the tag configurable (<think>, <Thought>, ...).
#pragma once

#include <string_view>

namespace distill::text {

struct ThinkingSplit {
    std::string_view thinking;  // between the tags, surrounding whitespace trimmed
    std::string_view answer;    // after the closing tag, trimmed; empty when the tag is missing
    bool hasOpenTag = false;
    bool hasCloseTag = false;
};

// Splits raw at the first openTag and the first closeTag after it. A response without the opening
// tag (chat templates that put "<think>\n" in the prompt) is thinking up to closeTag. With no
// closing tag the whole rest is unfinished thinking and the answer is empty.
ThinkingSplit splitThinking(std::string_view raw, std::string_view openTag = "<think>",
                            std::string_view closeTag = "</think>");

// raw without leading and trailing ASCII whitespace.
std::string_view trimmed(std::string_view raw);

}  // namespace distill::text
