// The change_queue table (sql/001_init.sql): the only code that reads or
// writes it. Workers enqueue each SCIM write in its own transaction; the
// daemon claims, marks done, retries or kills rows; scim-syncd prunes done
// rows; scimctl counts, lists, retries and drops them. Each function runs
// on the caller's session and inside the caller's transaction, if any. The
// payload format is in common/scim/change_payload.h.
#ifndef SCIM_COMMON_DB_CHANGE_QUEUE_H_
#define SCIM_COMMON_DB_CHANGE_QUEUE_H_

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/scim/schema.h"

namespace scim::db {

// Inserts one pending row, due now. op: "upsert" or "delete". REQUIRES:
// inside the transaction that made the change.
void EnqueueChange(soci::session& sql, const ResourceTypeDef& type, const std::string& id,
                   long long version, const std::string& op, const std::string& payload);

// --- The daemon's batch (one transaction: ClaimDueChanges opens it) ---

struct ClaimedChange {
  int64_t id = 0;
  std::string resource_type;
  std::string resource_id;
  int64_t version = 0;
  std::string payload;
  int attempts = 0;  // failed attempts so far
};

// Begins a READ COMMITTED transaction and locks up to limit due pending
// rows, in queue order, skipping rows another daemon has locked (SELECT …
// FOR UPDATE SKIP LOCKED): daemons side by side never take one row twice.
std::vector<ClaimedChange> ClaimDueChanges(soci::session& sql, int limit);

// Marks one row done (done_at now).
void MarkChangeDone(soci::session& sql, int64_t id);

// Marks every row of ids done in one statement. REQUIRES: ids not empty.
void MarkChangesDone(soci::session& sql, const std::vector<int64_t>& ids);

// Records a failed attempt: attempts + 1, last_error (its first 2000
// bytes), and the row is dead, or pending again after delay_ms.
void MarkChangeFailed(soci::session& sql, int64_t id, const std::string& error, bool dead,
                      int64_t delay_ms);

// Deletes up to 10,000 done rows older than retention_days. Dead rows are
// never pruned: only an admin drops them (DropDeadChange).
void PruneDoneChanges(soci::session& sql, long long retention_days);

// --- What scimctl shows and does ---

struct QueueCounts {
  long long pending = 0, in_flight = 0, retrying = 0, dead = 0, done = 0;
  std::optional<int64_t> oldest_pending_ms;  // its age; nullopt: nothing pending
};

// The rows by status. In flight: among the 1000 oldest pending rows (the
// ones daemons claim first), those locked by a daemon's batch right now
// (found in a transaction of its own, rolled back).
QueueCounts ReadQueueCounts(soci::session& sql);

struct ListedChange {
  int64_t id = 0;
  std::string resource_type, resource_id;
  int64_t version = 0;
  int attempts = 0;
  std::string created;     // "YYYY-MM-DDTHH:MM:SSZ"
  std::string last_error;  // "" when none
};

// Up to limit pending rows (dead ones when dead), in queue order.
std::vector<ListedChange> ListChanges(soci::session& sql, bool dead, long long limit);

// Queues dead rows again (all of them, or the one with id) with a fresh
// attempt budget, due now. Returns how many.
long long RetryDeadChanges(soci::session& sql, bool all, long long id);

// Deletes the dead row id and returns what it was ("User <id> v<n>:
// <last error>"), or nullopt when there is no dead row with that id.
std::optional<std::string> DropDeadChange(soci::session& sql, long long id);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_CHANGE_QUEUE_H_
