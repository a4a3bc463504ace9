// scim-syncd: drains the change queue into the target directory.
// Runs until SIGTERM/SIGINT (finishing the current batch first), or with
// --once until nothing is due. Idle, it polls with a back-off from
// daemon.poll_min_ms to daemon.poll_max_ms. Its heartbeat row (mode loop or
// once) is kept a few seconds fresh and marked stopped on a clean exit.
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "common/config/config.h"
#include "common/db/change_queue.h"
#include "common/db/connection.h"
#include "common/db/daemon_heartbeats.h"
#include "common/db/schema_facts.h"
#include "common/db/settings_store.h"
#include "common/db/sync_rows.h"
#include "common/util/system.h"
#include "daemon/adoption_tick.h"
#include "daemon/heartbeat.h"
#include "daemon/reconcile_run.h"
#include "daemon/sql_directory.h"
#include "daemon/sql_queue.h"
#include "daemon/sync_loop.h"

namespace {

constexpr const char* kUsage = R"(usage: scim-syncd [--config PATH] [--once]
       scim-syncd [--config PATH] reconcile [--dry-run] [--report FILE.json]

Applies queued SCIM changes to the target user directory. While idle it
makes the application's new users visible to SCIM (adoption: their newest
rows once a second, the whole table at start and every ten minutes).
  --once       drain what is due now, then exit (0 when every batch committed)
  --config P   the config file (see below)
  --help       this text
Signals: SIGTERM/SIGINT finish the current batch and exit 0; SIGHUP reloads
the config file. Done queue rows older than the queue_retention setting and
audit entries older than audit_retention are pruned at start and once a
minute (dead rows never: only `scimctl queue drop` removes them). Every
run keeps a heartbeat row (host, pid, mode, last seen) for `scimctl status`.
It refuses to start (exit 1) when the directory mapping fails `scimctl
directory check`; with the database unreachable it starts unchecked.

reconcile (for cron) compares every SCIM user and group with the directory:
missing and drifted entries are applied, local deactivations kept as
conflicts per conflict_policy (a deactivation made in the application
itself is one), directory users unknown to SCIM adopted (made visible),
never deleted. --dry-run changes nothing. It prints a summary, writes the
JSON report with --report, and exits 0 when clean or fixed, 1 on errors, 3
when another reconcile (on any host or database node) holds the reconcile
lease (a row of scimsync_leases, renewed while it runs, expiring 2 minutes
after its holder died).
)";

void LogBatch(const scim::sync::BatchStats& s) {
  scim::util::Log(
      "info", "syncd",
      "event=batch claimed=" + std::to_string(s.claimed) + " applied=" + std::to_string(s.applied) +
          " stale=" + std::to_string(s.stale) + " superseded=" + std::to_string(s.superseded) +
          " retried=" + std::to_string(s.retried) + " dead=" + std::to_string(s.dead) +
          " in_one_go=" + (s.in_one_go ? "1" : "0") +
          " conflicts_total=" + std::to_string(scim::db::ConflictCount()) +
          (s.one_by_one_cause.empty() ? "" : " one_by_one_because=\"" + s.one_by_one_cause + "\""));
}

scim::sync::SyncOptions OptionsOf(const scim::config::Config& c) {
  return {c.daemon.batch_size, c.daemon.max_attempts, c.daemon.retry_base_ms};
}

// Deletes done queue rows and audit entries past their retention, and old
// heartbeat rows, in bounded chunks. Dead rows are never pruned: only an
// admin removes them.
void Prune(scim::db::Connection& conn) {
  auto r = scim::db::Guarded(conn, [](soci::session& sql) -> scim::Result<void> {
    scim::sync::Settings s = scim::db::ReadSettings(sql);
    long long queue_days = s.queue_retention_days, audit_days = s.audit_retention_days;
    scim::db::PruneDoneChanges(sql, queue_days);
    scim::db::PruneAudit(sql, audit_days);
    scim::db::PruneHeartbeats(sql);
    return {};
  });
  if (!r.ok()) scim::util::Log("error", "syncd", "event=prune_failed");
}

// Waits up to ms for a signal; returns it, or 0 on timeout.
int WaitSignal(const sigset_t& set, int ms) {
  timespec ts{ms / 1000, static_cast<long>(ms % 1000) * 1000000L};
  siginfo_t info;
  int sig = sigtimedwait(&set, &info, &ts);
  return sig > 0 ? sig : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string config_path;
  bool once = false, reconcile = false;
  scim::sync::ReconcileOptions reconcile_options;
  if (!scim::config::TakeConfigOption(&args, &config_path)) {
    std::cerr << "scim-syncd: --config needs a path\n";
    return 2;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage << "\n" << scim::config::ConfigKeysHelp();
      return 0;
    }
    if (a == "--once") {
      once = true;
    } else if (a == "reconcile") {
      reconcile = true;
    } else if (reconcile && a == "--dry-run") {
      reconcile_options.dry_run = true;
    } else if (reconcile && a == "--report" && i + 1 < args.size()) {
      reconcile_options.report_path = args[++i];
    } else {
      std::cerr << "scim-syncd: unknown argument '" << a << "'\n" << kUsage;
      return 2;
    }
  }
  auto path = scim::config::FindConfigFile(config_path);
  if (!path.ok()) {
    std::cerr << "scim-syncd: " << path.error().detail << "\n";
    return 1;
  }
  auto config = scim::config::LoadConfig(path.value());
  if (!config.ok()) {
    std::cerr << "scim-syncd: " << config.error().detail << "\n";
    return 1;
  }
  if (!scim::db::DirectoryMappingUsable(config.value(), "syncd")) return 1;
  if (reconcile) return scim::sync::RunReconcile(config.value(), reconcile_options);
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, s);
  sigprocmask(SIG_BLOCK, &set, nullptr);

  scim::config::Config cfg = config.value();
  scim::db::Connection conn(cfg.db);
  scim::sync::SqlQueue queue(conn);
  scim::sync::SqlDirectory directory(conn, cfg.directory);
  scim::sync::SqlRecorder recorder(conn);
  scim::sync::DirectoryApplier applier(directory, recorder);
  scim::util::SystemClock clock;
  scim::util::RandomIdGenerator ids;
  scim::db::Adopter adopter{directory.users(), clock, ids, "scim-syncd"};
  scim::sync::AdoptionTick adoption(conn, adopter);
  scim::util::Log("info", "syncd", std::string("event=start once=") + (once ? "1" : "0"));
  scim::sync::Heartbeat heartbeat(conn, once ? "once" : "loop");
  int idle_ms = cfg.daemon.poll_min_ms;
  int exit_code = 0;
  auto next_prune = std::chrono::steady_clock::now();
  for (;;) {
    if (std::chrono::steady_clock::now() >= next_prune) {
      Prune(conn);
      next_prune = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    }
    int64_t conflicts_before = scim::db::ConflictCount();
    auto stats = scim::sync::RunOnce(queue, applier, OptionsOf(cfg));
    int wait_ms = 0;
    if (!stats.ok() && scim::db::ConflictCount() > conflicts_before) {
      // Another daemon (on Galera: on another node, whose row locks this
      // node does not see) committed the same rows first. The whole batch
      // was rolled back, nothing of it is applied: claim again shortly.
      scim::util::Log("warn", "syncd",
                      "event=batch_conflict retry=whole_batch conflicts_total=" +
                          std::to_string(scim::db::ConflictCount()));
      wait_ms = static_cast<int>(scim::db::ConflictBackoff(1).count());
    } else if (!stats.ok()) {
      scim::util::Log("error", "syncd",
                      "event=batch_failed detail=\"" + stats.error().detail + "\"");
      if (once) {
        exit_code = 1;
        break;
      }
      wait_ms = cfg.daemon.poll_max_ms;
    } else if (stats.value().claimed > 0) {
      LogBatch(stats.value());
      heartbeat.AddBatch(stats.value());
      idle_ms = cfg.daemon.poll_min_ms;
    } else {
      if (once) break;
      adoption.Run();
      wait_ms = idle_ms;
      idle_ms = std::min(idle_ms * 2, cfg.daemon.poll_max_ms);
    }
    heartbeat.Tick();
    // Never idle past a heartbeat, however long daemon.poll_max_ms is.
    int sig =
        WaitSignal(set, std::min(wait_ms, static_cast<int>(scim::sync::kHeartbeatEvery.count())));
    if (sig == SIGHUP) {
      auto reloaded = scim::config::LoadConfig(path.value());
      if (reloaded.ok()) {
        cfg.daemon = reloaded.value().daemon;  // DB settings need a restart
        scim::util::Log("info", "syncd", "event=reload");
      } else {
        scim::util::Log("error", "syncd",
                        "event=reload_failed detail=\"" + reloaded.error().detail + "\"");
      }
    } else if (sig != 0) {
      break;
    }
  }
  heartbeat.Stop();
  scim::util::Log("info", "syncd", "event=stop");
  return exit_code;
}
