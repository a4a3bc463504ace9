// Shared SQL for the SCIM view tables (scim_users, scim_groups): reading
// records, filtered and paged queries with bound values, and the
// change-queue insert. Column names come from fixed maps, never requests.
#ifndef SCIM_COMMON_DB_RECORD_QUERY_H_
#define SCIM_COMMON_DB_RECORD_QUERY_H_

#include <soci/soci.h>

#include <functional>
#include <optional>
#include <string>

#include "common/db/connection.h"
#include "common/scim/store.h"

namespace scim::db {

// The table's SQL column for a Column, or nullptr when it has none.
using ColumnMap = const char* (*)(Column);

// related_sql, when not null: a scalar subquery over the table aliased `t`
// giving the record's related resources as a JSON array of [id, display]
// pairs (NULL for none); they land in ResourceRecord::related with type
// related_type. Saves the second query of every GET and list page.
struct RelatedColumn {
  const char* sql = nullptr;
  const char* type = "";
};

// SELECT id, version, created_ms, last_modified_ms, attributes FROM table
// WHERE id = :id. nullopt when absent. Errors: 500 for unreadable JSON.
Result<std::optional<ResourceRecord>> ReadRecord(soci::session& sql, const std::string& table,
                                                 const std::string& id, bool for_update,
                                                 RelatedColumn related = {});

// Runs the query against table: the requested slice and the total count
// (counted with a second statement only when the slice does not show it).
Result<Page> QueryRecords(soci::session& sql, const std::string& table, ColumnMap columns,
                          const StoreQuery& query, RelatedColumn related = {});

// Inserts one pending change_queue row. REQUIRES: inside the transaction
// that made the change.
void EnqueueChange(soci::session& sql, const ResourceTypeDef& type, const std::string& id,
                   long long version, const std::string& op, const std::string& payload);

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
