#include "core/util/loopback.h"

#include <algorithm>
#include <cctype>

namespace distill::util {

bool isLoopbackHost(std::string_view host)
{
    std::string h(host);
    for (char& c : h)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    if (h == "localhost" || h == "::1" || h == "[::1]")
        return true;
    int parts = 0;
    for (std::size_t begin = 0; begin <= h.size(); ++parts) {
        const std::size_t end = std::min(h.find('.', begin), h.size());
        const std::string_view part = std::string_view(h).substr(begin, end - begin);
        if (part.empty() || part.size() > 3
            || !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })
            || std::stoi(std::string(part)) > 255 || (parts == 0 && part != "127"))
            return false;
        begin = end + 1;
    }
    return parts == 4;
}

std::string urlHost(std::string_view url)
{
    if (const auto scheme = url.find("://"); scheme != std::string_view::npos)
        url.remove_prefix(scheme + 3);
    url = url.substr(0, url.find_first_of("/?#"));
    if (const auto at = url.rfind('@'); at != std::string_view::npos)
        url.remove_prefix(at + 1);
    if (!url.empty() && url.front() == '[')
        return std::string(url.substr(1, url.find(']') - 1));
    return std::string(url.substr(0, url.find(':')));
}

}  // namespace distill::util
