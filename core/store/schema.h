// The workspace schema as an ordered list of forward migrations (version N -> SQL that brings a
// version N-1 file to version N). PRAGMA user_version holds the version of a file.
#pragma once

#include <string_view>
#include <vector>

struct sqlite3;

namespace distill::store {

struct Migration {
    int version;           // the version the file has after this step
    std::string_view sql;  // run inside one transaction
};

const std::vector<Migration>& migrations();

// Brings the open database from its user_version to the newest version, one transaction per step.
// A version newer than this build knows is an Unsupported error. Returns the final version.
int migrate(sqlite3* db);

// PRAGMA user_version of the open database.
int fileSchemaVersion(sqlite3* db);

}  // namespace distill::store
