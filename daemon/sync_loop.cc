#include "daemon/sync_loop.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

namespace scim::sync {
namespace {

// Rows whose resource has a newer version later in the same batch.
std::vector<bool> Superseded(const std::vector<QueueRow>& rows) {
  std::map<std::pair<std::string, std::string>, int64_t> newest;
  for (const auto& r : rows) {
    auto& v = newest[{r.resource_type, r.resource_id}];
    v = std::max(v, r.version);
  }
  std::vector<bool> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r.version < newest[{r.resource_type, r.resource_id}]);
  return out;
}

Result<ApplyOutcome> Apply(Applier& applier, const QueueRow& row) {
  auto change = DecodeChange(row.payload);
  if (!change.ok()) return change.error();
  return applier.Apply(change.value());
}

// Applies one row inside the batch and records its outcome.
Result<void> ProcessRow(ChangeQueue& queue, Applier& applier, const QueueRow& row,
                        const SyncOptions& options, BatchStats* stats) {
  if (auto r = queue.BeginItem(); !r.ok()) return r;
  auto outcome = Apply(applier, row);
  if (outcome.ok()) {
    ++(outcome.value() == ApplyOutcome::kApplied ? stats->applied : stats->stale);
    return queue.MarkDone(row);
  }
  int attempts = row.attempts + 1;
  bool dead = attempts >= applier.MaxAttempts().value_or(options.max_attempts);
  ++(dead ? stats->dead : stats->retried);
  std::string error = std::to_string(outcome.error().status) + " " + outcome.error().detail;
  return queue.MarkFailed(row, error, dead, RetryDelayMs(options.retry_base_ms, attempts, row.id));
}

}  // namespace

int64_t RetryDelayMs(int64_t retry_base_ms, int attempts, int64_t row_id) {
  constexpr int64_t kMaxDelayMs = 3600 * 1000;
  int64_t delay = retry_base_ms;
  for (int i = 1; i < attempts && delay < kMaxDelayMs; ++i) delay *= 2;
  delay = std::min(delay, kMaxDelayMs);
  // Deterministic jitter in [0.8, 1.2): rows failing together spread out.
  uint64_t h = static_cast<uint64_t>(row_id) * 11400714819323198485ull;
  double factor = 0.8 + 0.4 * static_cast<double>(h >> 44) / static_cast<double>(1ull << 20);
  return static_cast<int64_t>(static_cast<double>(delay) * factor);
}

void MergeMemberChanges(std::vector<Change> older, Change* newest) {
  std::sort(older.begin(), older.end(),
            [](const Change& a, const Change& b) { return a.version > b.version; });
  int64_t expect = newest->version - 1;
  for (const Change& c : older) {
    if (!newest->members_touched) return;
    if (c.version > expect) continue;  // a replay of a version already merged
    if (c.version != expect || !c.members_touched) {
      newest->members_touched.reset();
      return;
    }
    newest->members_touched->insert(newest->members_touched->end(), c.members_touched->begin(),
                                    c.members_touched->end());
    newest->members_base = c.members_base;
    expect = c.version - 1;
  }
}

namespace {

// The whole batch in one go (see RunOnce). Any error: the caller undoes.
Result<BatchStats> RunFast(ChangeQueue& queue, Applier& applier, const std::vector<QueueRow>& rows,
                           const std::vector<bool>& superseded) {
  BatchStats stats;
  stats.claimed = static_cast<int>(rows.size());
  std::vector<Change> changes;
  std::map<std::string, std::vector<Change>> older_groups;  // superseded, by id
  for (size_t i = 0; i < rows.size(); ++i) {
    if (superseded[i]) {
      ++stats.superseded;
      if (rows[i].resource_type != "Group") continue;
      auto older = DecodeChange(rows[i].payload);
      Change unknown;  // undecodable: which members it touched is unknown
      unknown.version = rows[i].version;
      older_groups[rows[i].resource_id].push_back(older.ok() ? std::move(older).value() : unknown);
      continue;
    }
    auto change = DecodeChange(rows[i].payload);
    if (!change.ok()) return change.error();
    changes.push_back(std::move(change).value());
  }
  for (auto& c : changes) {
    auto older = older_groups.find(c.resource_id);
    if (c.resource_type == "Group" && older != older_groups.end()) {
      MergeMemberChanges(std::move(older->second), &c);
    }
  }
  if (auto r = applier.Prepare(changes); !r.ok()) return r.error();
  for (const auto& change : changes) {
    auto outcome = applier.Apply(change);
    if (!outcome.ok()) return outcome.error();
    ++(outcome.value() == ApplyOutcome::kApplied ? stats.applied : stats.stale);
  }
  if (auto r = applier.Flush(); !r.ok()) return r.error();
  if (auto r = queue.MarkAllDone(rows); !r.ok()) return r.error();
  return stats;
}

// One row at a time, each behind a savepoint.
Result<BatchStats> RunOneByOne(ChangeQueue& queue, Applier& applier,
                               const std::vector<QueueRow>& rows,
                               const std::vector<bool>& superseded, const SyncOptions& options) {
  BatchStats stats;
  stats.claimed = static_cast<int>(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    Result<void> r;
    if (superseded[i]) {
      ++stats.superseded;
      r = queue.MarkDone(rows[i]);
    } else {
      r = ProcessRow(queue, applier, rows[i], options, &stats);
    }
    if (!r.ok()) return r.error();
  }
  return stats;
}

}  // namespace

Result<BatchStats> RunOnce(ChangeQueue& queue, Applier& applier, const SyncOptions& options) {
  auto claimed = queue.Claim(options.batch_size);
  if (!claimed.ok()) return claimed.error();
  const std::vector<QueueRow>& rows = claimed.value();
  if (rows.empty()) {
    if (auto r = queue.Commit(); !r.ok()) return r.error();
    return BatchStats{};
  }
  auto fail = [&](const ScimError& e) -> Result<BatchStats> {
    applier.Discard();
    queue.Abort();
    return e;
  };
  if (auto b = applier.BeginBatch(); !b.ok()) return fail(b.error());
  std::vector<bool> superseded = Superseded(rows);
  std::optional<BatchStats> stats;
  std::string fast_error;
  if (rows.size() > 1) {
    if (auto r = queue.BeginWrites(); !r.ok()) return fail(r.error());
    auto fast = RunFast(queue, applier, rows, superseded);
    if (fast.ok()) {
      stats = fast.value();
      stats->in_one_go = true;
    } else {
      fast_error = std::to_string(fast.error().status) + " " + fast.error().detail;
      applier.Discard();
      if (auto r = queue.UndoWrites(); !r.ok()) return fail(r.error());
    }
  }
  if (!stats) {
    auto slow = RunOneByOne(queue, applier, rows, superseded, options);
    if (!slow.ok()) return fail(slow.error());
    stats = slow.value();
    stats->one_by_one_cause = fast_error;
  }
  if (auto r = queue.Commit(); !r.ok()) {
    applier.Discard();
    return r.error();
  }
  return *stats;
}

}  // namespace scim::sync
