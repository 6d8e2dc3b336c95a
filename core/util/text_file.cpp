#include "core/util/text_file.h"

#include "core/util/error.h"

#include <fstream>
#include <sstream>

namespace distill::util {

std::string readTextFile(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, "cannot read " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeTextFile(const std::filesystem::path& file, const std::string& text)
{
    std::ofstream out(file, std::ios::binary);
    out << text;
    out.close();
    if (!out)
        throw Error(ErrorCode::Io, "cannot write " + file.string());
}

}  // namespace distill::util
