#include "widgets/models/run_event_parser.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace distill::widgets {

void RunEventParser::parseLine(const QByteArray& raw, Result& result)
{
    const QByteArray line = raw.trimmed();
    if (line.isEmpty())
        return;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error == QJsonParseError::NoError && doc.isObject())
        result.events.append(doc.object());
    else
        result.otherLines.append(line);
}

RunEventParser::Result RunEventParser::feed(const QByteArray& bytes)
{
    Result result;
    m_buffer.append(bytes);
    qsizetype start = 0;
    for (qsizetype nl = m_buffer.indexOf('\n'); nl >= 0; nl = m_buffer.indexOf('\n', start)) {
        parseLine(m_buffer.mid(start, nl - start), result);
        start = nl + 1;
    }
    m_buffer.remove(0, start);
    return result;
}

RunEventParser::Result RunEventParser::finish()
{
    Result result;
    parseLine(m_buffer, result);
    m_buffer.clear();
    return result;
}

}  // namespace distill::widgets
