// The daemon_heartbeats table (sql/005): each scim-syncd process keeps one
// row up to date while it runs and marks it stopped on a clean exit;
// `scimctl status` reads them. The only code that touches the table. Every
// time is the database server's NOW(3).
#ifndef SCIM_COMMON_DB_DAEMON_HEARTBEATS_H_
#define SCIM_COMMON_DB_DAEMON_HEARTBEATS_H_

#include <soci/soci.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/ops/liveness.h"

namespace scim::db {

struct HeartbeatRow {
  std::string daemon_id;  // drawn at start (a UUID): the row's key
  std::string host;
  int pid = 0;
  std::string mode;                                        // loop | once | reconcile
  int64_t last_batch_ms_ago = -1;                          // -1: no batch has claimed rows yet
  int64_t batches = 0, rows_applied = 0, rows_failed = 0;  // totals since start
  bool stopped = false;                                    // the last row of a clean exit
};

// Inserts the row (started now) or updates it: last seen now, the totals,
// the last batch time and whether it stopped. Idempotent, so safe to retry.
void WriteHeartbeat(soci::session& sql, const HeartbeatRow& row);

// Deletes rows not seen for a day when stopped, for a week otherwise (a
// crashed daemon stays visible longer). Bounded per call.
void PruneHeartbeats(soci::session& sql);

// Every row, most recently seen first, with ages by the server's clock.
std::vector<ops::DaemonSeen> ReadHeartbeats(soci::session& sql);

}  // namespace scim::db

#endif  // SCIM_COMMON_DB_DAEMON_HEARTBEATS_H_
