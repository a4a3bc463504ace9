// Adoption (DESIGN §5a): an application user that SCIM has never seen
// becomes a SCIM resource with a stable id. One transaction per call (per
// 500 rows), at READ COMMITTED; for each row, a scim_users row built from it (version 1,
// ScimAttributesOf), the directory_links row (applied state = the row as it is; an inactive row is
// a local deactivation by the application) and an audit entry "adopt". No change_queue row: the row
// already is what the SCIM view says. Protected rows and rows already linked are never adopted; a
// row whose userName a SCIM user already has is left to the daemon (it takes it over when it
// applies that user).
//
// Who adopts: a worker, for the rows its lookup (userName eq, externalId
// eq, emails.value eq) finds, before answering; a list from the start, for
// every row not adopted yet (AdoptSweep); scim-syncd when idle, and
// reconcile (AdoptKeys). Many rows at once cost a few statements per 500
// (AdoptRows). A lookup that finds nothing writes nothing.
#ifndef SCIM_COMMON_DB_ADOPTION_H_
#define SCIM_COMMON_DB_ADOPTION_H_

#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/config/directory_mapping.h"
#include "common/db/app_users.h"
#include "common/db/connection.h"
#include "common/scim/clock.h"

namespace scim::db {

struct Adopter {
  const AppUsers& users;
  Clock& clock;
  IdGenerator& ids;
  std::string actor;  // "scim-fcgi", "scim-syncd", "scim-syncd reconcile"
};

// Adopts the unlinked, unprotected rows whose mapped column for attr
// equals value (the column's collation decides case). Returns how many
// such rows it found: adopted by this call, or meanwhile by another
// adopter (the daemon's sweep; on Galera, a lookup through another node,
// whose row locks this node does not see). More than 0: read again.
// Errors: 503/500 from the database. attr must be mapped.
Result<int> AdoptWhere(Connection& conn, const Adopter& a, config::Attr attr,
                       const std::string& value);

// Adopts up to `limit` rows not adopted yet, in key order (only keys
// after `after`, when given), in transactions of at most 500. Returns how
// many; *reached (when given) is the last key it looked at, where a sweep
// that stopped at `limit` goes on. A row another transaction has locked is
// skipped, never waited for (a lookup adopting it, an admin protecting it).
Result<long long> AdoptSweep(Connection& conn, const Adopter& a, long long limit,
                             const std::optional<std::string>& after = std::nullopt,
                             std::string* reached = nullptr);

// Adopts the rows of keys (re-read under a lock, not linked yet), in
// transactions of at most 500. Fills *ids with key -> SCIM id of each row
// adopted, also of those adopted before an error stopped it; a key left
// out was left (no such row, linked, protected, or its userName taken) or
// not reached.
Result<void> AdoptKeys(Connection& conn, const Adopter& a, const std::vector<std::string>& keys,
                       std::map<std::string, std::string>* ids);

// The greatest key of the application's table ("" when it is empty): a
// sweep after the last one seen finds the rows made since, for tables
// whose keys grow (AUTO_INCREMENT); one index probe.
Result<std::string> NewestKey(Connection& conn, const AppUsers& users);

// Adopts the locked rows inside the caller's transaction, with a handful
// of statements whatever their number: one query for the userNames SCIM
// has, one multi-row insert each into scim_users, directory_links and
// audit_log. Returns the SCIM id of each row, in order, "" for a row left
// (linked, protected, its userName taken, or taken by an earlier row of
// rows as SCIM compares userNames).
std::vector<std::string> AdoptRows(soci::session& sql, const Adopter& a,
                                   const std::vector<sync::DirectoryUser>& rows);

// The row of user_name, locked and linked (adopted first when SCIM never
// saw it), for an admin's local action (scimctl, the console); a protected
// row as it is. nullopt when the application has no such user. Errors: 409
// when it cannot be adopted (a SCIM user has its userName).
Result<std::optional<sync::DirectoryUser>> LockLinkedRow(soci::session& sql, const Adopter& a,
                                                         const std::string& user_name);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_ADOPTION_H_
