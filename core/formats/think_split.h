// Splits a response text into reasoning and answer at configurable tag pairs (<think>…</think>,
// <Thought>…</Thought> + <Output>…</Output>), inverse of the R1 template written on export.
#pragma once

#include "core/formats/importer.h"

#include <string>
#include <string_view>
#include <vector>

namespace distill::formats {

struct SplitText {
    std::string thinking;
    std::string answer;
    bool split = false;  // a tag was found (the text was changed)
};

// The first think pair whose open or close tag occurs is used: the reasoning is the text between
// the tags (one newline trimmed at each end; a missing open tag means "from the start", a missing
// close tag "to the end"); the answer is the rest after at most two newlines, unwrapped from an
// answer tag pair when one encloses it (or opens it and the text ends). Text without tags is all answer.
SplitText splitReasoning(std::string_view text, const std::vector<TagPair>& thinkTags,
                         const std::vector<TagPair>& answerTags);

}  // namespace distill::formats
