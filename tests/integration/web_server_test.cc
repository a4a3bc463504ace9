// What a web server in front of the workers must get right, checked through
// each one `make test` runs (nginx, then Apache): chunked bodies, the body
// limit, the workers being down and back (SCIM and /healthz), and the /api
// prefix in the URLs handed out. /healthz itself: AdmissionTest.
#include <gtest/gtest.h>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

std::map<std::string, std::string> ChunkedAuth() {
  auto h = Auth(SharedToken());
  h["Transfer-Encoding"] = "chunked";
  return h;
}

// Apache's mod_proxy_fcgi hands chunked bodies from some 16 KiB on to the
// workers without CONTENT_LENGTH (they were "the request body is empty").
TEST(WebServerTest, ChunkedBodiesAreReadUpToTheBodyLimit) {
  std::string title(100 << 10, 't');
  Response r = Http("POST", "/scim/v2/Users",
                    UserBody(Unique("chunked"), R"(,"title":")" + title + "\""), ChunkedAuth());
  ASSERT_EQ(r.status, 201) << r.body.substr(0, 300);
  EXPECT_EQ(r.json().Find("title")->as_string(), title);

  std::string big =
      UserBody(Unique("chunked-big"), R"(,"title":")" + std::string(2 << 20, 'x') + "\"");
  r = Http("POST", "/scim/v2/Users", big, ChunkedAuth());
  EXPECT_EQ(r.status, 413) << r.body.substr(0, 300);
  EXPECT_EQ(r.headers["content-type"], "application/scim+json");
  EXPECT_EQ(r.json().Find("status")->as_string(), "413");
}

// Workers stopped: the web server's own 503 as a SCIM error with
// Retry-After, and /healthz's own "unavailable". Started again: the very
// next request is served (httpd 2.4 builds that disable a backend after a
// refused connect do so for 60 s unless retry=0).
TEST(WebServerTest, WorkersDownIs503AndTheFirstRequestAfterTheirRestartIsServed) {
  ASSERT_EQ(Stack("fcgi-stop").exit_code, 0);
  Response down = Http("GET", "/scim/v2/Users?count=1", "", Auth(SharedToken()));
  Response health = Http("GET", "/healthz");
  CmdResult up = Stack("fcgi-start");
  ASSERT_EQ(up.exit_code, 0) << up.err;
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_EQ(down.headers["content-type"], "application/scim+json");
  EXPECT_EQ(down.headers["retry-after"], "5");
  EXPECT_EQ(down.json().Find("status")->as_string(), "503");
  EXPECT_EQ(health.status, 503);
  EXPECT_EQ(health.headers["content-type"], "application/json");
  EXPECT_EQ(health.headers["cache-control"], "no-store");
  EXPECT_EQ(health.body, R"({"status":"unavailable"})");

  Response again = Http("GET", "/scim/v2/Users?count=1", "", Auth(SharedToken()));
  EXPECT_EQ(again.status, 200) << again.body;
}

// What the web server refuses before any worker sees it (a malformed
// %-escape; a request line over its buffers) is a SCIM error too.
TEST(WebServerTest, TheWebServersOwnRefusalsAreScimErrors) {
  Response bad = Http("GET", "/scim/v2/Users/%zz", "", Auth(SharedToken()));
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.headers["content-type"], "application/scim+json");
  EXPECT_EQ(bad.json().Find("status")->as_string(), "400");
  Response long_uri =
      Http("GET", "/scim/v2/Users?filter=" + std::string(20 << 10, 'a'), "", Auth(SharedToken()));
  EXPECT_EQ(long_uri.status, 414) << long_uri.body.substr(0, 300);
  EXPECT_EQ(long_uri.headers["content-type"], "application/scim+json");
  EXPECT_EQ(long_uri.json().Find("status")->as_string(), "414");
}

// Location, meta.location and every method under the second prefix.
TEST(WebServerTest, TheApiPrefixServesEveryMethodAndLocationsStayUnderIt) {
  std::string base = "http://127.0.0.1:" + std::to_string(TestEnv().port) + "/api/scim/v2";
  std::string name = Unique("api-prefix");
  Response r = Http("POST", "/api/scim/v2/Users", UserBody(name), Auth(SharedToken()));
  ASSERT_EQ(r.status, 201) << r.body;
  std::string url = base + "/Users/" + r.json().Find("id")->as_string();
  EXPECT_EQ(r.headers["location"], url);
  std::string path = url.substr(url.find("/api/"));

  r = Http("PUT", path, UserBody(name, R"(,"title":"A")"), Auth(SharedToken()));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().Find("meta")->Find("location")->as_string(), url);
  r = Http("PATCH", path,
           R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations":[{"op":"replace","path":"title","value":"B"}]})",
           Auth(SharedToken()));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().Find("title")->as_string(), "B");
  EXPECT_EQ(Http("DELETE", path, "", Auth(SharedToken())).status, 204);
  EXPECT_EQ(Http("GET", path, "", Auth(SharedToken())).status, 404);
}

}  // namespace
}  // namespace scim::it
