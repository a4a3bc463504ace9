// Shared SQL for the SCIM view tables (scim_users, scim_groups): reading
// records, filtered and paged queries with bound values, and the audit
// rows of writes. Column names come from fixed maps, never requests.
#ifndef SCIM_COMMON_DB_RECORD_QUERY_H_
#define SCIM_COMMON_DB_RECORD_QUERY_H_

#include <soci/soci.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/db/connection.h"
#include "common/scim/store.h"

namespace scim::db {

// The bound value :name as it is compared with an id column (ascii_bin,
// like every id column): "CONVERT(:name USING ascii) COLLATE ascii_bin".
// A character that is not ASCII becomes '?', which no id contains, so such
// a value matches nothing (=, LIKE) instead of failing with MariaDB 1267
// (illegal mix of collations); indexes serve it as they serve :name.
std::string IdParam(std::string_view name);

// The table's SQL column for a Column, or nullptr when it has none.
using ColumnMap = const char* (*)(Column);

// How to read a record's related resources (a user's groups) with it:
// `join` LEFT JOINs them to the table aliased `t` as columns `r_id`,
// `r_display`, `r_seq` (one row each, none: NULLs); `of_owners` selects
// owner id, id, display and seq for the owner ids appended as "(…)". They
// land in ResourceRecord::related, in seq order, with type `type`. Saves
// the second query of a GET, and one query per user of a list page.
// Never for a group's members (they can be 50,000).
struct RelatedSpec {
  const char* join = nullptr;
  const char* of_owners = nullptr;
  const char* type = "";
};

// SELECT id, version, created_ms, last_modified_ms, attributes FROM table
// WHERE key_column = :key (a unique column; id unless said) with its
// related resources, when given and not for_update. nullopt when absent.
// Errors: 500 for unreadable JSON.
Result<std::optional<ResourceRecord>> ReadRecord(soci::session& sql, const std::string& table,
                                                 const std::string& key, bool for_update,
                                                 RelatedSpec related = {},
                                                 const char* key_column = "id");

// Runs the query against table: the requested slice (with related
// resources, when given and the slice is bounded) and the total count
// (counted with a second statement only when the slice does not show it).
Result<Page> QueryRecords(soci::session& sql, const std::string& table, ColumnMap columns,
                          const StoreQuery& query, RelatedSpec related = {});

// One audit_log row for a SCIM write. REQUIRES: inside its transaction
// (or alone, for a refusal).
void WriteAuditRow(soci::session& sql, const ResourceTypeDef& type, const std::string& id,
                   const std::string& name, const WriteAudit& audit);

// Best effort: writes the row of a refused write on its own.
void AuditRefusalRow(Connection& conn, const ResourceTypeDef& type, std::string_view id,
                     const WriteAudit& audit);

// After an UPDATE/DELETE … WHERE id = ? AND version = ? touched no row:
// 404 when the id is gone, else 412 (someone else changed it).
ScimError MissedVersion(soci::session& sql, const std::string& table, const std::string& id);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_RECORD_QUERY_H_
