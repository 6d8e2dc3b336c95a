// UI language: the saved choice (QSettings "ui/language"), the system default, and loading the
// embedded distillery_<code>.qm translation into the application.
#pragma once

#include <QList>
#include <QPair>
#include <QString>

namespace distill::widgets {

// (code, native name) for every language the application ships, English first.
QList<QPair<QString, QString>> availableLanguages();
// The saved choice; an empty string means "follow the system locale".
QString savedLanguage();
void saveLanguage(const QString& code);
// The language to use: the saved choice, else the system locale when shipped, else "en".
QString effectiveLanguage();
// Installs the translator for `code` (replacing a previous one); "en" removes it. False when the
// embedded translation is missing.
bool applyLanguage(const QString& code);

}  // namespace distill::widgets
