// RunEventParser: splits a job's stdout byte stream into JSON event objects, one per line, keeping
// a partial last line until its newline arrives. Lines that are not JSON objects are returned apart.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace distill::widgets {

class RunEventParser {
public:
    struct Result {
        QList<QJsonObject> events;
        QList<QByteArray> otherLines;  // non-empty lines that are not JSON objects
    };
    // Appends `bytes` and returns what the complete lines held.
    Result feed(const QByteArray& bytes);
    // The rest of the stream (a last line without newline), at the end of the process.
    Result finish();
    int pendingBytes() const { return int(m_buffer.size()); }

private:
    static void parseLine(const QByteArray& line, Result& result);
    QByteArray m_buffer;
};

}  // namespace distill::widgets
