// Translated text for core error codes.
#include "widgets/models/error_text.h"

#include "core/util/error.h"

#include <QCoreApplication>

namespace distill::widgets {

namespace {
QString codeText(ErrorCode code)
{
    const char* context = "distill::widgets::ErrorText";
    switch (code) {
    case ErrorCode::InvalidArgument: return QCoreApplication::translate(context, "Invalid input");
    case ErrorCode::NotFound: return QCoreApplication::translate(context, "Not found");
    case ErrorCode::Io: return QCoreApplication::translate(context, "File error");
    case ErrorCode::Parse: return QCoreApplication::translate(context, "Malformed data");
    case ErrorCode::Unsupported: return QCoreApplication::translate(context, "Not supported");
    case ErrorCode::Database: return QCoreApplication::translate(context, "Database error");
    case ErrorCode::Cancelled: return QCoreApplication::translate(context, "Cancelled");
    case ErrorCode::Network: return QCoreApplication::translate(context, "Network error");
    case ErrorCode::Internal: return QCoreApplication::translate(context, "Internal error");
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
