#include "daemon/heartbeat.h"

#include <unistd.h>

#include <utility>

#include "common/util/system.h"

namespace scim::sync {
namespace {

db::HeartbeatRow Identity(std::string mode) {
  db::HeartbeatRow row;
  row.daemon_id = util::RandomIdGenerator().NewId();
  row.host = util::HostName();
  row.pid = static_cast<int>(::getpid());
  row.mode = std::move(mode);
  return row;
}

// Runs one write; a failure is logged, never fatal.
template <typename F>
void Write(db::Connection& conn, F&& write) {
  auto r = db::Guarded(conn, [&](soci::session& sql) -> Result<void> {
    write(sql);
    return {};
  });
  if (!r.ok()) {
    util::Log("error", "syncd", "event=heartbeat_failed detail=\"" + r.error().detail + "\"");
  }
}

}  // namespace

void HeartbeatSchedule::AddBatch(const BatchStats& stats, TimePoint now) {
  ++row_.batches;
  row_.rows_applied += stats.applied;
  row_.rows_failed += stats.retried + stats.dead;
  last_batch_ = now;
}

std::optional<db::HeartbeatRow> HeartbeatSchedule::Due(TimePoint now) {
  if (last_due_ && now - *last_due_ < kHeartbeatEvery) return std::nullopt;
  last_due_ = now;
  return Row(now);
}

db::HeartbeatRow HeartbeatSchedule::Row(TimePoint now) const {
  db::HeartbeatRow row = row_;
  row.last_batch_ms_ago =
      last_batch_
          ? std::chrono::duration_cast<std::chrono::milliseconds>(now - *last_batch_).count()
          : -1;
  return row;
}

Heartbeat::Heartbeat(db::Connection& conn, std::string mode)
    : conn_(conn), schedule_(Identity(std::move(mode))) {
  Tick();
}

void Heartbeat::AddBatch(const BatchStats& stats) {
  schedule_.AddBatch(stats, std::chrono::steady_clock::now());
}

void Heartbeat::Tick() {
  auto row = schedule_.Due(std::chrono::steady_clock::now());
  if (row) Write(conn_, [&](soci::session& sql) { db::WriteHeartbeat(sql, *row); });
}

void Heartbeat::Stop() {
  db::HeartbeatRow row = schedule_.Row(std::chrono::steady_clock::now());
  row.stopped = true;
  Write(conn_, [&](soci::session& sql) { db::WriteHeartbeat(sql, row); });
}

}  // namespace scim::sync
