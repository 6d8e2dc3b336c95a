// The tiny reference checkpoints the model tests load: tests/fixtures/models/<name>.
#pragma once

#include <filesystem>
#include <string>

namespace distill::test {

inline std::filesystem::path modelFixture(const std::string& name)
{
    return std::filesystem::path(DISTILLERY_SOURCE_DIR) / "tests/fixtures/models" / name;
}

}  // namespace distill::test
