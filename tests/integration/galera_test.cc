// The Galera topology only (make test-galera; scripts/test.sh galera): a
// 3-node cluster, worker pools on nodes 1 and 2 behind one nginx upstream
// (and each on its own name, pool1.localhost and pool2.localhost), daemons
// on nodes 2 and 3. Read-your-writes across nodes, a node killed under
// load, two daemons racing over one queue, two reconciles at once.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <atomic>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/integration/env.h"
#include "tests/integration/lifecycles.h"

namespace scim::it {
namespace {

std::map<std::string, std::string> PoolHeaders(int pool, const std::string& request_id = "") {
  auto h = Auth(SharedToken());
  h["Host"] = "pool" + std::to_string(pool) + ".localhost";
  if (!request_id.empty()) h["X-Request-Id"] = request_id;
  return h;
}

Response OnPool(int pool, const std::string& method, const std::string& path,
                const std::string& body = "", const std::string& request_id = "") {
  return Http(method, "/scim/v2" + path, body, PoolHeaders(pool, request_id));
}

std::string Patch(const std::string& ops) {
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" + ops +
         "}";
}

std::string GroupBody(const std::string& name) {
  return R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":")" + name +
         R"(","members":[]})";
}

long long Count(const std::string& sql) {
  long long n = -1;
  Db() << sql, soci::into(n);
  return n;
}

std::string Quoted(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "'" : ",'") + id + "'";
  return out;
}

CmdResult GaleraNode(const std::string& verb, int node) {
  std::string repo = TestEnv().bin_dir + "/../..";
  return RunProgram(repo + "/scripts/stack.sh", {verb, TestEnv().state_dir, std::to_string(node)},
                    {{"SCIMSYNC_BIN", TestEnv().bin_dir}});
}

// Waits until no change is pending (applied or dead). The limit is long:
// the cluster may be catching up after a node came back.
bool Drained() {
  return WaitUntil(
      [] {
        ResetDb();  // a fresh read, never a snapshot
        return Count("SELECT COUNT(*) FROM change_queue WHERE status = 'pending'") == 0;
      },
      std::chrono::seconds(180));
}

// Drained, and the daemons' logs still for 300 ms: a batch writes its log
// line just after its COMMIT, so a mark taken now is after every line of
// the batches committed so far (then the rows done from now on and the
// lines logged from now on are the same batches'). Bounded.
bool Quiet() {
  if (!Drained()) return false;
  for (int i = 0; i < 100; ++i) {
    DaemonLogMark before = MarkDaemonLogs();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    DaemonLogMark after = MarkDaemonLogs();
    if (before.syncd == after.syncd && before.syncd2 == after.syncd2) return true;
  }
  return false;
}

// The daemons' log lines after the mark that contain `event`.
std::vector<std::string> LogLinesSince(const DaemonLogMark& mark, const std::string& event) {
  std::vector<std::string> lines;
  std::istringstream in(DaemonLogsSince(mark));
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(event) != std::string::npos) lines.push_back(line);
  }
  return lines;
}

// The database's clock now, to count the rows done from then on.
std::string DbNow() {
  std::string now;
  Db() << "SELECT DATE_FORMAT(NOW(3), '%Y-%m-%d %H:%i:%s.%f')", soci::into(now);
  return now;
}

long long RowsDoneSince(const std::string& t0) {
  return SqlNum("SELECT COUNT(*) FROM change_queue WHERE status = 'done' AND done_at >= :t", t0);
}

// Sums `key=N` over lines.
long long SumField(const std::vector<std::string>& lines, const std::string& key) {
  long long sum = 0;
  std::regex re(" " + key + "=([0-9]+)");
  for (const auto& l : lines) {
    std::smatch m;
    if (std::regex_search(l, m, re)) sum += std::stoll(m[1]);
  }
  return sum;
}

// Every SCIM user of ids is in the directory as the SCIM view says
// (userName, active, applied version), and every group of group_ids has
// exactly its SCIM members there. Returns the differences found.
std::vector<std::string> Differences(const std::vector<std::string>& ids,
                                     const std::vector<std::string>& group_ids) {
  std::vector<std::string> diffs;
  ResetDb();
  std::string join =
      " FROM scim_users s LEFT JOIN directory_links l ON l.scim_id = s.id "
      "LEFT JOIN directory_users d ON d.id = l.app_key WHERE s.id IN (" +
      Quoted(ids) + ")";
  soci::rowset<std::string> users =
      (Db().prepare << "SELECT CONCAT('user ', s.id, ' scim(', s.user_name, ', active ', s.active, "
                       "', v', s.version, ') directory(', COALESCE(d.user_name, '-'), ', active ', "
                       "COALESCE(d.active, '-'), ', v', COALESCE(l.applied_version, '-'), ')')" +
                           join +
                           " AND NOT (d.user_name <=> s.user_name AND d.active <=> s.active AND "
                           "l.applied_version <=> s.version)");
  for (const auto& u : users) diffs.push_back(u);
  long long seen = Count("SELECT COUNT(*)" + join);
  if (seen != static_cast<long long>(ids.size())) {
    diffs.push_back(std::to_string(static_cast<long long>(ids.size()) - seen) +
                    " users missing in the SCIM view");
  }
  for (const auto& g : group_ids) {
    std::set<std::string> scim, dir;
    soci::rowset<std::string> a =
        (Db().prepare << "SELECT member_id FROM scim_group_members WHERE group_id = :g",
         soci::use(g));
    for (const auto& m : a) scim.insert(m);
    soci::rowset<std::string> b = (Db().prepare << kDirMemberIds, soci::use(g));
    for (const auto& m : b) dir.insert(m);
    if (scim != dir) {
      diffs.push_back("group " + g + ": " + std::to_string(scim.size()) + " SCIM members, " +
                      std::to_string(dir.size()) + " in the directory");
    }
  }
  return diffs;
}

// An IdP writes through one web node and reads through another at once.
TEST(GaleraTest, AUserPostedThroughOneNodeIsFoundThroughTheOtherAtOnce) {
  for (int i = 0; i < 30; ++i) {
    std::string name = Unique("ryw") + "@example.com";
    int write_pool = 1 + i % 2, read_pool = 2 - i % 2;
    std::string id = IdOf(OnPool(write_pool, "POST", "/Users", UserBody(name)));
    Response by_id = OnPool(read_pool, "GET", "/Users/" + id);
    ASSERT_EQ(by_id.status, 200) << "round " << i << ": " << by_id.body;
    Response by_name = OnPool(read_pool, "GET", "/Users?filter=userName%20eq%20%22" + name + "%22");
    ASSERT_EQ(TotalOf(by_name), 1) << "round " << i << ": " << by_name.body;
  }
}

// 2,000 writes (creates, PATCHes of users, group member changes) spread
// over both pools by 8 clients, with node 3 (one daemon's) killed by
// SIGKILL a third of the way and started again (IST) two thirds in.
TEST(GaleraTest, ANodeKilledUnderLoadLosesNothing) {
  constexpr int kClients = 8, kUsersPerClient = 40, kOpsPerClient = 250, kGroups = 10;
  ASSERT_TRUE(Quiet());  // the daemons' batches from here on are this test's
  DaemonLogMark mark = MarkDaemonLogs();
  std::string t0 = DbNow();
  std::vector<std::string> group_ids;
  for (int g = 0; g < kGroups; ++g) {
    group_ids.push_back(IdOf(OnPool(1 + g % 2, "POST", "/Groups", GroupBody(Unique("load-g")))));
  }
  std::atomic<int> sent{0};
  std::mutex mu;
  std::vector<std::string> user_ids;
  std::vector<std::string> deactivated;
  std::vector<std::string> failed_ids;  // X-Request-Id of writes answered 5xx
  std::vector<std::string> failures;
  std::map<int, int> statuses;
  std::string tag = Unique("load");
  auto client = [&](int c) {
    std::mt19937 rng(static_cast<unsigned>(c) * 7919u + 1);
    std::vector<std::string> mine;
    int n = 0;
    auto write = [&](const std::string& method, const std::string& path, const std::string& body) {
      std::string rid = tag + "-" + std::to_string(c) + "-" + std::to_string(n);
      Response r;
      try {
        r = OnPool(1 + (c + n) % 2, method, path, body, rid);
      } catch (const std::exception& e) {
        r.status = 599;  // the connection failed: counts as a 5xx
        r.body = e.what();
      }
      ++n;
      ++sent;
      std::lock_guard<std::mutex> lock(mu);
      ++statuses[r.status];
      if (r.status >= 500) {
        failed_ids.push_back(rid);
        failures.push_back(method + " " + path + " -> " + std::to_string(r.status) + " " + r.body);
      }
      return r;
    };
    for (int u = 0; u < kUsersPerClient; ++u) {
      std::string name = tag + "-" + std::to_string(c) + "-" + std::to_string(u) + "@example.com";
      Response r = write("POST", "/Users", UserBody(name));
      if (r.status == 201) mine.push_back(r.json().Find("id")->as_string());
    }
    if (mine.empty()) return;
    std::set<std::string> off;
    for (int i = 0; i < kOpsPerClient - kUsersPerClient; ++i) {
      const std::string& who = mine[rng() % mine.size()];
      const std::string& group = group_ids[rng() % group_ids.size()];
      switch (i % 4) {
        case 0:
          write("PATCH", "/Users/" + who,
                Patch(R"([{"op":"replace","path":"displayName","value":"Name )" +
                      std::to_string(i) + R"("}])"));
          break;
        case 1:
        case 2:
          write("PATCH", "/Groups/" + group,
                Patch(R"([{"op":")" + std::string(i % 4 == 1 ? "add" : "remove") +
                      R"(","path":"members","value":[{"value":")" + who + R"("}]}])"));
          break;
        default:
          if (off.insert(who).second) {
            write("PATCH", "/Users/" + who,
                  Patch(R"([{"op":"replace","path":"active","value":false}])"));
          } else {
            write("PATCH", "/Users/" + who,
                  Patch(R"([{"op":"replace","path":"title","value":"T)" + std::to_string(i) +
                        R"("}])"));
          }
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    user_ids.insert(user_ids.end(), mine.begin(), mine.end());
    deactivated.insert(deactivated.end(), off.begin(), off.end());
  };
  constexpr int kTotal = kClients * kOpsPerClient;
  static_assert(kTotal >= 2000);  // plus the groups and the pass below
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) clients.emplace_back(client, c);
  auto wait_for = [&](int writes) {
    while (sent.load() < writes && sent.load() < kTotal) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  };
  wait_for(kTotal / 3);
  auto killed_at = std::chrono::steady_clock::now();
  CmdResult kill = GaleraNode("galera-node-kill", 3);
  wait_for(2 * kTotal / 3);
  CmdResult start = GaleraNode("galera-node-start", 3);
  auto restarted_at = std::chrono::steady_clock::now();
  for (auto& t : clients) t.join();
  EXPECT_EQ(kill.exit_code, 0) << kill.out << kill.err;
  EXPECT_EQ(start.exit_code, 0) << start.out << start.err;
  std::cout
      << "[ load     ] " << sent.load() << " writes; node 3 down for "
      << std::chrono::duration_cast<std::chrono::milliseconds>(restarted_at - killed_at).count()
      << " ms; statuses:";
  for (auto [status, n] : statuses) std::cout << " " << status << "=" << n;
  std::cout << "\n";
  for (size_t i = 0; i < failures.size() && i < 10; ++i) std::cout << "  " << failures[i] << "\n";

  // Every group gets one more write through the upstream (the main server):
  // its final state is then certain to be queued after all of the above.
  for (const auto& g : group_ids) {
    Response r = Http(
        "PATCH", "/scim/v2/Groups/" + g,
        Patch(R"([{"op":"replace","path":"displayName","value":")" + Unique("final") + R"("}])"),
        Auth(SharedToken()));
    EXPECT_TRUE(r.status == 200 || r.status == 204) << r.status << " " << r.body;
  }
  ASSERT_TRUE(Quiet()) << "changes still pending after 180 s";
  std::string all = Quoted(user_ids) + (group_ids.empty() ? "" : "," + Quoted(group_ids));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_queue WHERE status = 'dead' AND resource_id IN (" +
                  all + ")"),
            0);
  // Final state equals the SCIM view, for every user and group.
  std::vector<std::string> diffs = Differences(user_ids, group_ids);
  EXPECT_TRUE(diffs.empty()) << diffs.size() << " differences, first: " << diffs.front();
  // Each deactivation was applied once (one audit entry each, not two).
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE actor = 'scim-syncd' AND "
                  "operation = 'active' AND outcome = 'applied' AND resource_id IN (" +
                  Quoted(deactivated) + ")"),
            static_cast<long long>(deactivated.size()));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM (SELECT resource_id FROM audit_log WHERE actor = "
                  "'scim-syncd' AND operation = 'active' AND resource_id IN (" +
                  Quoted(deactivated) + ") GROUP BY resource_id HAVING COUNT(*) > 1) twice"),
            0);
  // No queue row was committed done by two batches. Each row a committed
  // batch finished is counted once in its log line (applied, stale or
  // superseded; a row that failed and was retried counts when it finally
  // applies), so the batches' counts add up to the rows done since t0
  // (both ends taken when the daemons were quiet). A batch whose COMMIT
  // reached the cluster just before node 3 died would be committed without
  // its daemon knowing it: then the logs count fewer, never more.
  std::vector<std::string> batches = LogLinesSince(mark, "event=batch ");
  long long finished =
      SumField(batches, "applied") + SumField(batches, "stale") + SumField(batches, "superseded");
  long long done = RowsDoneSince(t0);
  EXPECT_LE(finished, done) << "a row was committed done by two batches";
  long long rows = Count("SELECT COUNT(*) FROM change_queue WHERE resource_id IN (" + all + ")");
  if (finished != done) {  // which commits the logs lack: rows by done time, next to the logs
    std::string t = t0;
    soci::rowset<soci::row> at =
        (Db().prepare << "SELECT DATE_FORMAT(done_at, '%H:%i:%s.%f'), COUNT(*), MIN(id), MAX(id) "
                         "FROM change_queue WHERE status = 'done' AND done_at >= :t "
                         "GROUP BY done_at ORDER BY done_at",
         soci::use(t));
    for (const auto& r : at) {
      std::cout << "  done_at " << r.get<std::string>(0) << " rows " << r.get<long long>(1)
                << " ids " << r.get<unsigned long long>(2) << "-" << r.get<unsigned long long>(3)
                << "\n";
    }
    for (const auto& b : batches) std::cout << "  " << b.substr(0, 200) << "\n";
  }
  std::vector<std::string> conflicts = LogLinesSince(mark, "event=batch_conflict");
  std::cout << "[ load     ] " << rows << " queue rows; " << done << " rows done since the start, "
            << finished << " of them by " << batches.size() << " batches logged as committed; "
            << conflicts.size() << " whole batches retried after a conflict\n";
  // A write answered 5xx was not committed: its request id is nowhere in
  // the audit log, which each write commits with its change.
  for (const auto& rid : failed_ids) {
    EXPECT_EQ(SqlNum("SELECT COUNT(*) FROM audit_log WHERE request_id = :r", rid), 0)
        << "request " << rid << " was answered 5xx but committed";
  }
  // Node 3 came back with everything.
  std::string node3 = TestEnv().state_dir + "/galera/node3/mysqld.sock";
  CmdResult on3 = RunProgram(
      "mariadb", {"--no-defaults", "--socket=" + node3, "-uroot", "-N", "-e",
                  "SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM scimsync.change_queue "
                  "WHERE resource_id IN (" +
                      all + ")"});
  EXPECT_EQ(on3.exit_code, 0) << on3.err;
  EXPECT_EQ(std::stoll("0" + on3.out), rows) << on3.out << on3.err;
}

// Both daemons (nodes 2 and 3) paused while 600 changes are queued, then
// let go at once: they claim the same rows (SKIP LOCKED is local to a node),
// one commit wins, the other is a certification conflict and its whole
// batch is retried. Nothing lost, nothing applied twice.
TEST(GaleraTest, TwoDaemonsRacingOverOneQueueApplyEachChangeOnce) {
  long long conflicts = 0;
  for (int round = 1; round <= 3 && conflicts == 0; ++round) {
    ASSERT_TRUE(Quiet());
    DaemonLogMark mark = MarkDaemonLogs();
    std::string t0 = DbNow();
    std::vector<std::string> ids;
    {
      StackDaemonPaused paused;
      ASSERT_TRUE(paused.ok());
      for (int i = 0; i < 600; ++i) {
        ids.push_back(
            IdOf(OnPool(1 + i % 2, "POST", "/Users", UserBody(Unique("race") + "@example.com"))));
      }
    }  // both go on here, within microseconds of each other
    ASSERT_TRUE(Quiet());
    EXPECT_TRUE(Differences(ids, {}).empty());
    EXPECT_EQ(Count("SELECT COUNT(*) FROM change_queue WHERE status <> 'done' AND resource_id "
                    "IN (" +
                    Quoted(ids) + ")"),
              0);
    std::vector<std::string> batches = LogLinesSince(mark, "event=batch ");
    EXPECT_EQ(SumField(batches, "applied"), 600) << "a row was committed by two batches";
    EXPECT_EQ(RowsDoneSince(t0), 600);
    conflicts = static_cast<long long>(LogLinesSince(mark, "event=batch_conflict").size());
    std::cout << "[ race     ] round " << round << ": " << batches.size() << " committed batches, "
              << conflicts << " batches rolled back by a conflict\n";
  }
  EXPECT_GT(conflicts, 0) << "the daemons never met: the race was not exercised";
}

// Two `scim-syncd reconcile` started at once against two nodes: one does
// the work, the other exits 3 (the lease row holds across nodes, where
// GET_LOCK would not).
TEST(GaleraTest, TwoReconcilesOnTwoNodesRunOneAtATime) {
  bool overlapped = false;
  for (int round = 1; round <= 5 && !overlapped; ++round) {
    std::string out2 = TestEnv().state_dir + "/log/reconcile-node2.err";
    std::string out3 = TestEnv().state_dir + "/log/reconcile-node3.err";
    Child a(TestEnv().bin_dir + "/scim-syncd",
            {"--config", TestEnv().state_dir + "/node2.conf", "reconcile"}, out2);
    Child b(TestEnv().bin_dir + "/scim-syncd",
            {"--config", TestEnv().state_dir + "/node3.conf", "reconcile"}, out3);
    int sa = a.Wait(), sb = b.Wait();
    ASSERT_TRUE(WIFEXITED(sa) && WIFEXITED(sb)) << sa << " " << sb;
    std::set<int> codes{WEXITSTATUS(sa), WEXITSTATUS(sb)};
    std::cout << "[ reconcile] round " << round << ": exit codes " << WEXITSTATUS(sa) << " and "
              << WEXITSTATUS(sb) << "\n";
    if (codes == std::set<int>{0, 3}) {
      overlapped = true;
      std::string err = ReadFile(WEXITSTATUS(sa) == 3 ? out2 : out3);
      EXPECT_NE(err.find("holds the reconcile lease"), std::string::npos) << err;
    } else {
      // One finished before the other started: both did the work, one
      // after the other, which is allowed. Anything else is not.
      ASSERT_EQ(codes, std::set<int>{0}) << ReadFile(out2) << ReadFile(out3);
    }
  }
  EXPECT_TRUE(overlapped) << "the two reconciles never overlapped in 5 rounds";
  ResetDb();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM scimsync_leases WHERE name = 'reconcile' AND "
                  "expires_at > NOW(3)"),
            0)
      << "the winner released the lease";
}

}  // namespace
}  // namespace scim::it
