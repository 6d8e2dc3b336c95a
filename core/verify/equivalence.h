// Equivalence of a predicted and a gold answer: Equal / NotEqual / Unknown with a reason.
// Rules (see docs/verify.md): plain numbers compare exactly (a decimal on either side allows a
// relative 1e-4); `p\%` matches p and p/100; `d^\circ` matches d and d*pi/180; "x = v", "AB = v" and
// "a + b = v" match v; ordered tuples stay ordered, sets and bare lists "a, b" (or "a; b") are unordered;
// "(11,7) or (7,11)" accepts either; times of day compare as times; letters A-J are choices.
#pragma once

#include <string>
#include <string_view>

namespace distill::verify {

enum class Verdict { Equal, NotEqual, Unknown };

std::string_view verdictName(Verdict verdict);

struct Equivalence {
    Verdict verdict = Verdict::Unknown;
    std::string reason;
};

// Compares two bare answers (already extracted). Never throws; unparseable input is Unknown.
// Thread-safe: symbolic work (GiNaC) is serialised internally, the numeric fast path is not.
Equivalence compareAnswers(std::string_view pred, std::string_view gold);

// True when the answer is understood as mathematics (parsed into a symbolic form), false for word
// answers, choice letters and what the parser rejects. Lets dataset tools report checkable answers.
bool parsesAsMath(std::string_view answer);

}  // namespace distill::verify
