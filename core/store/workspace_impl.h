// Internals shared by the workspace's source files: the connection, the prepared-statement cache
// and the transaction depth. Not part of the public API.
#pragma once

#include "core/store/statement.h"
#include "core/store/workspace.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace distill::store {

struct Workspace::Impl {
    sqlite3* db = nullptr;
    std::string path;
    int version = 0;
    bool readOnly = false;
    std::int64_t cacheKiB = 0;  // the page cache the connection was opened with
    int depth = 0;  // open Transaction objects
    mutable std::unordered_map<std::string, std::unique_ptr<Statement>> cache;

    // The last full-text match set (ascending sample ids), valid while `matchVersion` holds.
    mutable std::string matchQuery;
    mutable std::string matchVersion;
    mutable std::vector<std::int64_t> matchIds;
    mutable std::int64_t matchTotal = 0;  // all samples, counted with the match set

    ~Impl();
    // Changes whenever this or another connection commits a change to the file.
    std::string dataVersion() const;
    // A prepared statement for `sql`, prepared once per connection, reset and ready to bind.
    Statement& stmt(const std::string& sql) const;
    void requireWritable() const;
};

// Columns of `samples` in the order readSample() expects, for "SELECT <kSampleColumns> FROM samples".
extern const char* const kSampleColumns;
Sample readSample(const Statement& st);

// XXH3-64 of text as a signed 64-bit integer (SQLite's integer type).
std::int64_t hashText(std::string_view text);

}  // namespace distill::store
