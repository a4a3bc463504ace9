#include "common/db/change_queue.h"

namespace scim::db {

void EnqueueChange(soci::session& sql, const ResourceTypeDef& type, const std::string& id,
                   long long version, const std::string& op, const std::string& payload) {
  std::string resource_type(type.name);
  sql << "INSERT INTO change_queue (resource_type, resource_id, version, op, payload, status, "
         "created_at, next_attempt_at) VALUES (:t, :id, :v, :op, :p, 'pending', NOW(3), NOW(3))",
      soci::use(resource_type), soci::use(id), soci::use(version), soci::use(op),
      soci::use(payload);
}

std::vector<ClaimedChange> ClaimDueChanges(soci::session& sql, int limit) {
  long long n = limit;
  sql << "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
  sql.begin();
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT id, resource_type, resource_id, version, payload, attempts "
                      "FROM change_queue WHERE status = 'pending' AND next_attempt_at <= NOW(3) "
                      "ORDER BY id LIMIT :n FOR UPDATE SKIP LOCKED",
       soci::use(n));
  std::vector<ClaimedChange> rows;
  for (const auto& r : rs) {
    ClaimedChange c;
    c.id = static_cast<int64_t>(r.get<unsigned long long>(0));
    c.resource_type = r.get<std::string>(1);
    c.resource_id = r.get<std::string>(2);
    c.version = r.get<long long>(3);
    c.payload = r.get<std::string>(4);
    c.attempts = r.get<int>(5);
    rows.push_back(std::move(c));
  }
  return rows;
}

void MarkChangeDone(soci::session& sql, int64_t id) {
  long long bound_id = id;
  sql << "UPDATE change_queue SET status = 'done', done_at = NOW(3) WHERE id = :id",
      soci::use(bound_id);
}

void MarkChangesDone(soci::session& sql, const std::vector<int64_t>& ids) {
  // Row ids are integers read from the table itself: listed, not bound.
  std::string list;
  for (int64_t id : ids) list += (list.empty() ? "" : ",") + std::to_string(id);
  sql << "UPDATE change_queue SET status = 'done', done_at = NOW(3) WHERE id IN (" + list + ")";
}

void MarkChangeFailed(soci::session& sql, int64_t id, const std::string& error, bool dead,
                      int64_t delay_ms) {
  long long bound_id = id, delay_us = delay_ms * 1000;
  std::string status = dead ? "dead" : "pending";
  std::string message = error.substr(0, 2000);
  sql << "UPDATE change_queue SET attempts = attempts + 1, last_error = :e, status = :s, "
         "next_attempt_at = NOW(3) + INTERVAL :d MICROSECOND WHERE id = :id",
      soci::use(message), soci::use(status), soci::use(delay_us), soci::use(bound_id);
}

void PruneDoneChanges(soci::session& sql, long long retention_days) {
  sql << "DELETE FROM change_queue WHERE status = 'done' AND done_at < NOW(3) - INTERVAL :d DAY "
         "LIMIT 10000",
      soci::use(retention_days);
}

QueueCounts ReadQueueCounts(soci::session& sql) {
  QueueCounts q;
  long long oldest_ms = 0;
  soci::indicator oldest_i = soci::i_ok;
  sql << "SELECT COALESCE(SUM(status = 'pending'), 0), "
         "COALESCE(SUM(status = 'pending' AND attempts > 0), 0), "
         "COALESCE(SUM(status = 'dead'), 0), COALESCE(SUM(status = 'done'), 0), "
         "TIMESTAMPDIFF(MICROSECOND, MIN(IF(status = 'pending', created_at, NULL)), NOW(3)) "
         "DIV 1000 FROM change_queue",
      soci::into(q.pending), soci::into(q.retrying), soci::into(q.dead), soci::into(q.done),
      soci::into(oldest_ms, oldest_i);
  if (oldest_i == soci::i_ok) q.oldest_pending_ms = oldest_ms;
  long long lockable = 0, window = 0;
  sql << "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
  sql.begin();
  sql << "SELECT COUNT(*) FROM (SELECT id FROM change_queue WHERE status = 'pending' "
         "ORDER BY id LIMIT 1000) w",
      soci::into(window);
  sql << "SELECT COUNT(*) FROM (SELECT id FROM change_queue WHERE status = 'pending' "
         "ORDER BY id LIMIT 1000 FOR UPDATE SKIP LOCKED) w",
      soci::into(lockable);
  sql.rollback();
  q.in_flight = window - lockable;
  return q;
}

std::vector<ListedChange> ListChanges(soci::session& sql, bool dead, long long limit) {
  std::string status = dead ? "dead" : "pending";
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT id, resource_type, resource_id, version, attempts, "
                      "DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ'), COALESCE(last_error, '') "
                      "FROM change_queue WHERE status = :s ORDER BY id LIMIT :n",
       soci::use(status), soci::use(limit));
  std::vector<ListedChange> rows;
  for (const auto& r : rs) {
    rows.push_back({static_cast<int64_t>(r.get<unsigned long long>(0)), r.get<std::string>(1),
                    r.get<std::string>(2), r.get<long long>(3), r.get<int>(4),
                    r.get<std::string>(5), r.get<std::string>(6)});
  }
  return rows;
}

long long RetryDeadChanges(soci::session& sql, bool all, long long id) {
  int all_flag = all ? 1 : 0;
  // A retried row starts over: due now, with a fresh attempt budget.
  soci::statement st =
      (sql.prepare << "UPDATE change_queue SET status = 'pending', attempts = 0, "
                      "next_attempt_at = NOW(3) WHERE status = 'dead' AND (:all = 1 OR id = :id)",
       soci::use(all_flag), soci::use(id));
  st.execute(true);
  return st.get_affected_rows();
}

std::optional<std::string> DropDeadChange(soci::session& sql, long long id) {
  std::string what;
  soci::indicator ind;
  sql << "SELECT CONCAT(resource_type, ' ', resource_id, ' v', version, ': ', "
         "COALESCE(last_error, '')) FROM change_queue WHERE id = :id AND status = 'dead'",
      soci::into(what, ind), soci::use(id);
  if (!sql.got_data()) return std::nullopt;
  sql << "DELETE FROM change_queue WHERE id = :id AND status = 'dead'", soci::use(id);
  return what;
}

}  // namespace scim::db
