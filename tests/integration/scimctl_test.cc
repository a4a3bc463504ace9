// scimctl and the command-line contract of all three binaries.
#include <gtest/gtest.h>

#include <regex>

#include "common/auth/token.h"
#include "tests/integration/env.h"

namespace scim::it {
namespace {

std::string Bin(const std::string& name) { return TestEnv().bin_dir + "/" + name; }

TEST(ScimctlTest, TokenCreatePrintsOnlyTheTokenAndStoresOnlyItsHash) {
  std::string name = Unique("tok");
  CmdResult r = RunProgram(Bin("scimctl"),
                           {"--config", TestEnv().config_path, "token", "create", "--name", name});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(std::regex_match(r.out, std::regex("scimsync_[A-Za-z0-9_-]{43}\n"))) << r.out;
  std::string token = r.out.substr(0, r.out.size() - 1);

  std::string stored, n = name;
  Db() << "SELECT token_hash FROM api_tokens WHERE name = :n", soci::into(stored), soci::use(n);
  EXPECT_EQ(stored, auth::HashToken(token));
  long long leaks = -1;
  Db() << "SELECT COUNT(*) FROM api_tokens WHERE token_hash = :t OR name = :t2", soci::into(leaks),
      soci::use(token), soci::use(token);
  EXPECT_EQ(leaks, 0);

  Response ok = Http("GET", "/scim/v2/Users?count=1", "", Auth(token));
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST(ScimctlTest, TokenCreateWithoutNameIsAUsageError) {
  CmdResult r = RunProgram(Bin("scimctl"), {"--config", TestEnv().config_path, "token", "create"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
}

TEST(ScimctlTest, MigrateIsIdempotent) {
  CmdResult r = RunProgram(Bin("scimctl"), {"--config", TestEnv().config_path, "migrate"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("0 applied now"), std::string::npos) << r.err;
  long long n = 0;
  Db() << "SELECT COUNT(*) FROM schema_migrations WHERE version = 1", soci::into(n);
  EXPECT_EQ(n, 1);
}

TEST(ScimctlTest, ConfigComesFromTheEnvironmentWhenNotGiven) {
  CmdResult r =
      RunProgram(Bin("scimctl"), {"status"}, {{"SCIMSYNC_CONFIG", TestEnv().config_path}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("queue: pending="), std::string::npos) << r.out;
  r = RunProgram(Bin("scimctl"), {"--config", "/nonexistent/scimsync.conf", "status"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/scimsync.conf"), std::string::npos) << r.err;
}

TEST(ScimctlTest, EveryBinaryPrintsUsageOnHelp) {
  for (const char* bin : {"scim-fcgi", "scim-syncd", "scimctl"}) {
    SCOPED_TRACE(bin);
    CmdResult r = RunProgram(Bin(bin), {"--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.rfind("usage: ", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("--config"), std::string::npos);
  }
}

}  // namespace
}  // namespace scim::it
