// scimctl status (the queue, the daemons and whether the queue is being
// drained) and scimctl doctor (is the database set up safely).
#include <cstdio>
#include <iostream>
#include <optional>

#include "common/db/change_queue.h"
#include "common/db/connection.h"
#include "common/db/daemon_heartbeats.h"
#include "common/db/migrate.h"
#include "common/db/server_facts.h"
#include "common/db/sync_rows.h"
#include "common/ops/doctor.h"
#include "common/ops/liveness.h"
#include "common/scim/clock.h"
#include "ctl/commands.h"

namespace scim::ctl {
namespace {

struct QueueStatus {
  db::QueueCounts queue;
  long long conflicts = 0;  // open ones
};

Result<QueueStatus> ReadQueueStatus(db::Connection& conn) {
  return db::Guarded(conn, [&](soci::session& sql) -> Result<QueueStatus> {
    QueueStatus s;
    s.queue = db::ReadQueueCounts(sql);
    s.conflicts = db::CountOpenConflicts(sql);
    return s;
  });
}

void PrintQueue(const QueueStatus& s) {
  const db::QueueCounts& q = s.queue;
  std::cout << "queue: pending=" << q.pending << " in_flight=" << q.in_flight
            << " retrying=" << q.retrying << " dead=" << q.dead << " done=" << q.done
            << " oldest_pending_age_s=" << q.oldest_pending_ms.value_or(0) / 1000 << "\n"
            << "conflicts: open=" << s.conflicts << "\n";
}

// The summary line, then one line per daemon that is not stopped or
// stopped within the window (a stopped row is history; `--once` runs from
// cron leave one a minute).
void PrintDaemons(const std::vector<ops::DaemonSeen>& daemons, int64_t window_ms) {
  int counts[3] = {0, 0, 0};
  for (const auto& d : daemons) ++counts[static_cast<int>(ops::StateOf(d, window_ms))];
  std::cout << "daemons: running=" << counts[0] << " stopped=" << counts[1]
            << " silent=" << counts[2] << "\n";
  for (const auto& d : daemons) {
    ops::DaemonState state = ops::StateOf(d, window_ms);
    if (state == ops::DaemonState::kStopped && d.seen_ms_ago > window_ms) continue;
    std::cout << "daemon: host=" << d.host << " pid=" << d.pid << " mode=" << d.mode
              << " state=" << ops::DaemonStateName(state) << " seen_s_ago=" << d.seen_ms_ago / 1000
              << " started=" << FormatTimestamp(d.started_ms) << " last_batch_s_ago="
              << (d.last_batch_ms_ago < 0 ? "never" : std::to_string(d.last_batch_ms_ago / 1000))
              << " batches=" << d.batches << " applied=" << d.rows_applied
              << " failed=" << d.rows_failed << " id=" << d.daemon_id << "\n";
  }
}

// --stall-after SECONDS (default 60), or nullopt when malformed.
std::optional<int64_t> StallWindowMs(const Args& args) {
  std::string text = OptionValue(args, "--stall-after");
  if (text.empty()) return ops::kStallWindowMs;
  long long seconds = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%lld%c", &seconds, &extra) != 1 || seconds <= 0) {
    return std::nullopt;
  }
  return seconds * 1000;
}

Result<ops::MigrationFacts> CheckMigrations(db::Connection& conn, const std::string& dir) {
  ops::MigrationFacts m;
  auto files = db::ReadMigrations(dir);
  if (!files.ok()) {
    m.error = files.error().detail;
    return m;
  }
  auto diff = db::CompareMigrations(conn, files.value());
  if (!diff.ok()) return diff.error();
  m.available = static_cast<int>(files.value().size());
  m.pending = diff.value().pending;
  m.edited = diff.value().edited;
  m.unknown = diff.value().unknown;
  return m;
}

}  // namespace

int Status(const Args& args, const config::Config& config) {
  auto window_ms = StallWindowMs(args);
  if (!window_ms) {
    std::cerr << "scimctl status: --stall-after takes a number of seconds\n";
    return 2;
  }
  db::Connection conn(config.db);
  auto queue = ReadQueueStatus(conn);
  if (!queue.ok()) return Fail("status", queue.error().detail);
  auto daemons = db::Guarded(conn, [](soci::session& sql) -> Result<std::vector<ops::DaemonSeen>> {
    return db::ReadHeartbeats(sql);
  });
  if (!daemons.ok()) return Fail("status", daemons.error().detail);
  PrintQueue(queue.value());
  PrintDaemons(daemons.value(), *window_ms);
  ops::Liveness live =
      ops::AssessLiveness(queue.value().queue.oldest_pending_ms, daemons.value(), *window_ms);
  std::cout << "liveness: " << (live.stalled ? "stalled" : "ok") << "\n";
  if (!live.stalled) return 0;
  std::cerr << "scimctl status: WARNING: " << live.warning << "\n";
  return kExitAlert;
}

int Doctor(const Args&, const config::Config& config) {
  db::Connection conn(config.db);
  auto server = db::Guarded(conn, [](soci::session& sql) -> Result<ops::ServerFacts> {
    return db::ReadServerFacts(sql);
  });
  if (!server.ok()) return Fail("doctor", server.error().detail);
  auto migrations = CheckMigrations(conn, config.migrations_dir);
  if (!migrations.ok()) return Fail("doctor", migrations.error().detail);
  int unsafe = 0, warnings = 0;
  for (const auto& f : ops::Diagnose(server.value(), migrations.value(), config)) {
    unsafe += f.severity == ops::Severity::kUnsafe;
    warnings += f.severity == ops::Severity::kWarn;
    std::string level(ops::SeverityName(f.severity));
    std::cout << level << std::string(7 - level.size(), ' ') << f.check << ": " << f.detail << "\n";
  }
  std::cout << "doctor: " << unsafe << " unsafe, " << warnings << " warning(s) (config "
            << config.source << ")\n";
  return unsafe > 0 ? kExitAlert : 0;
}

}  // namespace scim::ctl
