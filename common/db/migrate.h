// Schema migrations: numbered SQL files (NNN_name.sql) applied in order and
// recorded in schema_migrations with their checksum. Idempotent; a file
// edited after it was applied is an error, since migrations are forward-only.
#ifndef SCIM_COMMON_DB_MIGRATE_H_
#define SCIM_COMMON_DB_MIGRATE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/db/connection.h"

namespace scim::db {

struct MigrationFile {
  int version = 0;
  std::string name;  // file name
  std::string text;
};

// Splits a migration into statements: a statement ends with ';' at the end
// of a line; lines starting with "--" are comments. Pure.
std::vector<std::string> SplitSqlStatements(std::string_view text);

// Reads dir/NNN_*.sql sorted by NNN. Errors: 404 when dir is unreadable,
// 400 invalidValue on two files with one number.
Result<std::vector<MigrationFile>> ReadMigrations(const std::string& dir);

// How the files compare with what schema_migrations records.
struct MigrationDiff {
  std::vector<std::string> pending;  // file names not applied yet, in order
  std::vector<std::string> edited;   // applied, but the file's checksum changed since
  std::vector<int> unknown;          // versions applied that have no file
};

// applied: version -> checksum as recorded. Pure.
MigrationDiff DiffMigrations(const std::map<int, std::string>& applied,
                             const std::vector<MigrationFile>& files);

// Reads schema_migrations (absent: nothing applied) and diffs it with the
// files. Changes nothing. Errors: 503 when the server cannot be reached.
Result<MigrationDiff> CompareMigrations(Connection& conn, const std::vector<MigrationFile>& files);

// Applies what is not yet recorded, under a named lock so two runs never
// interleave. Returns the names applied now (empty when up to date).
Result<std::vector<std::string>> Migrate(Connection& conn, const std::vector<MigrationFile>& files);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_MIGRATE_H_
