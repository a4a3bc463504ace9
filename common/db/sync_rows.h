// The rows that the workers, the daemon and scimctl all write: audit_log
// entries and open sync_conflicts. One writer each, so the three agree on
// columns and NULLs; and the one reader of the audit log (scimctl audit, the
// admin console). Each function runs on the caller's session.
#ifndef SCIM_COMMON_DB_SYNC_ROWS_H_
#define SCIM_COMMON_DB_SYNC_ROWS_H_

#include <soci/soci.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace scim::db {

// One audit_log row at NOW(3). Empty strings are stored as NULL (actor,
// operation and outcome are required). Never a password or a token.
struct AuditRow {
  std::string actor;
  std::string request_id, client;
  std::string resource_type, resource_id, user_name;
  std::string operation;
  std::string changes;
  std::string outcome;
  std::string detail;
};
void InsertAudit(soci::session& sql, const AuditRow& row);
// The same for many, 500 to a statement.
void InsertAudits(soci::session& sql, const std::vector<AuditRow>& rows);

// Which audit_log rows ReadAudit returns: all that match every field set.
struct AuditFilter {
  int64_t since_ms = 0;   // written at or after this time (ms since the epoch)
  std::string user_name;  // about this userName (exact match); "" for any user
  int64_t until_ms = 0;   // written before this time; 0 for no upper bound
  std::string actor;      // by this token name or admin (exact); "" for any
  std::string operation;  // this operation (exact: create, patch, token create …); "" for any
  std::string outcome;    // this outcome (exact: ok, done, refused …); "" for any
};

// One audit_log row as read back. NULL columns read as "".
struct AuditEntry {
  std::string at;  // UTC, "YYYY-MM-DDTHH:MM:SS.ffffffZ"
  AuditRow row;
};

// Its columns by name, in the order the exports (scimctl audit --json, the
// console's CSV and JSON) write them.
std::vector<std::pair<const char*, const std::string*>> AuditColumns(const AuditEntry& e);

// The rows that match filter, oldest first (in the order they were written).
// Throws soci::soci_error: call it inside Guarded.
std::vector<AuditEntry> ReadAudit(soci::session& sql, const AuditFilter& filter);

// One page of the rows that match filter, newest first: up to limit rows
// after skipping offset (the admin console's audit page).
std::vector<AuditEntry> ReadAuditNewestFirst(soci::session& sql, const AuditFilter& filter,
                                             long long limit, long long offset);

// One audit_log row for an admin action (scimctl, the admin console):
// outcome "done", about the user user_name when one is given.
void InsertAdminAudit(soci::session& sql, const std::string& actor, const std::string& operation,
                      const std::string& detail, const std::string& user_name = "");

// Opens the user's conflict, or refreshes last_seen of the open one (one
// open row per user). local_since: "YYYY-MM-DDTHH:MM:SS.ffffffZ", or "" for
// now. Returns true when the row is new.
struct ConflictRow {
  std::string scim_id, user_name;
  bool idp_active = true;
  bool local_active = false;
  std::string local_by, local_reason, local_since;
  std::string policy;  // local_wins | idp_wins
};
bool UpsertOpenConflict(soci::session& sql, const ConflictRow& row);

// How many conflicts are open (for scimctl status).
long long CountOpenConflicts(soci::session& sql);

// Deletes up to 10,000 audit_log rows older than days (the scim-syncd
// prune runs it once a minute).
void PruneAudit(soci::session& sql, long long days);

// Closes the user's open conflict, if any, with this resolution. Returns
// true when one closed.
bool ResolveOpenConflict(soci::session& sql, const std::string& scim_id,
                         const std::string& resolution);

// The conflicts, open ones only unless all, oldest first; times as
// "YYYY-MM-DDTHH:MM:SSZ" ("" for no local_since).
struct ConflictListing {
  unsigned long long id = 0;
  std::string user_name;
  bool idp_active = true, local_active = false;
  std::string local_by, local_reason, local_since, opened_at, last_seen_at, policy, resolution;
};
std::vector<ConflictListing> ListConflicts(soci::session& sql, bool all);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_SYNC_ROWS_H_
