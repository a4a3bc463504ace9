#include "daemon/sql_queue.h"

namespace scim::sync {
namespace {

// One statement without values, inside the batch's transaction.
Result<void> Exec(db::Connection& conn, const std::string& text) {
  return db::Guarded(
      conn,
      [&](soci::session& sql) -> Result<void> {
        sql << text;
        return {};
      },
      1);
}

}  // namespace

Result<std::vector<QueueRow>> SqlQueue::Claim(int limit) {
  long long n = limit;
  return db::Guarded(
      conn_,
      [&](soci::session& sql) -> Result<std::vector<QueueRow>> {
        sql << "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
        sql.begin();
        soci::rowset<soci::row> rs =
            (sql.prepare
                 << "SELECT id, resource_type, resource_id, version, payload, attempts "
                    "FROM change_queue WHERE status = 'pending' AND next_attempt_at <= NOW(3) "
                    "ORDER BY id LIMIT :n FOR UPDATE SKIP LOCKED",
             soci::use(n));
        std::vector<QueueRow> rows;
        for (const auto& r : rs) {
          QueueRow q;
          q.id = static_cast<int64_t>(r.get<unsigned long long>(0));
          q.resource_type = r.get<std::string>(1);
          q.resource_id = r.get<std::string>(2);
          q.version = r.get<long long>(3);
          q.payload = r.get<std::string>(4);
          q.attempts = r.get<int>(5);
          rows.push_back(std::move(q));
        }
        return rows;
      },
      1);
}

Result<void> SqlQueue::BeginItem() { return Exec(conn_, "SAVEPOINT item"); }

Result<void> SqlQueue::MarkDone(const QueueRow& row) {
  long long id = row.id;
  return db::Guarded(
      conn_,
      [&](soci::session& sql) -> Result<void> {
        sql << "UPDATE change_queue SET status = 'done', done_at = NOW(3) WHERE id = :id",
            soci::use(id);
        return {};
      },
      1);
}

Result<void> SqlQueue::MarkAllDone(const std::vector<QueueRow>& rows) {
  if (rows.empty()) return {};
  // Row ids are integers read from the table itself: listed, not bound.
  std::string ids;
  for (const auto& row : rows) ids += (ids.empty() ? "" : ",") + std::to_string(row.id);
  return Exec(
      conn_, "UPDATE change_queue SET status = 'done', done_at = NOW(3) WHERE id IN (" + ids + ")");
}

Result<void> SqlQueue::BeginWrites() { return Exec(conn_, "SAVEPOINT batch_writes"); }

Result<void> SqlQueue::UndoWrites() { return Exec(conn_, "ROLLBACK TO SAVEPOINT batch_writes"); }

Result<void> SqlQueue::MarkFailed(const QueueRow& row, const std::string& error, bool dead,
                                  int64_t delay_ms) {
  long long id = row.id, delay_us = delay_ms * 1000;
  std::string status = dead ? "dead" : "pending";
  std::string message = error.substr(0, 2000);
  return db::Guarded(
      conn_,
      [&](soci::session& sql) -> Result<void> {
        sql << "ROLLBACK TO SAVEPOINT item";
        sql << "UPDATE change_queue SET attempts = attempts + 1, last_error = :e, status = :s, "
               "next_attempt_at = NOW(3) + INTERVAL :d MICROSECOND WHERE id = :id",
            soci::use(message), soci::use(status), soci::use(delay_us), soci::use(id);
        return {};
      },
      1);
}

Result<void> SqlQueue::Commit() {
  return db::Guarded(
      conn_,
      [&](soci::session& sql) -> Result<void> {
        sql.commit();
        return {};
      },
      1);
}

void SqlQueue::Abort() {
  (void)db::Guarded(
      conn_,
      [&](soci::session& sql) -> Result<void> {
        sql.rollback();
        return {};
      },
      1);
}

}  // namespace scim::sync
