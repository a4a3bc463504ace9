#include "common/ops/liveness.h"

#include <gtest/gtest.h>

namespace scim::ops {
namespace {

DaemonSeen Daemon(const std::string& mode, int64_t seen_ms_ago, bool stopped = false) {
  DaemonSeen d;
  d.mode = mode;
  d.seen_ms_ago = seen_ms_ago;
  d.stopped = stopped;
  return d;
}

TEST(LivenessTest, StalledOnlyWhenOldPendingRowsAndNoDrainingDaemonSeenWithinTheWindow) {
  struct Case {
    const char* name;
    std::optional<int64_t> oldest_pending_ms;
    std::vector<DaemonSeen> daemons;
    bool stalled;
  };
  const Case cases[] = {
      {"nothing pending, no daemon ever", std::nullopt, {}, false},
      {"young pending rows, no daemon ever", 59000, {}, false},
      {"pending exactly a minute is not older than it", 60000, {}, false},
      {"old pending rows, no daemon ever", 61000, {}, true},
      {"old pending rows, a loop daemon seen 2 s ago", 600000, {Daemon("loop", 2000)}, false},
      {"old pending rows, loop daemon silent for 61 s", 600000, {Daemon("loop", 61000)}, true},
      {"a --once run from cron 30 s ago counts", 600000, {Daemon("once", 30000, true)}, false},
      {"a daemon that stopped 2 min ago does not", 600000, {Daemon("loop", 120000, true)}, true},
      {"a reconcile run never drains the queue", 600000, {Daemon("reconcile", 1000)}, true},
      {"one of several seen is enough",
       600000,
       {Daemon("loop", 300000), Daemon("loop", 500), Daemon("reconcile", 100)},
       false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Liveness l = AssessLiveness(c.oldest_pending_ms, c.daemons);
    EXPECT_EQ(l.stalled, c.stalled);
    EXPECT_EQ(l.warning.empty(), !c.stalled) << l.warning;
  }
}

TEST(LivenessTest, WarningSaysHowOldAndWhenADaemonWasLastSeen) {
  Liveness never = AssessLiveness(125000, {});
  EXPECT_NE(never.warning.find("waited 125 s"), std::string::npos) << never.warning;
  EXPECT_NE(never.warning.find("none has ever reported"), std::string::npos) << never.warning;
  Liveness gone = AssessLiveness(125000, {Daemon("loop", 300000), Daemon("loop", 90000)});
  EXPECT_NE(gone.warning.find("the last one 90 s ago"), std::string::npos) << gone.warning;
}

TEST(LivenessTest, TheWindowIsAParameter) {
  // `--stall-after 180` for queues drained by a --once cron job.
  EXPECT_TRUE(AssessLiveness(120000, {Daemon("once", 90000, true)}).stalled);
  EXPECT_FALSE(AssessLiveness(120000, {Daemon("once", 90000, true)}, 180000).stalled);
  EXPECT_FALSE(AssessLiveness(120000, {}, 180000).stalled);
}

TEST(LivenessTest, StateOfADaemon) {
  EXPECT_EQ(StateOf(Daemon("loop", 5000)), DaemonState::kRunning);
  EXPECT_EQ(StateOf(Daemon("loop", 60001)), DaemonState::kSilent);
  EXPECT_EQ(StateOf(Daemon("loop", 100, true)), DaemonState::kStopped);
  EXPECT_EQ(StateOf(Daemon("loop", 20000), 10000), DaemonState::kSilent);
  EXPECT_EQ(DaemonStateName(DaemonState::kSilent), "silent");
}

}  // namespace
}  // namespace scim::ops
