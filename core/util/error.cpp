#include "core/util/error.h"

namespace distill {

std::string_view errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::Io: return "io";
    case ErrorCode::Parse: return "parse";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Database: return "database";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Network: return "network";
    case ErrorCode::Internal: return "internal";
    }
    return "unknown";
}

static std::string composeMessage(ErrorCode code, const std::string& detail, const std::string& hint)
{
    std::string msg = std::string(errorCodeName(code)) + ": " + detail;
    if (!hint.empty())
        msg += " (" + hint + ")";
    return msg;
}

Error::Error(ErrorCode code, std::string detail, std::string hint)
    : std::runtime_error(composeMessage(code, detail, hint))
    , m_code(code)
    , m_detail(std::move(detail))
    , m_hint(std::move(hint))
{
}

}  // namespace distill
