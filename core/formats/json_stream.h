// RecordReader: streams the records of a JSONL file or a top-level JSON array with bounded memory
// (one record of at most a set size in memory at a time), with line numbers and byte progress.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace distill::formats {

// Default limit on the text of one record (ImportOptions::maxRecordBytes).
inline constexpr std::size_t kMaxRecordBytes = std::size_t(64) << 20;

class RecordReader {
public:
    // Opens the file (NotFound / Io errors). A file whose first non-blank byte is '[' is read as
    // a JSON array (elements split without parsing them), anything else as JSON Lines. A record
    // longer than `maxRecordBytes` is skipped without being held in memory (see tooLong()).
    explicit RecordReader(const std::string& path, std::size_t maxRecordBytes = kMaxRecordBytes);
    ~RecordReader();
    RecordReader(const RecordReader&) = delete;
    RecordReader& operator=(const RecordReader&) = delete;

    // The next record's text and the 1-based line it starts on; false at the end.
    // Blank lines of JSONL are skipped. A truncated array yields its partial last element.
    bool next(std::string& text, std::uint64_t& line);
    // Whether the record next() returned last was longer than the limit: its text is then empty.
    bool tooLong() const { return m_tooLong; }
    std::size_t maxRecordBytes() const { return m_maxBytes; }

    bool isArray() const { return m_array; }
    std::uint64_t bytesRead() const { return m_consumed + m_pos; }
    std::uint64_t totalBytes() const { return m_total; }

private:
    bool fill();               // reads the next chunk; false at end of file
    void keep(std::string& text, const char* data, std::size_t size);  // appends within the limit
    bool nextLine(std::string& text, std::uint64_t& line);
    bool nextElement(std::string& text, std::uint64_t& line);

    std::FILE* m_file = nullptr;
    std::string m_buf;
    std::size_t m_pos = 0;     // next unread byte in m_buf
    std::uint64_t m_consumed = 0;
    std::uint64_t m_total = 0;
    std::uint64_t m_line = 1;  // line of m_buf[m_pos]
    bool m_array = false;
    bool m_arrayDone = false;
    std::size_t m_maxBytes;
    bool m_tooLong = false;
};

}  // namespace distill::formats
