// Operators' view of the stack: the daemons' heartbeats in `scimctl status`,
// its stalled-queue warning and exit code, and `scimctl doctor`.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

CmdResult Ctl(const std::vector<std::string>& args,
              const std::string& config = TestEnv().config_path) {
  std::vector<std::string> all = {"--config", config};
  all.insert(all.end(), args.begin(), args.end());
  return RunProgram(TestEnv().bin_dir + "/scimctl", all);
}

pid_t StackDaemonPid() {
  std::ifstream f(TestEnv().state_dir + "/run/syncd.pid");
  pid_t pid = 0;
  f >> pid;
  return pid;
}

std::string HostName() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  return name;
}

// The `daemon:` line of status for this host and pid, or "".
std::string DaemonLine(const std::string& status_out, pid_t pid) {
  std::istringstream in(status_out);
  std::string prefix = "daemon: host=" + HostName() + " pid=" + std::to_string(pid) + " ";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) return line;
  }
  return "";
}

long long HeartbeatRows(pid_t pid, const std::string& condition) {
  long long n = 0;
  int p = pid;
  std::string host = HostName();
  Db() << "SELECT COUNT(*) FROM daemon_heartbeats WHERE host = :h AND pid = :p AND " + condition,
      soci::into(n), soci::use(host), soci::use(p);
  return n;
}

TEST(HealthTest, StatusShowsTheStacksDaemonRunningAndRecentlySeen) {
  pid_t pid = StackDaemonPid();
  ASSERT_GT(pid, 0);
  CmdResult r = Ctl({"status"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::string line = DaemonLine(r.out, pid);
  ASSERT_FALSE(line.empty()) << r.out;
  EXPECT_NE(line.find(" mode=loop state=running "), std::string::npos) << line;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(line, m, std::regex(" seen_s_ago=([0-9]+) "))) << line;
  EXPECT_LT(std::stoi(m[1]), 60) << "running means seen within the minute";
  EXPECT_NE(r.out.find("queue: pending="), std::string::npos) << "the queue line stays";
  EXPECT_NE(r.out.find("\nliveness: ok\n"), std::string::npos) << r.out;
}

TEST(HealthTest, StalledQueueWithNoDaemonSeenWarnsAndExitsThree) {
  pid_t pid = StackDaemonPid();
  ASSERT_GT(pid, 0);
  PoisonRow row("a11e");  // never applies, so it stays pending throughout
  long long id = row.id();
  Db() << "UPDATE change_queue SET created_at = NOW(3) - INTERVAL 2 MINUTE WHERE id = :id",
      soci::use(id);
  {
    StackDaemonPaused paused;
    ASSERT_TRUE(paused.ok());
    // Every daemon last seen two minutes ago; again on each poll, since a
    // heartbeat the paused daemon sent just before SIGSTOP may land late.
    CmdResult r;
    EXPECT_TRUE(WaitUntil(
        [&] {
          Db() << "UPDATE daemon_heartbeats SET last_seen_at = NOW(3) - INTERVAL 2 MINUTE "
                  "WHERE last_seen_at > NOW(3) - INTERVAL 2 MINUTE";
          r = Ctl({"status"});
          return r.exit_code != 0;
        },
        kPatience));
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.out.find("\nliveness: stalled\n"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("WARNING: the oldest pending change has waited"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("no scim-syncd has been seen for 60 s"), std::string::npos) << r.err;
    EXPECT_NE(DaemonLine(r.out, pid).find(" state=silent "), std::string::npos) << r.out;
    // A wider window (for queues drained by a --once cron job) tolerates it.
    EXPECT_EQ(Ctl({"status", "--stall-after", "300"}).exit_code, 0);
    EXPECT_EQ(Ctl({"status", "--stall-after", "soon"}).exit_code, 2);
  }
  // Resumed, the daemon's next heartbeat ends the warning, though the old
  // row is still pending.
  CmdResult after;
  EXPECT_TRUE(WaitUntil(
      [&] {
        after = Ctl({"status"});
        return after.exit_code == 0 &&
               DaemonLine(after.out, pid).find(" state=running ") != std::string::npos;
      },
      kPatience))
      << after.out << after.err;
  std::string status;
  Db() << "SELECT status FROM change_queue WHERE id = :id", soci::into(status), soci::use(id);
  EXPECT_EQ(status, "pending");
}

TEST(HealthTest, CleanSigtermMarksTheDaemonStopped) {
  // A scim-syncd of this test, killed if the test ends before it stopped.
  Child daemon(TestEnv().bin_dir + "/scim-syncd", {"--config", TestEnv().config_path});
  ASSERT_GT(daemon.pid(), 0);
  ASSERT_TRUE(
      WaitUntil([&] { return HeartbeatRows(daemon.pid(), "stopped_at IS NULL") == 1; }, kPatience));
  CmdResult running = Ctl({"status"});
  EXPECT_NE(DaemonLine(running.out, daemon.pid()).find(" mode=loop state=running "),
            std::string::npos)
      << running.out;
  pid_t pid = daemon.pid();
  ASSERT_TRUE(daemon.Signal(SIGTERM));
  int status = daemon.Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(HeartbeatRows(pid, "stopped_at IS NOT NULL"), 1);
  CmdResult stopped = Ctl({"status"});
  EXPECT_NE(DaemonLine(stopped.out, pid).find(" mode=loop state=stopped "), std::string::npos)
      << stopped.out;
}

TEST(HealthTest, OnceRunLeavesOneStoppedRow) {
  std::string before;
  Db() << "SELECT DATE_FORMAT(NOW(3), '%Y-%m-%d %H:%i:%s.%f')", soci::into(before);
  CmdResult r =
      RunProgram(TestEnv().bin_dir + "/scim-syncd", {"--config", TestEnv().config_path, "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  long long n = 0;
  Db() << "SELECT COUNT(*) FROM daemon_heartbeats WHERE mode = 'once' AND started_at >= :t "
          "AND stopped_at IS NOT NULL",
      soci::into(n), soci::use(before);
  EXPECT_EQ(n, 1);
}

// SET GLOBAL innodb_flush_log_at_trx_commit as root through the stack's
// socket (the application account may not), restored when the guard goes.
class FlushLogSetting {
 public:
  explicit FlushLogSetting(int value) {
    soci::session& db = Db();
    db << "SELECT @@GLOBAL.innodb_flush_log_at_trx_commit", soci::into(saved_);
    ok_ = Root("SET GLOBAL innodb_flush_log_at_trx_commit = " + std::to_string(value));
  }
  ~FlushLogSetting() {
    Root("SET GLOBAL innodb_flush_log_at_trx_commit = " + std::to_string(saved_));
  }
  bool ok() const { return ok_; }

 private:
  static bool Root(const std::string& statement) {
    CmdResult r =
        RunProgram("/usr/bin/mariadb",
                   {"--no-defaults", "--socket=" + TestEnv().state_dir + "/run/mysqld.sock",
                    "-uroot", "-e", statement});
    return r.exit_code == 0;
  }
  int saved_ = 2;
  bool ok_ = false;
};

int CountOf(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(HealthTest, DoctorCallsTheStacksFlushSettingUnsafe) {
  // scripts/stack.sh runs MariaDB with innodb_flush_log_at_trx_commit=2 for speed.
  CmdResult r = Ctl({"doctor"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("UNSAFE innodb_flush_log_at_trx_commit: 2, so a machine crash"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(CountOf(r.out, "UNSAFE"), 1) << r.out;
  EXPECT_NE(r.out.find("ok     server: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ok     character set: utf8mb4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("doctor: 1 unsafe"), std::string::npos) << r.out;
}

TEST(HealthTest, DoctorIsContentWithFlushLogAtOne) {
  FlushLogSetting durable(1);
  ASSERT_TRUE(durable.ok());
  CmdResult r = Ctl({"doctor"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("ok     innodb_flush_log_at_trx_commit: 1"), std::string::npos) << r.out;
  EXPECT_EQ(CountOf(r.out, "UNSAFE"), 0) << r.out;
}

TEST(HealthTest, DoctorNamesAMigrationNotApplied) {
  // A copy of the stack's config whose migrations_dir has one file more.
  std::string dir = TestEnv().state_dir + "/" + Unique("migrations");
  std::filesystem::create_directories(dir);
  for (const auto& f : std::filesystem::directory_iterator(TestEnv().config.migrations_dir)) {
    std::filesystem::copy_file(f.path(), dir + "/" + f.path().filename().string());
  }
  std::ofstream(dir + "/999_future.sql") << "CREATE TABLE future_thing (id INT PRIMARY KEY);\n";
  std::string config = dir + "/scimsync.conf";
  {
    std::ifstream in(TestEnv().config_path);
    std::ofstream out(config);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("migrations_dir", 0) != 0) out << line << "\n";
    }
    out << "migrations_dir = " << dir << "\n";
  }
  CmdResult r = Ctl({"doctor"}, config);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("UNSAFE migrations: not applied: 999_future.sql"), std::string::npos)
      << r.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace scim::it
