// `scimctl directory check` against the live schema of the test server:
// the embedded default on the stack's own tables, the sample application
// of tests/data/app_schema.sql in a schema of its own, broken variants of
// its mapping (each named exactly), and workers and the daemon refusing to
// start on a mapping that fails the check.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

std::string Repo() { return TestEnv().bin_dir + "/../.."; }

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Runs SQL as root through the stack's socket (the application account
// may not create schemas or grant).
CmdResult Root(const std::string& sql) {
  return RunProgram(
      "/usr/bin/mariadb",
      {"--no-defaults", "--socket=" + TestEnv().state_dir + "/run/mysqld.sock", "-uroot"}, {}, sql);
}

std::string Account() { return "'" + TestEnv().config.db.user + "'@'localhost'"; }

// The sample application in a schema of its own, the scimsync account
// granted `privileges` there (none when empty); dropped when it goes.
class SampleApp {
 public:
  explicit SampleApp(const std::string& privileges) {
    static std::atomic<int> n{0};
    schema_ = "app_" + std::to_string(::getpid()) + "_" + std::to_string(++n);
    std::string sql =
        ReplaceAll(ReadFile(Repo() + "/tests/data/app_schema.sql"), "@SCHEMA@", schema_);
    if (!privileges.empty())
      sql += "GRANT " + privileges + " ON " + schema_ + ".* TO " + Account() + ";\n";
    CmdResult r = Root(sql);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    granted_ = !privileges.empty();
  }
  ~SampleApp() {
    std::string sql = "DROP DATABASE IF EXISTS " + schema_ + ";\n";
    if (granted_) sql += "REVOKE ALL PRIVILEGES ON " + schema_ + ".* FROM " + Account() + ";\n";
    Root(sql);
    for (const auto& f : files_) ::unlink(f.c_str());
  }
  const std::string& schema() const { return schema_; }

  // The stack's config with the sample mapping and extra lines (later
  // keys win) appended, in a file of its own.
  std::string Config(const std::string& extra = "") const {
    std::string path = TestEnv().state_dir + "/" + schema_ + "-" + Unique("map") + ".conf";
    files_.push_back(path);
    std::ofstream out(path);
    out << ReadFile(TestEnv().config_path) << "\n"
        << ReplaceAll(ReadFile(Repo() + "/tests/data/app_mapping.conf"), "@SCHEMA@", schema_)
        << ReplaceAll(extra, "@SCHEMA@", schema_);
    return path;
  }

 private:
  std::string schema_;
  bool granted_ = false;
  mutable std::vector<std::string> files_;  // the configs written, removed with it
};

constexpr const char* kAllRights = "SELECT, INSERT, UPDATE, DELETE";

CmdResult Check(const std::string& config_path) {
  return RunProgram(TestEnv().bin_dir + "/scimctl",
                    {"--config", config_path, "directory", "check"});
}

TEST(DirectoryCheckTest, TheEmbeddedDefaultFitsTheStacksOwnTables) {
  CmdResult r = Check(TestEnv().config_path);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("directory check: 0 error(s), 0 warning(s) (table "
                       "scimsync.directory_users"),
            std::string::npos)
      << r.out;
}

TEST(DirectoryCheckTest, TheSampleApplicationFits) {
  SampleApp app(kAllRights);
  CmdResult r = Check(app.Config());
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // Not one problem line: the summary comes first.
  EXPECT_EQ(r.out.rfind("directory check: 0 error(s), 0 warning(s) (table " + app.schema() +
                            ".members, config ",
                        0),
            0u)
      << r.out;
}

TEST(DirectoryCheckTest, EachBrokenMappingIsNamedExactly) {
  SampleApp app(kAllRights);
  struct {
    const char* extra;
    const char* line;
  } cases[] = {
      {"directory.column.given_name = firstname\n",
       "error    directory.column.given_name: no column firstname in @SCHEMA@.members\n"},
      {"directory.active_values = active, disabled\n",
       "error    directory.active_values: 'disabled' is not allowed by @SCHEMA@.members.status "
       "enum('active','suspended')\n"},
      {"directory.column.active = is_staff\ndirectory.active_values = Y, N\n",
       "error    directory.active_values: 'Y' cannot be stored in @SCHEMA@.members.is_staff "
       "tinyint(1) (a whole number from -128 to 127)\n"},
      {"directory.table = @SCHEMA@.nosuch\n",
       "error    directory.table: table @SCHEMA@.nosuch not found, or the account "
       "scimsync@localhost has no privilege on it (server: Table '@SCHEMA@.nosuch' doesn't "
       "exist)\n"},
      {"directory.key = mail\ndirectory.column.email =\n",
       "error    directory.key: @SCHEMA@.members.mail is not a PRIMARY or UNIQUE key (on that "
       "column alone)\n"},
      {"directory.role_values = Registered=user, Moderator=Mod, Admin=admin\n",
       "error    directory.role_values: 'Mod' is spelled 'mod' in @SCHEMA@.members.rank "
       "enum('user','mod','admin'): use that spelling\n"},
      {"directory.member_column.user = user_id\n",
       "error    directory.member_column.user: no column user_id in @SCHEMA@.team_members\n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.extra);
    CmdResult r = Check(app.Config(c.extra));
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    std::string line = ReplaceAll(c.line, "@SCHEMA@", app.schema());
    EXPECT_NE(r.out.find(line), std::string::npos) << "want: " << line << "got:\n" << r.out;
  }
}

TEST(DirectoryCheckTest, MissingPrivilegesAreNamed) {
  SampleApp none("");
  CmdResult r = Check(none.Config());
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("error    directory.table: schema " + none.schema() +
                       " not found, or the account scimsync@localhost has no privilege on it "
                       "(server: SELECT command denied to user 'scimsync'@'localhost' for table `" +
                       none.schema() + "`.`members`)\n"),
            std::string::npos)
      << r.out;

  SampleApp read_only("SELECT");
  r = Check(read_only.Config());
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  for (const char* what : {"cannot INSERT into", "cannot UPDATE"}) {
    EXPECT_NE(r.out.find("error    directory.table: the account scimsync@localhost " +
                         std::string(what) + " " + read_only.schema() + ".members: "),
              std::string::npos)
        << what << "\n"
        << r.out;
  }
  EXPECT_NE(r.out.find("warning  directory.table: the account scimsync@localhost cannot DELETE "
                       "from " +
                       read_only.schema() +
                       ".members (needed only with "
                       "delete_behaviour = delete)"),
            std::string::npos)
      << r.out;
}

constexpr const char* kTimeout = "/usr/bin/timeout";

// Workers and the daemon refuse to start on a mapping that fails the
// check (bounded by timeout(1): a worker that did start would serve on).
TEST(DirectoryCheckTest, WorkersAndTheDaemonRefuseABrokenMapping) {
  SampleApp app(kAllRights);
  std::string broken = app.Config("directory.active_values = active, disabled\n");
  std::string socket = TestEnv().state_dir + "/refused-" + app.schema() + ".sock";
  CmdResult worker = RunProgram(
      kTimeout, {"20", TestEnv().bin_dir + "/scim-fcgi", "--config", broken, "--socket", socket});
  EXPECT_EQ(worker.exit_code, 1) << worker.err;
  EXPECT_NE(worker.err.find("key=directory.active_values detail=\"'disabled' is not allowed"),
            std::string::npos)
      << worker.err;
  EXPECT_NE(worker.err.find("event=refuse_start"), std::string::npos) << worker.err;
  EXPECT_NE(::access(socket.c_str(), F_OK), 0) << "it never listened";
  ::unlink(socket.c_str());

  CmdResult cgi = RunProgram(TestEnv().bin_dir + "/scim-fcgi", {},
                             {{"GATEWAY_INTERFACE", "CGI/1.1"},
                              {"REQUEST_METHOD", "GET"},
                              {"REQUEST_URI", "/scim/v2/Users"},
                              {"SCIMSYNC_CONFIG", broken}});
  EXPECT_EQ(cgi.exit_code, 1) << cgi.err;
  EXPECT_EQ(cgi.out.rfind("Status: 500 Internal Server Error\r\n", 0), 0u) << cgi.out;
  EXPECT_NE(cgi.out.find("the directory mapping fails its check"), std::string::npos);

  for (std::vector<std::string> args : {std::vector<std::string>{"--once"}, {"reconcile"}}) {
    args.insert(args.begin(), {"20", TestEnv().bin_dir + "/scim-syncd", "--config", broken});
    CmdResult daemon = RunProgram(kTimeout, args);
    EXPECT_EQ(daemon.exit_code, 1) << daemon.err;
    EXPECT_NE(daemon.err.find("component=syncd"), std::string::npos) << daemon.err;
    EXPECT_NE(daemon.err.find("event=refuse_start"), std::string::npos) << daemon.err;
  }
}

}  // namespace
}  // namespace scim::it
