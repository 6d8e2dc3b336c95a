// Whole-file text reads and writes with errors that name the file.
#pragma once

#include <filesystem>
#include <string>

namespace distill::util {

// The file's bytes; NotFound naming the file when it cannot be read.
std::string readTextFile(const std::filesystem::path& file);
// Replaces the file's contents; Io naming the file when it cannot be written.
void writeTextFile(const std::filesystem::path& file, const std::string& text);

}  // namespace distill::util
