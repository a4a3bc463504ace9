// The database going away under the running stack, and coming back: SCIM
// answers 503 with Retry-After at once, from the workers (not nginx's
// fallback page), workers (even ones restarted meanwhile) and the daemon
// reconnect, and nothing accepted is lost. The test leaves the stack as it
// found it, so it may run in any order.
#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <vector>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

// Whether the test's own session can query (after a restart it reconnects).
bool DatabaseAnswers() {
  try {
    int one = 0;
    Db() << "SELECT 1", soci::into(one);
    return one == 1;
  } catch (const std::exception&) {
    ResetDb();  // the session died with the old server
    return false;
  }
}

// The stack's MariaDB stopped for the guard's lifetime. The destructor
// starts it again, also after a failed assertion, and waits until the
// workers and the test's own session reach it again.
class DatabaseDown {
 public:
  DatabaseDown() { stopped_ = Stack("db-stop").exit_code == 0; }
  ~DatabaseDown() { Restart(); }
  bool ok() const { return stopped_; }

  // Starts it again; true once the workers and this test reach it.
  bool Restart() {
    if (!stopped_) return true;
    CmdResult up = Stack("db-start");
    EXPECT_EQ(up.exit_code, 0) << up.err;
    stopped_ = false;
    return WaitUntil([] {
      return DatabaseAnswers() &&
             Http("GET", "/scim/v2/Users?count=1", "", Auth(SharedToken())).status == 200;
    });
  }

 private:
  bool stopped_ = false;
};

long long DirectoryCount(const std::string& scim_id) {
  long long n = 0;
  std::string id = scim_id;
  try {
    Db() << DirUserSql("COUNT(*)"), soci::into(n), soci::use(id);
  } catch (const std::exception&) {
    ResetDb();
    return -1;
  }
  return n;
}

TEST(OutageTest, DatabaseDownIs503FromTheWorkersAndEverythingRecovers) {
  std::string before =
      IdOf(Http("POST", "/scim/v2/Users", UserBody(Unique("before-outage")), Auth(SharedToken())));
  {
    DatabaseDown down;
    ASSERT_TRUE(down.ok());
    struct Request {
      std::string method, path, body;
    };
    for (const Request& q :
         std::vector<Request>{{"POST", "/scim/v2/Users", UserBody(Unique("during"))},
                              {"GET", "/scim/v2/Users?count=1", ""},
                              {"GET", "/scim/v2/Users/" + before, ""}}) {
      SCOPED_TRACE(q.method + " " + q.path);
      Response r = Http(q.method, q.path, q.body, Auth(SharedToken()));
      EXPECT_EQ(r.status, 503) << r.body;
      EXPECT_EQ(r.headers["retry-after"], "5");
      EXPECT_EQ(r.headers["content-type"], "application/scim+json");
      // The worker's answer. nginx's fallback page (deploy/nginx, for a
      // worker that is gone or hangs) says "the SCIM service is unavailable".
      Json j = r.json();
      const Json* detail = j.is_object() ? j.Find("detail") : nullptr;
      EXPECT_EQ(detail ? detail->as_string() : r.body, "the database is unavailable; retry later");
    }
    // The health check says so too, from the worker: nothing more.
    Response health = Http("GET", "/healthz");
    EXPECT_EQ(health.status, 503);
    EXPECT_EQ(health.body, R"({"status":"unavailable"})");
    EXPECT_EQ(health.headers["retry-after"], "5");
    // Workers restarted while the database is down still start: their
    // start-up check of the directory mapping is about a wrong mapping, not
    // availability, so it is skipped (and logged).
    ASSERT_EQ(Stack("fcgi-stop").exit_code, 0);
    CmdResult restarted = Stack("fcgi-start");
    ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
    std::string text = ReadFile(TestEnv().state_dir + "/log/fcgi.log");
    EXPECT_NE(text.find("event=directory_check_skipped"), std::string::npos);
    ASSERT_TRUE(down.Restart()) << "the workers did not reach the database again";
  }
  std::string after =
      IdOf(Http("POST", "/scim/v2/Users", UserBody(Unique("after-outage")), Auth(SharedToken())));
  EXPECT_EQ(Http("GET", "/scim/v2/Users/" + before, "", Auth(SharedToken())).status, 200);
  EXPECT_EQ(Http("GET", "/healthz").status, 200);
  // The daemon survived the outage and applies again.
  EXPECT_TRUE(WaitUntil([&] { return DirectoryCount(after) == 1; }));
  EXPECT_EQ(DirectoryCount(before), 1);
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
