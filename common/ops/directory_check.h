// `scimctl directory check` and the start-up check of workers and daemon:
// judges the directory mapping (common/config/directory_mapping.h) against
// the live schema and says exactly what is wrong. Pure: the facts are read
// by common/db/schema_facts and passed in.
#ifndef SCIM_COMMON_OPS_DIRECTORY_CHECK_H_
#define SCIM_COMMON_OPS_DIRECTORY_CHECK_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config/directory_mapping.h"

namespace scim::ops {

// One column as information_schema.COLUMNS describes it.
struct ColumnFacts {
  std::string name;
  std::string data_type;      // DATA_TYPE, lower case: "varchar", "enum", "tinyint" ...
  std::string column_type;    // COLUMN_TYPE: "enum('a','b')", "tinyint(3) unsigned" ...
  long long max_length = -1;  // CHARACTER_MAXIMUM_LENGTH; -1 when NULL
  bool nullable = true;
  bool has_default = false;     // COLUMN_DEFAULT is not NULL
  bool auto_increment = false;  // EXTRA has auto_increment
  bool generated = false;       // a VIRTUAL/STORED generated column (cannot be written)
};

// One table of the mapping, as the configured account sees it.
struct MappedTableFacts {
  std::string name;             // schema.table, for messages
  bool schema_visible = false;  // in information_schema.SCHEMATA
  bool table_visible = false;   // in information_schema.TABLES
  std::vector<ColumnFacts> columns;
  // Columns that alone make a PRIMARY or UNIQUE key.
  std::vector<std::string> unique_columns;
  // What the server answered to each statement the mapping needs, tried
  // on no row (WHERE 1 = 0, rolled back): "" when it was allowed.
  std::string select_error, insert_error, update_error, delete_error;
};

struct DirectoryFacts {
  std::string account;               // CURRENT_USER(), for messages
  MappedTableFacts users;            // directory.table
  MappedTableFacts groups, members;  // read only with directory.groups = tables
};

enum class Level { kError, kWarning };
std::string_view LevelName(Level level);  // "error", "warning"

struct Problem {
  Level level = Level::kError;
  std::string key;     // the config key concerned, e.g. "directory.column.email"
  std::string detail;  // what is wrong, naming the table, column and value
};

// Every problem, in the order of the config keys; empty when the mapping
// fits the schema. Errors make workers and the daemon refuse to start;
// warnings do not (userName/email columns under 255 characters, NOT NULL
// columns without a default that the mapping leaves out, no DELETE).
std::vector<Problem> CheckDirectory(const config::DirectoryMapping& m, const DirectoryFacts& facts);

// True when any problem is an error.
bool HasErrors(const std::vector<Problem>& problems);

// Why column c cannot hold value (as written by scimsync, bound as a
// string), or nullopt when it can: ENUM/SET members (exact spelling),
// integer ranges, numbers, character lengths. Exposed for tests.
std::optional<std::string> WhyValueDoesNotFit(const ColumnFacts& c, std::string_view value);

}  // namespace scim::ops

#endif  // SCIM_COMMON_OPS_DIRECTORY_CHECK_H_
