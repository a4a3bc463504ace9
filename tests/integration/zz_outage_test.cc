// The database going away under the running stack, and coming back: SCIM
// answers 503 with Retry-After at once (no hang), workers (even ones
// restarted meanwhile) and the daemon reconnect, and nothing accepted is
// lost. Linked last: it disturbs the
// database every other test uses.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

TEST(OutageTest, DatabaseDownIs503QuicklyAndEverythingRecovers) {
  std::string before = Unique("before-outage");
  Response ok = Http("POST", "/scim/v2/Users", UserBody(before), Auth(SharedToken()));
  ASSERT_EQ(ok.status, 201);
  ASSERT_EQ(Stack("db-stop").exit_code, 0);

  auto start = std::chrono::steady_clock::now();
  Response down = Http("POST", "/scim/v2/Users", UserBody(Unique("during")), Auth(SharedToken()));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(down.headers["retry-after"], "5");
  EXPECT_EQ(down.headers["content-type"], "application/scim+json");
  EXPECT_LT(took, std::chrono::seconds(3)) << "answered quickly, not after a hang";
  Response list = Http("GET", "/scim/v2/Users?count=1", "", Auth(SharedToken()));
  EXPECT_EQ(list.status, 503);
  // Workers restarted while the database is down still start: their
  // start-up check of the directory mapping is about a wrong mapping, not
  // availability, so it is skipped (and logged).
  ASSERT_EQ(Stack("fcgi-stop").exit_code, 0);
  CmdResult restarted = Stack("fcgi-start");
  ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
  std::ifstream log(TestEnv().state_dir + "/log/fcgi.log");
  std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("event=directory_check_skipped"), std::string::npos);

  CmdResult up = Stack("db-start");
  ASSERT_EQ(up.exit_code, 0) << up.err;
  // Workers reconnect on their next request.
  EXPECT_TRUE(WaitUntil(
      [&] { return Http("GET", "/scim/v2/Users?count=1", "", Auth(SharedToken())).status == 200; },
      std::chrono::seconds(10)));
  std::string after = Unique("after-outage");
  Response created = Http("POST", "/scim/v2/Users", UserBody(after), Auth(SharedToken()));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.json().Find("id")->as_string();
  // The daemon survived the outage and applies again.
  EXPECT_TRUE(WaitUntil(
      [&] {
        long long n = 0;
        std::string key = id;
        try {
          Db() << "SELECT COUNT(*) FROM directory_users WHERE scim_id = :id", soci::into(n),
              soci::use(key);
        } catch (const std::exception&) {
          ResetDb();  // the test's own session died with the old server
          return false;
        }
        return n == 1;
      },
      std::chrono::seconds(15)));
}

TEST(OutageTest, OverlongUriIs414WithScimBody) {
  Response r =
      Http("GET", "/scim/v2/Users?filter=" + std::string(9000, 'a'), "", Auth(SharedToken()));
  EXPECT_EQ(r.status, 414);
  EXPECT_EQ(r.headers["content-type"], "application/scim+json");
  EXPECT_EQ(r.json().Find("status")->as_string(), "414");
}

}  // namespace
}  // namespace scim::it
