// distill::Error: the one exception type core code throws (code + detail + hint).
// Widgets and the CLI turn codes into user-facing text; core never calls exit().
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace distill {

enum class ErrorCode {
    InvalidArgument,  // a caller passed something unusable
    NotFound,         // a file, row or key does not exist
    Io,               // reading or writing a file failed
    Parse,            // input text/JSON/YAML is malformed
    Unsupported,      // a valid input uses a feature we do not implement
    Database,         // SQLite reported an error
    Cancelled,        // the user or a callback stopped the work
    Network,          // an HTTP peer failed or misbehaved
    Internal,         // a bug: an invariant did not hold
};

std::string_view errorCodeName(ErrorCode code);

class Error : public std::runtime_error {
public:
    Error(ErrorCode code, std::string detail, std::string hint = {});

    ErrorCode code() const { return m_code; }
    const std::string& detail() const { return m_detail; }
    const std::string& hint() const { return m_hint; }

private:
    ErrorCode m_code;
    std::string m_detail;
    std::string m_hint;
};

}  // namespace distill
