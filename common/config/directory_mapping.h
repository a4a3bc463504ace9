// The mapping that describes the application's users table (DESIGN §5a):
// which table, its key, the column of each attribute scimsync may write,
// the values that mean active/inactive and each role, and the optional
// group tables. Pure: parsing and validation of the directory.* config
// keys, and the SQL fragments and value conversions built from it.
// The daemon writes through it (common/db/app_users, app_groups); `scimctl
// directory check` and the start-up check of workers and daemon read it.
#ifndef SCIM_COMMON_CONFIG_DIRECTORY_MAPPING_H_
#define SCIM_COMMON_CONFIG_DIRECTORY_MAPPING_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/scim/error.h"
#include "common/sync/settings.h"

namespace scim::config {

// The columns of the users table the mapping names, besides the key.
// kCreatedAt/kUpdatedAt are timestamps scimsync sets when it inserts /
// writes a row (for tables whose NOT NULL timestamps have no default).
enum class Attr {
  kUserName,
  kGivenName,
  kFamilyName,
  kDisplayName,
  kEmail,
  kExternalId,
  kDepartment,
  kTitle,
  kActive,
  kRole,
  kCreatedAt,
  kUpdatedAt,
};
inline constexpr size_t kAttrCount = 12;
// Every Attr, in the order above (the order of SelectList).
const std::array<Attr, kAttrCount>& AllAttrs();
// Its name in the config key directory.column.<name>: "user_name", ...
std::string_view AttrName(Attr attr);

// "[schema.]table". An empty schema is the scimsync database (db.name).
struct TableName {
  std::string schema;
  std::string table;
  bool operator==(const TableName&) const = default;
};

struct DirectoryMapping {
  TableName table;                              // directory.table (required)
  std::string key;                              // directory.key (required)
  std::array<std::string, kAttrCount> columns;  // directory.column.<attr>; "" = not mapped
  std::string active_value, inactive_value;     // directory.active_values (required)
  std::array<std::string, 3> role_values;       // directory.role_values, by sync::Role
  bool groups = false;                          // directory.groups: tables (true) | none
  TableName group_table;                        // directory.group_table
  std::string group_key;                        // directory.group_key
  std::string group_display_name;               // directory.group_column.display_name
  TableName member_table;                       // directory.member_table
  std::string member_group;                     // directory.member_column.group
  std::string member_user;                      // directory.member_column.user
  // directory.member_user_key: the users-table column whose value
  // member_user holds. Default: "" = directory.key.
  std::string member_user_key;

  const std::string& column(Attr attr) const { return columns[static_cast<size_t>(attr)]; }
  bool mapped(Attr attr) const { return !column(attr).empty(); }
  const std::string& role_value(sync::Role r) const { return role_values[static_cast<int>(r)]; }
  const std::string& member_user_key_or_key() const {
    return member_user_key.empty() ? key : member_user_key;
  }
};

// The embedded default, used when the config has no directory.* key: the
// bundled directory_users table of the scimsync database (sql/001_init.sql)
// and its groups (sql/002_groups.sql):
//   directory.table = directory_users, directory.key = id,
//   directory.column.{user_name,given_name,family_name,display_name,email,
//     active,role,created_at,updated_at} = the column of that name,
//   directory.active_values = 1, 0
//   directory.role_values = Registered=Registered, Moderator=Moderator, Admin=Admin
//   directory.groups = tables, directory.group_table = directory_groups,
//   directory.group_key = id, directory.group_column.display_name = display_name,
//   directory.member_table = directory_group_members,
//   directory.member_column.group = group_id, directory.member_column.user = user_id
// (sql/006 gave the bundled tables this shape: no scimsync column).
DirectoryMapping BundledDirectoryMapping();

// Sets one directory.* key (the full key, e.g. "directory.column.email")
// on *m. Errors: 404 for a key that is not a directory key (the caller
// reports it as unknown); 400 invalidValue saying what the key accepts.
Result<void> SetDirectoryKey(DirectoryMapping* m, std::string_view key, std::string_view value);

// The checks that need every key: required keys present (table, key,
// column.user_name, column.active, active_values), role_values exactly
// when column.role is set, no column named for two attributes, the key
// never a written column, group keys exactly when groups = tables.
// Errors: 400 invalidValue naming the key(s).
Result<void> ValidateMapping(const DirectoryMapping& m);

// True for 1..64 of [A-Za-z0-9_$]: the only identifiers a mapping takes.
bool IsIdentifier(std::string_view name);
// `name` for SQL, any backtick doubled (identifiers are checked by
// IsIdentifier, this keeps the rendering safe on its own).
std::string QuoteIdentifier(std::string_view name);
// `schema`.`table`, or `table` when the schema is empty.
std::string QuoteTable(const TableName& t);
// schema.table for messages, default_schema filling an empty schema.
std::string TableText(const TableName& t, std::string_view default_schema);

// The attributes the mapping maps, in AllAttrs() order.
std::vector<Attr> MappedAttrs(const DirectoryMapping& m);
// "`a`.`key`, `a`.`col1`, ..." : the key, then each MappedAttrs() column
// (alias empty: unqualified columns).
std::string SelectList(const DirectoryMapping& m, std::string_view alias);

// The active column's value read back -> active (true) / inactive (false);
// nullopt for any other value. ASCII case-insensitive, as a _ci column
// compares them.
std::optional<bool> ActiveFromColumn(const DirectoryMapping& m, std::string_view value);
const std::string& ActiveToColumn(const DirectoryMapping& m, bool active);
// The role column's value -> Role; nullopt for a value not in role_values
// (or no role column mapped).
std::optional<sync::Role> RoleFromColumn(const DirectoryMapping& m, std::string_view value);
const std::string& RoleToColumn(const DirectoryMapping& m, sync::Role role);

}  // namespace scim::config

#endif  // SCIM_COMMON_CONFIG_DIRECTORY_MAPPING_H_
