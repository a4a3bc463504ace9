// ChangeQueue on the change_queue table (its SQL is in
// common/db/change_queue.h): the batch's transaction and savepoints around
// those statements. Shares its Connection (and transaction) with SqlDirectory.
#ifndef SCIM_DAEMON_SQL_QUEUE_H_
#define SCIM_DAEMON_SQL_QUEUE_H_

#include "common/db/connection.h"
#include "daemon/sync_loop.h"

namespace scim::sync {

class SqlQueue : public ChangeQueue {
 public:
  explicit SqlQueue(db::Connection& conn) : conn_(conn) {}

  Result<std::vector<QueueRow>> Claim(int limit) override;
  Result<void> BeginItem() override;
  Result<void> MarkDone(const QueueRow& row) override;
  Result<void> MarkAllDone(const std::vector<QueueRow>& rows) override;
  Result<void> BeginWrites() override;
  Result<void> UndoWrites() override;
  Result<void> MarkFailed(const QueueRow& row, const std::string& error, bool dead,
                          int64_t delay_ms) override;
  Result<void> Commit() override;
  void Abort() override;

 private:
  db::Connection& conn_;
};

}  // namespace scim::sync

#endif  // SCIM_DAEMON_SQL_QUEUE_H_
