// Finds the final answer in a model response (boxed, <answer> tag, "the answer is", GSM8K "####", the last
// maths span, the last number). Searched: the text after the last </think> (or Marco-o1's </Thought>),
// inside its last <Output>...</Output>; the first rule that yields something wins:
//   1. the last complete <answer>...</answer> (a \boxed inside it wins over its raw text);
//   2. the last \boxed{...} / \fbox{...} / \boxed X; boxes that directly precede it, separated only
//      by commas, "and", spaces or $, form one comma-separated list answer ("\boxed{2}, \boxed{3}" -> "2, 3");
//   3. the text after the last "final answer" / "the answer is" / "answer:" / "answer =" / 答案是 marker, up
//      to the end of its sentence (or the next non-empty line when the marker ends its line); a marker
//      followed by lower-case words only ("the answer is correct") loses to maths written after it;
//   4. the rest of the last "#### " line (GSM8K);
//   5. the whole text when it is a single short line that is not a sentence (a bare answer; a leading
//      "Therefore," / "Thus" / "So" is dropped);
//   6. the value of the last $...$, $$...$$, \(...\), \[...\] or align* span (over lines too; currency
//      "$15" is no delimiter; spans joined by "and" or commas form a list; "x = 2 + 3 = 5" gives 5),
//      unless a plain last line states a number after it;
//   7. the last number of the text ("1,000.99€" -> 1,000.99, "12 m²" -> 12, "25%").
// A response with an opening <think> but no </think> was cut off while thinking: no answer; one that
// stops inside an unclosed maths span has none either.
#pragma once

#include <string>
#include <string_view>

namespace distill::verify {

enum class ExtractRule { None, AnswerTag, Boxed, Marker, Gsm8k, Bare, MathSpan, LastNumber };

std::string_view extractRuleName(ExtractRule rule);

struct Extraction {
    std::string answer;  // cleaned of surrounding $ and trailing punctuation; may be empty (\boxed{})
    ExtractRule rule = ExtractRule::None;
    bool found() const { return rule != ExtractRule::None; }
};

Extraction extractAnswer(std::string_view response);

// Strips math delimiters ($, \(, \[), "**" emphasis and trailing sentence punctuation from a bare answer.
std::string trimAnswer(std::string_view answer);

// True when the text looks like a whole response rather than a bare answer.
bool looksLikeResponse(std::string_view text);

}  // namespace distill::verify
