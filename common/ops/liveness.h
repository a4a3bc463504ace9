// Is the change queue being drained? The verdict that `scimctl status`
// prints and turns into its exit code, from the daemons' heartbeats and
// the age of the oldest pending row. Pure: every age is measured by the
// database's clock before it gets here, so hosts' clocks never matter.
#ifndef SCIM_COMMON_OPS_LIVENESS_H_
#define SCIM_COMMON_OPS_LIVENESS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scim::ops {

// How long the queue may wait, and a daemon stay silent, before status
// warns: a minute (issue 13).
inline constexpr int64_t kStallWindowMs = 60000;

// One daemon_heartbeats row as status sees it.
struct DaemonSeen {
  std::string daemon_id;
  std::string host;
  int pid = 0;
  std::string mode;                // loop | once | reconcile
  int64_t started_ms = 0;          // epoch milliseconds (UTC)
  int64_t seen_ms_ago = 0;         // since its last heartbeat
  int64_t last_batch_ms_ago = -1;  // since its last batch that claimed rows; -1: none yet
  int64_t batches = 0, rows_applied = 0, rows_failed = 0;
  bool stopped = false;  // it exited cleanly (its last heartbeat is its exit)
};

// running: heartbeat within the window; stopped: exited cleanly; silent:
// neither (crashed, killed, hung or cut off from the database).
enum class DaemonState { kRunning, kStopped, kSilent };
DaemonState StateOf(const DaemonSeen& d, int64_t window_ms = kStallWindowMs);
std::string_view DaemonStateName(DaemonState s);

struct Liveness {
  bool stalled = false;
  std::string warning;  // a sentence for the operator when stalled, else ""
};

// Stalled when the oldest pending row is older than the window and no
// daemon that drains the queue (mode loop or once; reconcile does not)
// was seen within it, running or stopped since — a `--once` run from cron
// counts while it is recent. oldest_pending_ms: nullopt when nothing is
// pending.
Liveness AssessLiveness(std::optional<int64_t> oldest_pending_ms,
                        const std::vector<DaemonSeen>& daemons, int64_t window_ms = kStallWindowMs);

}  // namespace scim::ops

#endif  // SCIM_COMMON_OPS_LIVENESS_H_
