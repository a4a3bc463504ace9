#include "common/db/daemon_heartbeats.h"

namespace scim::db {

void WriteHeartbeat(soci::session& sql, const HeartbeatRow& row) {
  long long ago_us = row.last_batch_ms_ago * 1000;
  soci::indicator ago_i = row.last_batch_ms_ago < 0 ? soci::i_null : soci::i_ok;
  long long batches = row.batches, applied = row.rows_applied, failed = row.rows_failed;
  int stopped = row.stopped ? 1 : 0;
  sql << "INSERT INTO daemon_heartbeats (daemon_id, host, pid, mode, started_at, last_seen_at, "
         "last_batch_at, batches, rows_applied, rows_failed, stopped_at) VALUES (:id, :host, "
         ":pid, :mode, NOW(3), NOW(3), NOW(3) - INTERVAL :ago MICROSECOND, :b, :a, :f, "
         "IF(:stopped, NOW(3), NULL)) "
         "ON DUPLICATE KEY UPDATE last_seen_at = VALUES(last_seen_at), "
         "last_batch_at = VALUES(last_batch_at), batches = VALUES(batches), "
         "rows_applied = VALUES(rows_applied), rows_failed = VALUES(rows_failed), "
         "stopped_at = VALUES(stopped_at)",
      soci::use(row.daemon_id), soci::use(row.host), soci::use(row.pid), soci::use(row.mode),
      soci::use(ago_us, ago_i), soci::use(batches), soci::use(applied), soci::use(failed),
      soci::use(stopped);
}

void PruneHeartbeats(soci::session& sql) {
  sql << "DELETE FROM daemon_heartbeats WHERE last_seen_at < NOW(3) - INTERVAL "
         "IF(stopped_at IS NULL, 7, 1) DAY LIMIT 10000";
}

std::vector<ops::DaemonSeen> ReadHeartbeats(soci::session& sql) {
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT daemon_id, host, pid, mode, "
                      "CAST(UNIX_TIMESTAMP(started_at) * 1000 AS SIGNED), "
                      "CAST(TIMESTAMPDIFF(MICROSECOND, last_seen_at, NOW(3)) DIV 1000 AS SIGNED), "
                      "CAST(COALESCE(TIMESTAMPDIFF(MICROSECOND, last_batch_at, NOW(3)) DIV 1000, "
                      "-1) AS SIGNED), "
                      "batches, rows_applied, rows_failed, stopped_at IS NOT NULL "
                      "FROM daemon_heartbeats ORDER BY last_seen_at DESC");
  std::vector<ops::DaemonSeen> out;
  for (const auto& r : rs) {
    ops::DaemonSeen d;
    d.daemon_id = r.get<std::string>(0);
    d.host = r.get<std::string>(1);
    d.pid = r.get<int>(2);
    d.mode = r.get<std::string>(3);
    d.started_ms = r.get<long long>(4);
    d.seen_ms_ago = r.get<long long>(5);
    d.last_batch_ms_ago = r.get<long long>(6);
    d.batches = r.get<long long>(7);
    d.rows_applied = r.get<long long>(8);
    d.rows_failed = r.get<long long>(9);
    d.stopped = r.get<int>(10) != 0;  // a boolean expression is an INT
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace scim::db
