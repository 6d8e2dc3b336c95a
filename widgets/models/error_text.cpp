// Translated text for core error codes.
#include "widgets/models/error_text.h"

#include "core/util/error.h"

#include <QCoreApplication>

namespace distill::widgets {

namespace {
QString codeText(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return QCoreApplication::translate("distill::widgets::ErrorText", "Invalid input");
    case ErrorCode::NotFound: return QCoreApplication::translate("distill::widgets::ErrorText", "Not found");
    case ErrorCode::Io: return QCoreApplication::translate("distill::widgets::ErrorText", "File error");
    case ErrorCode::Parse: return QCoreApplication::translate("distill::widgets::ErrorText", "Malformed data");
    case ErrorCode::Unsupported: return QCoreApplication::translate("distill::widgets::ErrorText", "Not supported");
    case ErrorCode::Database: return QCoreApplication::translate("distill::widgets::ErrorText", "Database error");
    case ErrorCode::Cancelled: return QCoreApplication::translate("distill::widgets::ErrorText", "Cancelled");
    case ErrorCode::Network: return QCoreApplication::translate("distill::widgets::ErrorText", "Network error");
    case ErrorCode::Internal: return QCoreApplication::translate("distill::widgets::ErrorText", "Internal error");
    }
    return {};
}
}  // namespace

QString errorMessage(const std::exception& error)
{
    const auto* e = dynamic_cast<const Error*>(&error);
    if (!e)
        return QString::fromStdString(error.what());
    QString text = codeText(e->code()) + QStringLiteral(": ") + QString::fromStdString(e->detail());
    if (!e->hint().empty())
        text += QStringLiteral(" (") + QString::fromStdString(e->hint()) + QLatin1Char(')');
    return text;
}

}  // namespace distill::widgets
