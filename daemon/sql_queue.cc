#include "daemon/sql_queue.h"

#include "common/db/change_queue.h"

namespace scim::sync {
namespace {

// One transaction-control statement, inside the batch's transaction.
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
  return db::Guarded(
      conn_,
      [&](soci::session& sql) -> Result<std::vector<QueueRow>> {
        std::vector<QueueRow> rows;
        for (auto& c : db::ClaimDueChanges(sql, limit)) {
          rows.push_back({c.id, std::move(c.resource_type), std::move(c.resource_id), c.version,
                          std::move(c.payload), c.attempts});
        }
        return rows;
      },
      1);
}

Result<void> SqlQueue::BeginItem() { return Exec(conn_, "SAVEPOINT item"); }

Result<void> SqlQueue::MarkDone(const QueueRow& row) {
  return db::Guarded(
      conn_,
      [&](soci::session& sql) -> Result<void> {
        db::MarkChangeDone(sql, row.id);
        return {};
      },
      1);
}

Result<void> SqlQueue::MarkAllDone(const std::vector<QueueRow>& rows) {
  if (rows.empty()) return {};
  std::vector<int64_t> ids;
  for (const auto& row : rows) ids.push_back(row.id);
  return db::Guarded(
      conn_,
      [&](soci::session& sql) -> Result<void> {
        db::MarkChangesDone(sql, ids);
        return {};
      },
      1);
}

Result<void> SqlQueue::BeginWrites() { return Exec(conn_, "SAVEPOINT batch_writes"); }

Result<void> SqlQueue::UndoWrites() { return Exec(conn_, "ROLLBACK TO SAVEPOINT batch_writes"); }

Result<void> SqlQueue::MarkFailed(const QueueRow& row, const std::string& error, bool dead,
                                  int64_t delay_ms) {
  return db::Guarded(
      conn_,
      [&](soci::session& sql) -> Result<void> {
        sql << "ROLLBACK TO SAVEPOINT item";
        db::MarkChangeFailed(sql, row.id, error, dead, delay_ms);
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
