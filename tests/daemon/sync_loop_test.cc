#include "daemon/sync_loop.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

#include "common/scim/change_payload.h"
#include "tests/scim_matchers.h"

namespace scim::sync {
namespace {

// Records what the loop does to each row; the batch is "committed" only
// on Commit, like the SQL queue's transaction: a committed row is no longer
// due (it leaves `rows`), and a failed commit forgets the batch's marks so
// its rows stay due.
class FakeQueue : public ChangeQueue {
 public:
  std::vector<QueueRow> rows;              // due rows, in queue order
  std::map<int64_t, std::string> outcome;  // committed: "done", "retry", "dead"
  std::map<int64_t, int64_t> delay;
  std::map<int64_t, std::string> error;
  bool fail_commit = false;
  int aborts = 0;
  int begin_writes = 0;
  int undos = 0;

  Result<std::vector<QueueRow>> Claim(int limit) override {
    pending_.clear();
    std::vector<QueueRow> out(rows.begin(), rows.begin() + std::min<size_t>(limit, rows.size()));
    return out;
  }
  Result<void> BeginItem() override { return {}; }
  Result<void> MarkDone(const QueueRow& row) override {
    pending_[row.id] = "done";
    return {};
  }
  Result<void> BeginWrites() override {
    ++begin_writes;
    return {};
  }
  Result<void> UndoWrites() override {
    ++undos;
    pending_.clear();
    return {};
  }
  Result<void> MarkFailed(const QueueRow& row, const std::string& e, bool dead,
                          int64_t delay_ms) override {
    pending_[row.id] = dead ? "dead" : "retry";
    delay[row.id] = delay_ms;
    error[row.id] = e;
    return {};
  }
  Result<void> Commit() override {
    if (fail_commit) {
      pending_.clear();  // the transaction is gone, and the marks with it
      return Unavailable("lost");
    }
    for (const auto& [id, o] : pending_) outcome[id] = o;
    std::erase_if(rows, [&](const QueueRow& r) { return pending_.count(r.id) > 0; });
    pending_.clear();
    return {};
  }
  void Abort() override { ++aborts; }

 private:
  std::map<int64_t, std::string> pending_;
};

// Applies everything but the resources in fail_ids. Like a directory in a
// transaction, what a batch's fast path applied is forgotten on Discard.
class FakeTarget : public Applier {
 public:
  std::vector<Change> applied;
  std::set<std::string> fail_ids;
  int calls = 0, prepares = 0, flushes = 0, discards = 0;

  Result<ApplyOutcome> Apply(const Change& change) override {
    ++calls;
    if (fail_ids.count(change.resource_id)) return Internal("directory refused");
    applied.push_back(change);
    return ApplyOutcome::kApplied;
  }
  Result<void> Prepare(const std::vector<Change>& changes) override {
    ++prepares;
    prepared = changes.size();
    mark_ = applied.size();
    return {};
  }
  Result<void> Flush() override {
    ++flushes;
    return {};
  }
  void Discard() override {
    ++discards;
    applied.resize(std::min(applied.size(), mark_));
  }
  size_t prepared = 0;

 private:
  size_t mark_ = 0;
};

QueueRow Row(int64_t id, const std::string& resource, int64_t version, int attempts = 0) {
  ResourceRecord u;
  u.id = resource;
  u.version = version;
  u.attributes = ParseJson(R"({"userName":")" + resource + "\"}").value();
  return {id, "User", resource, version, ToJson(ChangePayload(UserType(), u, "upsert")), attempts};
}

TEST(SyncLoopTest, AppliesEachRowAndMarksItDone) {
  FakeQueue q;
  FakeTarget t;
  q.rows = {Row(1, "a", 1), Row(2, "b", 1)};
  auto s = RunOnce(q, t, {});
  ASSERT_SCIM_OK(s);
  EXPECT_EQ(s.value().claimed, 2);
  EXPECT_EQ(s.value().applied, 2);
  EXPECT_EQ(q.outcome[1], "done");
  EXPECT_EQ(q.outcome[2], "done");
  EXPECT_EQ(t.applied.size(), 2u);
}

TEST(SyncLoopTest, ABatchWithoutFailuresGoesInOneGo) {
  FakeQueue q;
  FakeTarget t;
  q.rows = {Row(1, "a", 1), Row(2, "b", 1), Row(3, "c", 1)};
  auto s = RunOnce(q, t, {});
  ASSERT_SCIM_OK(s);
  EXPECT_EQ(t.prepares, 1);
  EXPECT_EQ(t.prepared, 3u);
  EXPECT_EQ(t.flushes, 1);
  EXPECT_EQ(t.calls, 3);
  EXPECT_EQ(q.undos, 0);
  EXPECT_TRUE(s.value().in_one_go);
  EXPECT_EQ(s.value().one_by_one_cause, "");
  for (int id : {1, 2, 3}) EXPECT_EQ(q.outcome[id], "done") << id;
}

TEST(SyncLoopTest, AFailureInTheFastPathUndoesItAndGoesRowByRow) {
  FakeQueue q;
  FakeTarget t;
  t.fail_ids = {"b"};
  q.rows = {Row(1, "a", 1), Row(2, "b", 1), Row(3, "c", 1)};
  auto s = RunOnce(q, t, {});
  ASSERT_SCIM_OK(s);
  EXPECT_EQ(q.begin_writes, 1);
  EXPECT_EQ(q.undos, 1);
  EXPECT_FALSE(s.value().in_one_go);
  EXPECT_EQ(s.value().one_by_one_cause, "500 directory refused");
  // "a" was applied by the fast path, rolled back, and applied again: once
  // in the end, like "c"; "b" retries.
  ASSERT_EQ(t.applied.size(), 2u);
  EXPECT_EQ(t.applied[0].resource_id, "a");
  EXPECT_EQ(t.applied[1].resource_id, "c");
  EXPECT_EQ(s.value().applied, 2);
  EXPECT_EQ(s.value().retried, 1);
  EXPECT_EQ(q.outcome[1], "done");
  EXPECT_EQ(q.outcome[2], "retry");
  EXPECT_EQ(q.outcome[3], "done");
}

TEST(SyncLoopTest, CoalescesOlderVersionsOfOneResourceIntoTheNewest) {
  FakeQueue q;
  FakeTarget t;
  q.rows = {Row(1, "a", 1), Row(2, "a", 2), Row(3, "b", 1), Row(4, "a", 3)};
  auto s = RunOnce(q, t, {});
  ASSERT_SCIM_OK(s);
  EXPECT_EQ(s.value().superseded, 2);
  ASSERT_EQ(t.applied.size(), 2u);
  EXPECT_EQ(t.applied[0].resource_id, "b");
  EXPECT_EQ(t.applied[1].version, 3);
  for (int id : {1, 2, 3, 4}) EXPECT_EQ(q.outcome[id], "done") << id;
}

TEST(SyncLoopTest, AFailingRowRetriesWithoutBlockingTheOthers) {
  FakeQueue q;
  FakeTarget t;
  t.fail_ids = {"a"};
  q.rows = {Row(1, "a", 1), Row(2, "b", 1)};
  auto s = RunOnce(q, t, {});
  ASSERT_SCIM_OK(s);
  EXPECT_EQ(s.value().retried, 1);
  EXPECT_EQ(q.outcome[1], "retry");
  EXPECT_EQ(q.error[1], "500 directory refused");
  EXPECT_EQ(q.outcome[2], "done");
}

TEST(SyncLoopTest, RowGoesDeadAtMaxAttempts) {
  FakeQueue q;
  FakeTarget t;
  t.fail_ids = {"a"};
  q.rows = {Row(1, "a", 1, /*attempts=*/9)};
  SyncOptions o;
  o.max_attempts = 10;
  auto s = RunOnce(q, t, o);
  ASSERT_SCIM_OK(s);
  EXPECT_EQ(s.value().dead, 1);
  EXPECT_EQ(q.outcome[1], "dead");
}

TEST(SyncLoopTest, UndecodablePayloadFailsThatRowOnly) {
  FakeQueue q;
  FakeTarget t;
  q.rows = {Row(1, "a", 1), Row(2, "b", 1)};
  q.rows[0].payload = "{garbage";
  auto s = RunOnce(q, t, {});
  ASSERT_SCIM_OK(s);
  EXPECT_EQ(q.outcome[1], "retry");
  EXPECT_EQ(q.outcome[2], "done");
  EXPECT_EQ(t.calls, 1);  // the fast path stopped at decoding, before any apply
  ASSERT_EQ(t.applied.size(), 1u);
}

TEST(SyncLoopTest, AFailedCommitDiscardsTheAppliedWritesAndTheRowsAreTakenAgain) {
  FakeQueue q;
  FakeTarget t;
  q.fail_commit = true;
  q.rows = {Row(1, "a", 1), Row(2, "b", 1)};
  EXPECT_SCIM_ERROR(RunOnce(q, t, {}), 503, ScimType::kNone);
  EXPECT_EQ(t.calls, 2) << "both rows were applied before the commit";
  EXPECT_EQ(t.discards, 1);
  EXPECT_TRUE(t.applied.empty()) << "the directory forgot the batch's writes";
  EXPECT_TRUE(q.outcome.empty());
  ASSERT_EQ(q.rows.size(), 2u) << "nothing was marked: both rows are still due";

  q.fail_commit = false;
  auto again = RunOnce(q, t, {});
  ASSERT_SCIM_OK(again);
  EXPECT_EQ(again.value().claimed, 2);
  EXPECT_EQ(again.value().applied, 2);
  ASSERT_EQ(t.applied.size(), 2u);
  EXPECT_EQ(t.applied[0].resource_id, "a");
  EXPECT_EQ(t.applied[1].resource_id, "b");
  EXPECT_EQ(q.outcome[1], "done");
  EXPECT_EQ(q.outcome[2], "done");
  EXPECT_TRUE(q.rows.empty());
}

Change GroupChange(int64_t version, std::optional<std::vector<std::string>> touched) {
  Change c;
  c.resource_type = "Group";
  c.resource_id = "g";
  c.version = version;
  c.members_touched = std::move(touched);
  c.members_base = version - 1;
  return c;
}

TEST(SyncLoopTest, MergesTheMemberChangesOfAGroupsConsecutiveVersions) {
  Change newest = GroupChange(5, std::vector<std::string>{"e"});
  MergeMemberChanges(
      {GroupChange(3, std::vector<std::string>{"c"}), GroupChange(4, std::vector<std::string>{"d"}),
       GroupChange(4, std::vector<std::string>{"d"})},  // a replay
      &newest);
  ASSERT_TRUE(newest.members_touched.has_value());
  EXPECT_EQ(*newest.members_touched, (std::vector<std::string>{"e", "d", "c"}));
  EXPECT_EQ(newest.members_base, 2);

  Change gap = GroupChange(5, std::vector<std::string>{"e"});
  MergeMemberChanges({GroupChange(3, std::vector<std::string>{"c"})}, &gap);  // 4 is missing
  EXPECT_FALSE(gap.members_touched.has_value());

  Change unknown = GroupChange(5, std::vector<std::string>{"e"});
  MergeMemberChanges({GroupChange(4, std::nullopt)}, &unknown);  // e.g. a replace
  EXPECT_FALSE(unknown.members_touched.has_value());
}

TEST(SyncLoopTest, AGroupsSupersededRowsLendTheirMemberChangesToTheNewest) {
  auto row = [](int64_t id, int64_t version, const std::string& member) {
    return QueueRow{id,
                    "Group",
                    "g",
                    version,
                    R"({"op":"upsert","resourceType":"Group","id":"g","version":)" +
                        std::to_string(version) +
                        R"(,"attributes":{"displayName":"G"},"members":{"replace":false,"add":[")" +
                        member + R"("],"remove":[]}})",
                    0};
  };
  FakeQueue q;
  FakeTarget t;
  q.rows = {row(1, 2, "a"), row(2, 3, "b"), Row(3, "u", 1)};
  auto s = RunOnce(q, t, {});
  ASSERT_SCIM_OK(s);
  EXPECT_EQ(s.value().superseded, 1);
  ASSERT_EQ(t.applied.size(), 2u);
  const Change& g = t.applied[0];
  EXPECT_EQ(g.version, 3);
  ASSERT_TRUE(g.members_touched.has_value());
  EXPECT_EQ(*g.members_touched, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(g.members_base, 1);
}

TEST(SyncLoopTest, RetryDelayDoublesWithJitterAndIsCapped) {
  for (int64_t row : {1, 2, 99, 123456}) {
    SCOPED_TRACE(row);
    for (int attempts = 1; attempts <= 4; ++attempts) {
      int64_t base = 1000LL << (attempts - 1);
      int64_t d = RetryDelayMs(1000, attempts, row);
      EXPECT_GE(d, base * 8 / 10);
      EXPECT_LT(d, base * 12 / 10);
    }
    EXPECT_LE(RetryDelayMs(1000, 100, row), 3600 * 1000 * 12 / 10);
  }
  EXPECT_NE(RetryDelayMs(1000, 1, 1), RetryDelayMs(1000, 1, 2));
}

}  // namespace
}  // namespace scim::sync
