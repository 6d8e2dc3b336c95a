// A user's file written through a temporary file in the same folder and renamed over it by commit():
// a failed or cancelled write leaves the file as it was, a crash never leaves it half-written.
#pragma once

#include <string>
#include <string_view>

namespace distill::util {

class ReplacingFile {
public:
    // Creates the temporary file beside `path`; Io naming the folder when it cannot.
    explicit ReplacingFile(const std::string& path);
    // Without commit(): the temporary file is removed and the target left as it was.
    ~ReplacingFile();
    ReplacingFile(const ReplacingFile&) = delete;
    ReplacingFile& operator=(const ReplacingFile&) = delete;

    void write(std::string_view bytes);
    // Flushed to the disk, then renamed over the target; Io naming the file on failure.
    void commit();

private:
    void flush();

    std::string m_path;
    std::string m_temp;
    int m_fd = -1;
    std::string m_buffer;
};

}  // namespace distill::util
