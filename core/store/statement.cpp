#include "core/store/statement.h"

#include "core/util/error.h"

#include <sqlite3.h>

namespace distill::store {

void throwSqlite(sqlite3* db, std::string_view context)
{
    std::string detail(context);
    detail += ": ";
    detail += sqlite3_errmsg(db);
    const int code = sqlite3_errcode(db);
    std::string hint;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        hint = "another process holds the workspace lock; try again";
    throw Error(ErrorCode::Database, std::move(detail), std::move(hint));
}

void exec(sqlite3* db, std::string_view sql)
{
    char* message = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string detail = message ? message : "unknown error";
        sqlite3_free(message);
        throw Error(ErrorCode::Database, "exec: " + detail + " [" + text.substr(0, 120) + "]");
    }
}

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db)
{
    if (sqlite3_prepare_v3(db, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr)
        != SQLITE_OK)
        throwSqlite(db, "prepare [" + std::string(sql.substr(0, 160)) + "]");
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt)
{
    other.m_stmt = nullptr;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK)
        throwSqlite(m_db, "bind");
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    if (sqlite3_bind_double(m_stmt, index, value) != SQLITE_OK)
        throwSqlite(m_db, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view text)
{
    if (sqlite3_bind_text(m_stmt, index, text.data(), int(text.size()), SQLITE_TRANSIENT) != SQLITE_OK)
        throwSqlite(m_db, "bind");
    return *this;
}

Statement& Statement::bindStable(int index, std::string_view text)
{
    if (sqlite3_bind_text(m_stmt, index, text.data(), int(text.size()), SQLITE_STATIC) != SQLITE_OK)
        throwSqlite(m_db, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::optional<double> value)
{
    return value ? bind(index, *value) : bindNull(index);
}

Statement& Statement::bindNull(int index)
{
    if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK)
        throwSqlite(m_db, "bind");
    return *this;
}

Statement& Statement::bindBlob(int index, const void* data, int size)
{
    if (sqlite3_bind_blob(m_stmt, index, data, size, SQLITE_TRANSIENT) != SQLITE_OK)
        throwSqlite(m_db, "bind");
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const std::string sql = sqlite3_sql(m_stmt) ? sqlite3_sql(m_stmt) : "";
    sqlite3_reset(m_stmt);
    throwSqlite(m_db, "step [" + sql.substr(0, 160) + "]");
}

void Statement::run()
{
    while (step()) {
    }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::int64_t Statement::int64At(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::doubleAt(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::textAt(int column) const
{
    return std::string(textViewAt(column));
}

std::string_view Statement::textViewAt(int column) const
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    if (!p)
        return {};
    return std::string_view(p, std::size_t(sqlite3_column_bytes(m_stmt, column)));
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::optional<double> Statement::optionalDoubleAt(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return doubleAt(column);
}

}  // namespace distill::store
