#include "widgets/models/run_spec.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace distill::widgets {

namespace {

QString scalar(const QJsonValue& value)
{
    // A one-element array serialises the scalar with JSON quoting; strip the brackets.
    const QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

void writeObject(const QJsonObject& object, int indent, QString& out)
{
    const QString pad(indent, QLatin1Char(' '));
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.value().isObject() && it.value().toObject().isEmpty()) {
            out += pad + it.key() + QLatin1String(": {}\n");
        } else if (it.value().isArray() && it.value().toArray().isEmpty()) {
            out += pad + it.key() + QLatin1String(": []\n");
        } else if (it.value().isObject()) {
            out += pad + it.key() + QLatin1String(":\n");
            writeObject(it.value().toObject(), indent + 2, out);
        } else if (it.value().isArray()) {
            out += pad + it.key() + QLatin1String(":\n");
            for (const QJsonValue& item : it.value().toArray()) {
                if (item.isObject()) {
                    QString inner;
                    writeObject(item.toObject(), indent + 4, inner);
                    out += pad + QLatin1String("  - ") + inner.mid(indent + 4);
                } else {
                    out += pad + QLatin1String("  - ") + scalar(item) + QLatin1Char('\n');
                }
            }
        } else {
            out += pad + it.key() + QLatin1String(": ") + scalar(it.value()) + QLatin1Char('\n');
        }
    }
}

}  // namespace

QString specYaml(const QJsonObject& spec)
{
    QString out;
    writeObject(spec, 0, out);
    return out;
}

QString writeSpecFile(const QString& folder, const QString& stem, const QJsonObject& spec)
{
    if (!QDir().mkpath(folder))
        return {};
    const QString path = QDir(folder).filePath(
        QStringLiteral("%1-%2.yaml").arg(stem, QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz"))));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write(specYaml(spec).toUtf8());
    return file.error() == QFile::NoError ? path : QString();
}

}  // namespace distill::widgets
