// RunOnce: claim a batch of queued changes, apply each to the target
// directory, and record each outcome — done, retry later, or dead.
#ifndef SCIM_DAEMON_SYNC_LOOP_H_
#define SCIM_DAEMON_SYNC_LOOP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/scim/error.h"
#include "daemon/applier.h"

namespace scim::sync {

struct QueueRow {
  int64_t id = 0;
  std::string resource_type;
  std::string resource_id;
  int64_t version = 0;
  std::string payload;
  int attempts = 0;  // failed attempts so far
};

// The change_queue as the loop uses it. One batch is one transaction:
// Claim opens it, Commit ends it; Abort rolls it back. BeginItem marks a
// point that MarkFailed rolls back to, so a failed item's partial writes to
// an SQL directory vanish while the batch goes on.
class ChangeQueue {
 public:
  virtual ~ChangeQueue() = default;
  // Locks up to limit due rows (skipping rows locked by other daemons), in
  // queue order.
  virtual Result<std::vector<QueueRow>> Claim(int limit) = 0;
  virtual Result<void> BeginItem() = 0;
  virtual Result<void> MarkDone(const QueueRow& row) = 0;
  // MarkDone for every row of the batch at once.
  virtual Result<void> MarkAllDone(const std::vector<QueueRow>& rows) {
    for (const auto& row : rows) {
      if (auto r = MarkDone(row); !r.ok()) return r;
    }
    return {};
  }
  // A point at the start of the batch's writes: UndoWrites rolls back every
  // write since (directory rows and queue marks) but keeps the claim.
  virtual Result<void> BeginWrites() = 0;
  virtual Result<void> UndoWrites() = 0;
  // Records a failure: the row retries after delay_ms, or is dead.
  virtual Result<void> MarkFailed(const QueueRow& row, const std::string& error, bool dead,
                                  int64_t delay_ms) = 0;
  virtual Result<void> Commit() = 0;
  virtual void Abort() = 0;
};

struct SyncOptions {
  int batch_size = 100;
  int max_attempts = 10;
  int64_t retry_base_ms = 1000;
};

struct BatchStats {
  int claimed = 0;
  int applied = 0;
  int stale = 0;       // already applied (idempotent replays)
  int superseded = 0;  // a newer version of the resource was in the batch
  int retried = 0;
  int dead = 0;
  bool in_one_go = false;  // the fast path applied the whole batch
  // Why a batch of several rows was applied one row at a time: the fast
  // path's first error.
  std::string one_by_one_cause;
};

// A group's older changes in one batch (superseded by `newest`), merged
// into it: when their versions run up to newest's without a gap and each
// says which members it touched, newest touches their union since the
// oldest's base; otherwise which members changed is unknown (nullopt).
void MergeMemberChanges(std::vector<Change> older, Change* newest);

// The retry delay after `attempts` failures: retry_base_ms * 2^(attempts-1),
// capped at one hour, spread by ±20 % jitter derived from the row id.
int64_t RetryDelayMs(int64_t retry_base_ms, int attempts, int64_t row_id);

// Processes one batch. First all rows in one go: the applier reads what
// they touch at once and writes in bulk (Applier::Prepare/Flush), the done
// marks are one statement. If any row fails there, the batch's writes are
// undone and the rows are applied one by one, each behind a savepoint, so a
// failing row retries (or goes dead) without holding back the others.
// Errors (the batch could not be claimed or committed) leave every row as
// it was, to be claimed again.
Result<BatchStats> RunOnce(ChangeQueue& queue, Applier& applier, const SyncOptions& options);

}  // namespace scim::sync

#endif  // SCIM_DAEMON_SYNC_LOOP_H_
