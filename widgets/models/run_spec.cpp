#include "widgets/models/run_spec.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

namespace distill::widgets {

QString writeSpecFile(const QString& folder, const QString& stem, const QString& yamlText)
{
    if (!QDir().mkpath(folder))
        return {};
    const QString path = QDir(folder).filePath(
        QStringLiteral("%1-%2.yaml").arg(stem, QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"))));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(yamlText.toUtf8());
    return file.error() == QFile::NoError ? path : QString();
}

}  // namespace distill::widgets
