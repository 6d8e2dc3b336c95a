// UI language selection and translator installation.
#include "widgets/views/language.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace distill::widgets {

namespace {
const char kSettingsKey[] = "ui/language";

QTranslator*& installedTranslator()
{
    static QTranslator* translator = nullptr;
    return translator;
}
}  // namespace

QList<QPair<QString, QString>> availableLanguages()
{
    return {{QStringLiteral("en"), QStringLiteral("English")},
            {QStringLiteral("zh_CN"), QStringLiteral("简体中文")}};
}

QString savedLanguage()
{
    return QSettings().value(kSettingsKey).toString();
}

void saveLanguage(const QString& code)
{
    QSettings settings;
    if (code.isEmpty())
        settings.remove(kSettingsKey);
    else
        settings.setValue(kSettingsKey, code);
}

QString effectiveLanguage()
{
    const QString saved = savedLanguage();
    for (const auto& [code, name] : availableLanguages())
        if (code == saved)
            return code;
    const QLocale system = QLocale::system();
    if (system.language() == QLocale::Chinese && system.script() != QLocale::TraditionalChineseScript)
        return QStringLiteral("zh_CN");
    return QStringLiteral("en");
}

bool applyLanguage(const QString& code)
{
    QTranslator*& current = installedTranslator();
    if (current) {
        QCoreApplication::removeTranslator(current);
        delete current;
        current = nullptr;
    }
    if (code == QLatin1String("en"))
        return true;
    auto* translator = new QTranslator(QCoreApplication::instance());
    if (!translator->load(QStringLiteral(":/i18n/distillery_%1.qm").arg(code))) {
        delete translator;
        return false;
    }
    QCoreApplication::installTranslator(translator);
    current = translator;
    return true;
}

}  // namespace distill::widgets
