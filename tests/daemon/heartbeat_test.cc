#include "daemon/heartbeat.h"

#include <gtest/gtest.h>

namespace scim::sync {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

db::HeartbeatRow Identity() {
  db::HeartbeatRow row;
  row.daemon_id = "6f1c2d3e-0000-4000-8000-000000000001";
  row.host = "sync1";
  row.pid = 4242;
  row.mode = "loop";
  return row;
}

BatchStats Batch(int applied, int retried, int dead) {
  BatchStats s;
  s.claimed = applied + retried + dead;
  s.applied = applied;
  s.retried = retried;
  s.dead = dead;
  return s;
}

TEST(HeartbeatScheduleTest, FirstRowAtOnceThenAtMostEveryInterval) {
  HeartbeatSchedule schedule(Identity());
  auto t0 = std::chrono::steady_clock::time_point{} + seconds(1000);
  auto first = schedule.Due(t0);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->daemon_id, Identity().daemon_id);
  EXPECT_EQ(first->last_batch_ms_ago, -1);
  // Fast batches (a thousand a second) do not write a row each.
  int written = 0;
  for (int ms = 1; ms < 5000; ++ms) {
    schedule.AddBatch(Batch(1, 0, 0), t0 + milliseconds(ms));
    if (schedule.Due(t0 + milliseconds(ms))) ++written;
  }
  EXPECT_EQ(written, 0);
  EXPECT_TRUE(schedule.Due(t0 + kHeartbeatEvery).has_value());
  // Idle: still one row per interval.
  EXPECT_FALSE(schedule.Due(t0 + kHeartbeatEvery + milliseconds(4999)).has_value());
  EXPECT_TRUE(schedule.Due(t0 + 2 * kHeartbeatEvery).has_value());
}

TEST(HeartbeatScheduleTest, RowCarriesTotalsAndTheLastBatchAge) {
  HeartbeatSchedule schedule(Identity());
  auto t0 = std::chrono::steady_clock::time_point{} + seconds(1000);
  ASSERT_TRUE(schedule.Due(t0).has_value());
  schedule.AddBatch(Batch(10, 2, 1), t0 + seconds(1));
  schedule.AddBatch(Batch(5, 0, 0), t0 + seconds(2));
  auto row = schedule.Due(t0 + seconds(6));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->batches, 2);
  EXPECT_EQ(row->rows_applied, 15);
  EXPECT_EQ(row->rows_failed, 3);
  EXPECT_EQ(row->last_batch_ms_ago, 4000);
  EXPECT_FALSE(row->stopped);
  EXPECT_EQ(row->host, "sync1");
  EXPECT_EQ(row->pid, 4242);
  // Row() is the same state whenever asked, due or not (Stop writes it).
  EXPECT_EQ(schedule.Row(t0 + seconds(7)).last_batch_ms_ago, 5000);
}

}  // namespace
}  // namespace scim::sync
