// This daemon's heartbeat (DESIGN §8): its row in daemon_heartbeats, written
// at start, then at most every kHeartbeatEvery however fast or idle the loop
// runs, and marked stopped on a clean exit. HeartbeatSchedule is the pure
// part (time passed in); Heartbeat writes through the daemon's Connection
// and only logs a failed write: the daemon's work goes on without it.
#ifndef SCIM_DAEMON_HEARTBEAT_H_
#define SCIM_DAEMON_HEARTBEAT_H_

#include <chrono>
#include <optional>
#include <string>

#include "common/db/connection.h"
#include "common/db/daemon_heartbeats.h"
#include "daemon/sync_loop.h"

namespace scim::sync {

// Far below the minute after which `scimctl status` calls a daemon silent.
inline constexpr std::chrono::milliseconds kHeartbeatEvery{5000};

class HeartbeatSchedule {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  // identity: daemon_id, host, pid and mode; the totals start at zero.
  explicit HeartbeatSchedule(db::HeartbeatRow identity) : row_(std::move(identity)) {}

  // Counts a batch that claimed rows, done at now.
  void AddBatch(const BatchStats& stats, TimePoint now);

  // The row to write at now: on the first call, then once kHeartbeatEvery
  // has passed since the last row it returned; else nullopt.
  std::optional<db::HeartbeatRow> Due(TimePoint now);

  // The row as of now (totals, last batch age), due or not.
  db::HeartbeatRow Row(TimePoint now) const;

 private:
  db::HeartbeatRow row_;
  std::optional<TimePoint> last_due_, last_batch_;
};

class Heartbeat {
 public:
  // Draws the daemon id, takes host and pid, and writes the first row.
  Heartbeat(db::Connection& conn, std::string mode);

  void AddBatch(const BatchStats& stats);
  // Writes the row when it is due; call it every loop turn.
  void Tick();
  // Writes the last row, marked stopped (a clean exit).
  void Stop();

 private:
  db::Connection& conn_;
  HeartbeatSchedule schedule_;
};

}  // namespace scim::sync

#endif  // SCIM_DAEMON_HEARTBEAT_H_
