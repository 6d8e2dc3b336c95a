// Statement: a small RAII wrapper around a prepared SQLite statement (bind, step, read columns),
// plus exec() for plain SQL. Every SQLite failure becomes a distill::Error (Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace distill::store {

// Runs one or more SQL statements without results.
void exec(sqlite3* db, std::string_view sql);
// Throws the connection's last error as a Database Error, prefixed with `context`.
[[noreturn]] void throwSqlite(sqlite3* db, std::string_view context);

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT), except by bindStable.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, std::int64_t(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    // Binds text without copying it: it must stay valid until the statement is reset (run() resets).
    Statement& bindStable(int index, std::string_view text);
    Statement& bind(int index, std::optional<double> value);
    Statement& bindNull(int index);
    Statement& bindBlob(int index, const void* data, int size);

    // Advances; true when a row is available.
    bool step();
    // Steps until done (for statements without results) and resets.
    void run();
    // Clears bindings and rewinds so the statement can run again.
    void reset();

    std::int64_t int64At(int column) const;
    double doubleAt(int column) const;
    std::string textAt(int column) const;
    std::string_view textViewAt(int column) const;  // valid until the next step/reset
    bool isNull(int column) const;
    std::optional<double> optionalDoubleAt(int column) const;

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

}  // namespace distill::store
