#include "core/util/replacing_file.h"

#include "core/util/error.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

namespace distill::util {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kFlushBytes = 1 << 20;

[[noreturn]] void ioError(const std::string& what, const std::string& path, int error = errno)
{
    throw Error(ErrorCode::Io, what + " " + path + ": " + std::strerror(error));
}

}  // namespace

ReplacingFile::ReplacingFile(const std::string& path) : m_path(path)
{
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::random_device seed;
    for (int attempt = 0; m_fd < 0; ++attempt) {
        std::string name = ".";
        name += target.filename().string();
        name += ".partial-";
        name += std::to_string(seed());
        m_temp = (dir / name).string();
        m_fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (m_fd < 0 && (errno != EEXIST || attempt == 10))
            ioError("cannot write next to", path);
    }
}

ReplacingFile::~ReplacingFile()
{
    if (m_fd >= 0) {
        ::close(m_fd);
        ::unlink(m_temp.c_str());
    }
}

void ReplacingFile::write(std::string_view bytes)
{
    m_buffer += bytes;
    if (m_buffer.size() >= kFlushBytes)
        flush();
}

void ReplacingFile::commit()
{
    flush();
    if (::fsync(m_fd) != 0)
        ioError("cannot write", m_temp);
    const bool closed = ::close(m_fd) == 0;
    m_fd = -1;
    if (!closed || ::rename(m_temp.c_str(), m_path.c_str()) != 0) {
        const int error = errno;
        ::unlink(m_temp.c_str());
        ioError(closed ? "cannot replace" : "cannot write", closed ? m_path : m_temp, error);
    }
}

void ReplacingFile::flush()
{
    std::size_t done = 0;
    while (done < m_buffer.size()) {
        const ssize_t n = ::write(m_fd, m_buffer.data() + done, m_buffer.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            ioError("cannot write", m_temp);
        done += std::size_t(n);
    }
    m_buffer.clear();
}

}  // namespace distill::util
