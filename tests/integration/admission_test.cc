// Issue 13 through nginx: failed authentications never lock out a valid
// token, the trusted-proxy list decides which address is counted, and
// /healthz answers without a token. The test stack trusts 127.0.0.1 (the
// test client plays a load balancer), so X-Forwarded-For names the client;
// the spawn-fcgi pool trusts no proxy.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

constexpr int kMaxFailures = 10;  // cgi::Limits::kMaxFailures
constexpr int kProcesses = 2;     // fcgi.processes of the test stack: each counts its own

// A client address of its own per call (198.18.0.0/15 is for tests).
std::string NewClient() {
  static std::atomic<int> n{0};
  int i = ++n + (::getpid() % 200) * 256;
  return "198.18." + std::to_string((i / 250) % 250) + "." + std::to_string(i % 250 + 1);
}

std::map<std::string, std::string> As(const std::string& client, const std::string& token,
                                      const std::string& host = "") {
  auto h = Auth(token);
  h["X-Forwarded-For"] = client;
  if (!host.empty()) h["Host"] = host;
  return h;
}

// Sends bad-token requests until one is refused with 429 (bounded: each
// worker process blocks the address after kMaxFailures of its own).
// Returns how many were answered 401 before it; -1 if none was 429.
int FailUntilBlocked(const std::string& path, const std::map<std::string, std::string>& bad,
                     Response* blocked) {
  for (int i = 0; i < kProcesses * kMaxFailures + 1; ++i) {
    Response r = Http("GET", path, "", bad);
    if (r.status == 429) {
      *blocked = r;
      return i;
    }
    EXPECT_EQ(r.status, 401) << r.body;
  }
  return -1;
}

void ExpectScim429(const Response& r) {
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.headers.count("retry-after") == 0) << "Retry-After";
  EXPECT_EQ(r.json().Find("status")->as_string(), "429");
  EXPECT_EQ(r.json().Find("schemas")->as_array()[0].as_string(),
            "urn:ietf:params:scim:api:messages:2.0:Error");
}

TEST(AdmissionTest, TwentyBadTokensThenAGoodOneIsServed) {
  std::string client = NewClient();
  std::string bad_token = "scimsync_" + Unique("not-a-token");
  for (int i = 0; i < 20; ++i) Http("GET", "/scim/v2/Users?count=1", "", As(client, bad_token));
  for (int i = 0; i < 2 * kProcesses; ++i) {
    Response good = Http("GET", "/scim/v2/Users?count=1", "", As(client, SharedToken()));
    EXPECT_EQ(good.status, 200) << good.body;
  }
  Response blocked;
  int before = FailUntilBlocked("/scim/v2/Users?count=1", As(client, bad_token), &blocked);
  ASSERT_GE(before, 0) << "bad tokens from a blocked address are refused with 429";
  ExpectScim429(blocked);
  EXPECT_EQ(blocked.json().Find("detail")->as_string(),
            "too many failed authentications from this address");
  // Each failure is logged with the client's address, never with the token.
  std::string log = ReadFile(TestEnv().state_dir + "/log/fcgi.log");
  EXPECT_EQ(log.find(bad_token), std::string::npos);
  EXPECT_NE(log.find("client=" + client + " auth_failed="), std::string::npos);
}

TEST(AdmissionTest, TheLimitCountsFailuresOnlyAndFromTheirOwnAddress) {
  std::string client = NewClient();
  // Valid requests never count: many of them, then still a full allowance.
  for (int i = 0; i < 2 * kMaxFailures; ++i) {
    ASSERT_EQ(Http("GET", "/scim/v2/Users?count=1", "", As(client, SharedToken())).status, 200);
  }
  Response blocked;
  int before = FailUntilBlocked("/scim/v2/Users?count=1", As(client, "wrong"), &blocked);
  ASSERT_GE(before, kMaxFailures) << "blocked before " << kMaxFailures << " failures";
  ExpectScim429(blocked);
  // Another client behind the same proxy is not affected.
  EXPECT_EQ(Http("GET", "/scim/v2/Users?count=1", "", As(NewClient(), "wrong")).status, 401);
  // The proxy's own address (no X-Forwarded-For) is another client too.
  EXPECT_EQ(Http("GET", "/scim/v2/Users?count=1", "", Auth("wrong")).status, 401);
}

TEST(AdmissionTest, AnUntrustedPeersForwardedForIsIgnored) {
  // The spawn-fcgi pool trusts no proxy: requests that each claim another
  // client all count against 127.0.0.1, and are blocked together.
  std::map<std::string, std::string> bad = Auth("wrong");
  bad["Host"] = "spawned.localhost";
  Response blocked;
  int before = -1;
  for (int i = 0; i < kProcesses * kMaxFailures + 1 && before < 0; ++i) {
    bad["X-Forwarded-For"] = NewClient();
    Response r = Http("GET", "/spawned/scim/v2/Users?count=1", "", bad);
    if (r.status == 429) {
      blocked = r;
      before = i;
    }
  }
  ASSERT_GE(before, kMaxFailures) << "one address, however many forwarded clients it claims";
  ExpectScim429(blocked);
  auto good = Auth(SharedToken());
  good["Host"] = "spawned.localhost";
  for (int i = 0; i < 2 * kProcesses; ++i) {
    EXPECT_EQ(Http("GET", "/spawned/scim/v2/Users?count=1", "", good).status, 200);
  }
}

TEST(AdmissionTest, HealthzNeedsNoTokenAndRevealsNothing) {
  Response r = Http("GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  EXPECT_EQ(r.headers["cache-control"], "no-store");
  EXPECT_EQ(r.body, R"({"status":"ok"})");
  // Not a SCIM endpoint: under the SCIM base it needs a token like any path.
  EXPECT_EQ(Http("GET", "/scim/v2/healthz").status, 401);
  EXPECT_EQ(Http("POST", "/healthz", "{}").status, 405);
}

}  // namespace
}  // namespace scim::it
