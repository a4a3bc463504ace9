// scim-syncd's signals as docs/SYNC.md and its --help describe them:
// SIGHUP reloads the daemon.* config keys (a config that does not load is
// refused and the old one kept), and SIGTERM lets the current batch finish
// and commit before the daemon exits 0. Each test runs its own daemon, with
// the stack's stopped so that only the test's daemon applies anything.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

// The stack's config plus extra lines, written to a file of the test's own.
std::string WriteConfig(const std::string& name, const std::string& extra) {
  std::string path = TestEnv().state_dir + "/" + name;
  std::ofstream(path) << ReadFile(TestEnv().config_path) << extra;
  return path;
}

long long DirectoryVersion(const std::string& scim_id) {
  long long v = 0;
  std::string id = scim_id;
  Db() << DirUserSql("COALESCE(MAX(l.applied_version), 0)"), soci::into(v), soci::use(id);
  return v;
}

// The "claimed=" counts of the batches logged in text.
std::vector<int> BatchSizes(const std::string& text) {
  std::vector<int> out;
  std::regex batch("event=batch claimed=([0-9]+)");
  for (std::sregex_iterator it(text.begin(), text.end(), batch), end; it != end; ++it) {
    out.push_back(std::stoi((*it)[1].str()));
  }
  return out;
}

// Creates three users while the daemon is stopped, so that it finds them
// due together; returns once it has applied them.
::testing::AssertionResult ThreeUsersAtOnce(Child& daemon) {
  if (!daemon.Stop()) return ::testing::AssertionFailure() << "the daemon is gone";
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(
        IdOf(Http("POST", "/scim/v2/Users", UserBody(Unique("hup")), Auth(SharedToken()))));
  }
  daemon.Continue();
  if (!WaitUntil([&] {
        for (const auto& id : ids) {
          if (DirectoryVersion(id) != 1) return false;
        }
        return true;
      })) {
    return ::testing::AssertionFailure() << "the daemon did not apply the three users";
  }
  return ::testing::AssertionSuccess();
}

TEST(DaemonSignalsTest, SighupReloadsTheDaemonKeys) {
  std::string log = TestEnv().state_dir + "/log/sighup-test.log";
  std::ofstream(log, std::ios::trunc).close();
  std::string config = WriteConfig("sighup-test.conf", "daemon.batch_size = 1\n");
  StackDaemonPaused paused;
  ASSERT_TRUE(paused.ok());
  Child daemon(TestEnv().bin_dir + "/scim-syncd", {"--config", config}, log);

  ASSERT_TRUE(ThreeUsersAtOnce(daemon));
  std::vector<int> before = BatchSizes(ReadFile(log));
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(*std::max_element(before.begin(), before.end()), 1) << ReadFile(log);

  WriteConfig("sighup-test.conf", "daemon.batch_size = 100\n");
  ASSERT_TRUE(daemon.Signal(SIGHUP));
  ASSERT_TRUE(WaitUntil([&] { return ReadFile(log).find("event=reload") != std::string::npos; }))
      << ReadFile(log);
  size_t reloaded_at = ReadFile(log).find("event=reload");
  ASSERT_TRUE(ThreeUsersAtOnce(daemon));
  std::vector<int> after = BatchSizes(ReadFile(log).substr(reloaded_at));
  ASSERT_FALSE(after.empty());
  EXPECT_GE(*std::max_element(after.begin(), after.end()), 3) << ReadFile(log);

  // A config that does not load is refused; the daemon goes on as it was.
  WriteConfig("sighup-test.conf", "daemon.batch_size = 0\n");
  ASSERT_TRUE(daemon.Signal(SIGHUP));
  ASSERT_TRUE(WaitUntil([&] {
    return ReadFile(log).find("event=reload_failed") != std::string::npos;
  })) << ReadFile(log);
  EXPECT_TRUE(daemon.running());
  ASSERT_TRUE(ThreeUsersAtOnce(daemon));

  ASSERT_TRUE(daemon.Signal(SIGTERM));
  int status = daemon.Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// Whether another session's statement on directory_users has been running
// for over 100 ms (they take well under a millisecond): then it waits for
// the test's row lock. (information_schema.innodb_trx would say so directly
// but needs the PROCESS privilege; the processlist shows our own user's.)
bool DaemonWaitsForTheLock() {
  long long n = 0;
  Db() << "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() "
          "AND COMMAND = 'Query' AND INFO LIKE '%directory_users%' AND TIME_MS > 100",
      soci::into(n);
  return n > 0;
}

// The test holds a lock on a directory row that the daemon's batch must
// write, so the daemon is inside that batch when SIGTERM arrives; the batch
// still commits (the change is applied, its row done) and the exit is 0.
TEST(DaemonSignalsTest, SigtermLetsTheCurrentBatchFinish) {
  std::string log = TestEnv().state_dir + "/log/sigterm-test.log";
  StackDaemonPaused paused;
  ASSERT_TRUE(paused.ok());
  Child daemon(TestEnv().bin_dir + "/scim-syncd", {"--config", TestEnv().config_path}, log);
  std::string id =
      IdOf(Http("POST", "/scim/v2/Users", UserBody(Unique("sigterm")), Auth(SharedToken())));
  ASSERT_TRUE(WaitUntil([&] { return DirectoryVersion(id) == 1; }));

  {
    soci::transaction tr(Db());
    long long row = 0;
    Db() << DirUserSql("d.id") + " FOR UPDATE", soci::into(row), soci::use(id);
    Response patched = Http("PATCH", "/scim/v2/Users/" + id,
                            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                "Operations":[{"op":"replace","path":"title","value":"T"}]})",
                            Auth(SharedToken()));
    ASSERT_EQ(patched.status, 200) << patched.body;
    ASSERT_TRUE(WaitUntil(DaemonWaitsForTheLock)) << "the daemon never reached the row";
    ASSERT_TRUE(daemon.Signal(SIGTERM));
    tr.commit();
  }
  int status = daemon.Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << ReadFile(log);
  EXPECT_EQ(DirectoryVersion(id), 2) << "the batch in progress was committed";
  std::string state, rid = id;
  Db() << "SELECT status FROM change_queue WHERE resource_id = :id AND version = 2",
      soci::into(state), soci::use(rid);
  EXPECT_EQ(state, "done");
  EXPECT_NE(ReadFile(log).find("event=stop"), std::string::npos);
}

}  // namespace
}  // namespace scim::it
