#include "core/formats/json_stream.h"

#include "core/util/error.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace distill::formats {

namespace {

constexpr std::size_t kChunk = 1 << 20;

void trimTrailingBlanks(std::string& text)
{
    while (!text.empty() && std::strchr(" \t\r\n", text.back()))
        text.pop_back();
}

}  // namespace

RecordReader::RecordReader(const std::string& path, std::size_t maxRecordBytes) : m_maxBytes(maxRecordBytes)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw Error(ErrorCode::NotFound, "no such file: " + path);
    m_file = std::fopen(path.c_str(), "rb");
    if (!m_file)
        throw Error(ErrorCode::Io, "cannot read " + path + ": " + std::strerror(errno));
    m_total = std::filesystem::file_size(path, ec);
    // Skip a UTF-8 byte order mark and leading blanks to see whether this is an array.
    fill();
    if (m_buf.compare(0, 3, "\xEF\xBB\xBF") == 0)
        m_pos = 3;
    while (true) {
        while (m_pos < m_buf.size() && std::strchr(" \t\r\n", m_buf[m_pos])) {
            if (m_buf[m_pos] == '\n')
                ++m_line;
            ++m_pos;
        }
        if (m_pos < m_buf.size() || !fill())
            break;
    }
    if (m_pos < m_buf.size() && m_buf[m_pos] == '[') {
        m_array = true;
        ++m_pos;
    }
}

RecordReader::~RecordReader()
{
    if (m_file)
        std::fclose(m_file);
}

bool RecordReader::fill()
{
    // Keep the unread tail, append a chunk.
    m_consumed += m_pos;
    m_buf.erase(0, m_pos);
    m_pos = 0;
    const std::size_t old = m_buf.size();
    m_buf.resize(old + kChunk);
    const std::size_t got = std::fread(m_buf.data() + old, 1, kChunk, m_file);
    m_buf.resize(old + got);
    if (got == 0 && std::ferror(m_file))
        throw Error(ErrorCode::Io, std::string("read failed: ") + std::strerror(errno));
    return got > 0;
}

bool RecordReader::next(std::string& text, std::uint64_t& line)
{
    m_tooLong = false;
    return m_array ? nextElement(text, line) : nextLine(text, line);
}

void RecordReader::keep(std::string& text, const char* data, std::size_t size)
{
    if (m_tooLong)
        return;
    if (text.size() + size > m_maxBytes) {
        m_tooLong = true;
        std::string().swap(text);
        return;
    }
    text.append(data, size);
}

bool RecordReader::nextLine(std::string& text, std::uint64_t& line)
{
    while (true) {
        text.clear();
        line = m_line;
        bool eof = false;
        while (true) {
            const char* start = m_buf.data() + m_pos;
            const void* nl = std::memchr(start, '\n', m_buf.size() - m_pos);
            if (nl) {
                const std::size_t len = static_cast<const char*>(nl) - start;
                keep(text, start, len);
                m_pos += len + 1;
                ++m_line;
                break;
            }
            keep(text, start, m_buf.size() - m_pos);
            m_pos = m_buf.size();
            if (!fill()) {
                eof = true;
                break;
            }
        }
        if (!text.empty() && text.back() == '\r')
            text.pop_back();
        if (m_tooLong || text.find_first_not_of(" \t") != std::string::npos)
            return true;
        if (eof)
            return false;
    }
}

bool RecordReader::nextElement(std::string& text, std::uint64_t& line)
{
    text.clear();
    if (m_arrayDone)
        return false;
    // Skip blanks and the separating comma.
    while (true) {
        if (m_pos >= m_buf.size() && !fill())
            return false;
        const char c = m_buf[m_pos];
        if (c == '\n')
            ++m_line;
        if (c == ']') {
            ++m_pos;
            m_arrayDone = true;
            return false;
        }
        if (!std::strchr(" \t\r\n,", c))
            break;
        ++m_pos;
    }
    line = m_line;
    std::int64_t depth = 0;
    bool inString = false;
    bool escape = false;
    while (true) {
        if (m_pos >= m_buf.size() && !fill())
            return m_tooLong || !text.empty();  // truncated: hand out what there is, the parser will object
        const char c = m_buf[m_pos];
        if (inString) {
            if (escape)
                escape = false;
            else if (c == '\\')
                escape = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == ']' && depth == 0) {
            // ']' closing the array right after a scalar element.
            trimTrailingBlanks(text);
            return true;
        } else if ((c == '}' || c == ']') && depth > 0) {
            // A closer ends the element when it closes its first bracket; a '}' with nothing open
            // stays in the element (the parser rejects it) so that reading moves on.
            if (--depth == 0) {
                keep(text, &c, 1);
                ++m_pos;
                return true;
            }
        } else if (c == ',' && depth == 0) {
            trimTrailingBlanks(text);
            return true;
        }
        if (c == '\n')
            ++m_line;
        keep(text, &c, 1);
        ++m_pos;
    }
}

}  // namespace distill::formats
