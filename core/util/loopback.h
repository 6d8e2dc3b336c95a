// Whether a host name or address is this machine, for rules that only trust loopback traffic
// (an API key over plain http, a server without a key).
#pragma once

#include <string>
#include <string_view>

namespace distill::util {

// 127.0.0.0/8 (four decimal parts), ::1 (bracketed or not) or localhost, in any letter case.
bool isLoopbackHost(std::string_view host);

// The host of an http(s) URL, without user info, port or IPv6 brackets ("" when there is none).
std::string urlHost(std::string_view url);

}  // namespace distill::util
