// Turns a distill::Error (or any exception from core) into translated text for the user.
#pragma once

#include <QString>

#include <exception>

namespace distill::widgets {

// "<what went wrong>: <detail> (<hint>)", the first part translated from the error code.
QString errorMessage(const std::exception& error);

}  // namespace distill::widgets
