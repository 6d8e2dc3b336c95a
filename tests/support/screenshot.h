// Screenshots of the widget tests: a grab of a widget saved as <build>/screenshots/<name>, to be
// looked at after a run.
#pragma once

#include <QDir>
#include <QImage>
#include <QString>
#include <QWidget>

namespace distill::test {

// False when the folder or the file could not be written.
inline bool saveScreenshot(QWidget& widget, const QString& name)
{
    const QString dir = QDir(QStringLiteral(DISTILLERY_BINARY_DIR)).filePath(QStringLiteral("screenshots"));
    return QDir().mkpath(dir) && widget.grab().toImage().save(QDir(dir).filePath(name));
}

}  // namespace distill::test
