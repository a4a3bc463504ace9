#include "common/config/config.h"

#include <gtest/gtest.h>

#include "tests/scim_matchers.h"

namespace scim::config {
namespace {

TEST(ConfigTest, DefaultsWhenEmpty) {
  auto c = ParseConfig("# nothing\n\n");
  ASSERT_SCIM_OK(c);
  EXPECT_EQ(c.value().db.port, 3306);
  EXPECT_EQ(c.value().fcgi.processes, 2);
  EXPECT_EQ(c.value().fcgi.threads, 24);
  EXPECT_EQ(c.value().fcgi.max_body_bytes, 1048576u);
  ASSERT_EQ(c.value().fcgi.base_paths.size(), 2u);
  EXPECT_EQ(c.value().fcgi.base_paths[1], "/api/scim/v2");
  EXPECT_EQ(c.value().daemon.max_attempts, 10);
}

TEST(ConfigTest, ParsesEveryKindOfValue) {
  auto c = ParseConfig(
      "db.socket = /run/my.sock\n"
      "db.password =  s3cret word \r\n"
      "fcgi.socket_mode = 0666\n"
      "fcgi.threads=16\n"
      "fcgi.base_paths = /a/ , /b\n"
      "daemon.poll_max_ms = 500\n"
      "fcgi.trusted_proxies = 10.0.0.0/8, ::1\n"
      "fcgi.health_path = /lb/health\n"
      "fcgi.admin_path = /console/\n");
  ASSERT_SCIM_OK(c);
  ASSERT_EQ(c.value().fcgi.trusted_proxies.size(), 2u);
  EXPECT_EQ(c.value().fcgi.trusted_proxies[1].text, "::1");
  EXPECT_EQ(c.value().fcgi.health_path, "/lb/health");
  EXPECT_EQ(c.value().fcgi.admin_path, "/console/");
  EXPECT_EQ(c.value().db.socket, "/run/my.sock");
  EXPECT_EQ(c.value().db.password, "s3cret word");
  EXPECT_EQ(c.value().fcgi.socket_mode, 0666);
  EXPECT_EQ(c.value().fcgi.threads, 16);
  EXPECT_EQ(c.value().fcgi.base_paths, (std::vector<std::string>{"/a", "/b"}));
  EXPECT_EQ(c.value().daemon.poll_max_ms, 500);
}

TEST(ConfigTest, RejectsMistakesWithTheLineNumber) {
  const char* cases[] = {
      "db.prot = 3306",
      "fcgi.threads = many",
      "fcgi.threads = 0",
      "just a line",
      "fcgi.base_paths = x",
      "fcgi.trusted_proxies = 10.0.0.0/99",
      "fcgi.health_path = healthz",
      "fcgi.admin_path = /console",
      "db.password = it's",
      "daemon.poll_min_ms = 500\ndaemon.poll_max_ms = 100",
  };
  for (const char* text : cases) {
    SCOPED_TRACE(text);
    EXPECT_SCIM_ERROR(ParseConfig(text), 400, ScimType::kInvalidValue);
  }
  auto r = ParseConfig("\n\nbogus = 1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("line 3"), std::string::npos) << r.error().detail;
}

TEST(ConfigTest, TakesConfigOptionFromArgs) {
  std::vector<std::string> args = {"a", "--config", "/x.conf", "b"};
  std::string path;
  ASSERT_TRUE(TakeConfigOption(&args, &path));
  EXPECT_EQ(path, "/x.conf");
  EXPECT_EQ(args, (std::vector<std::string>{"a", "b"}));
  args = {"--config=/y.conf"};
  ASSERT_TRUE(TakeConfigOption(&args, &path));
  EXPECT_EQ(path, "/y.conf");
  EXPECT_TRUE(args.empty());
  args = {"--config"};
  EXPECT_FALSE(TakeConfigOption(&args, &path));
}

TEST(ConfigTest, CommandLinePathWinsOverEnvironment) {
  ::setenv("SCIMSYNC_CONFIG", "/from/env.conf", 1);
  EXPECT_EQ(FindConfigFile("/from/cli.conf").value(), "/from/cli.conf");
  EXPECT_EQ(FindConfigFile("").value(), "/from/env.conf");
  ::unsetenv("SCIMSYNC_CONFIG");
}

}  // namespace
}  // namespace scim::config
