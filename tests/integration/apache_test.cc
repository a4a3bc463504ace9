// Apache only (deploy/apache/scimsync.conf as `scripts/stack.sh up` renders
// it): its own errors as SCIM bodies, ids with an encoded slash, and the
// plain-CGI alternative on cgi.localhost. scripts/test.sh runs this suite in
// the second run, with SCIMSYNC_TEST_PORT on Apache.
#include <gtest/gtest.h>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

void ExpectScimError(Response r, int status) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.headers["content-type"], "application/scim+json");
  EXPECT_EQ(r.json().Find("status")->as_string(), std::to_string(status));
}

TEST(ApacheTest, ItsOwnErrorsAreScimErrors) {
  ExpectScimError(Http("GET", "/not-scim"), 404);
  ExpectScimError(Http("GET", "/scim/v2/Users/a%zzb", "", Auth(SharedToken())), 400);
  ExpectScimError(Http("TRACE", "/scim/v2/Users"), 405);
  // Over LimitRequestLine (16 KiB; the workers refuse 8 KiB to 16 KiB).
  ExpectScimError(
      Http("GET", "/scim/v2/Users?filter=" + std::string(20000, 'a'), "", Auth(SharedToken())),
      414);
}

// Apache answers 404 itself for %2F unless AllowEncodedSlashes NoDecode.
TEST(ApacheTest, AnIdWithAnEncodedSlashReachesTheWorkers) {
  Response apache_own = Http("GET", "/not-scim");
  Response r = Http("GET", "/scim/v2/Users/a%2Fb", "", Auth(SharedToken()));
  ExpectScimError(r, 404);
  EXPECT_NE(r.body, apache_own.body) << "the workers answered, not Apache";
}

// One scim-fcgi process per request, same database: what CGI creates the
// FastCGI workers serve. The chunked body reaches CGI without CONTENT_LENGTH.
TEST(ApacheTest, PlainCgiServesTheSameDirectory) {
  auto cgi = Auth(SharedToken());
  cgi["Host"] = "cgi.localhost";
  cgi["Transfer-Encoding"] = "chunked";
  std::string name = Unique("cgi");
  std::string title(20 << 10, 'c');
  Response r = Http("POST", "/scim/v2/Users", UserBody(name, R"(,"title":")" + title + "\""), cgi);
  ASSERT_EQ(r.status, 201) << r.body.substr(0, 300);
  std::string id = r.json().Find("id")->as_string();
  EXPECT_EQ(r.headers["location"], "http://cgi.localhost/scim/v2/Users/" + id);

  Response got = Http("GET", "/scim/v2/Users/" + id, "", Auth(SharedToken()));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json().Find("userName")->as_string(), name);
  EXPECT_EQ(got.json().Find("title")->as_string(), title);

  EXPECT_EQ(Http("GET", "/scim/v2/Users/" + id, "", {{"Host", "cgi.localhost"}}).status, 401);
  // Over LimitRequestBody, which Apache applies to CGI itself.
  cgi.erase("Transfer-Encoding");
  ExpectScimError(
      Http("POST", "/scim/v2/Users",
           UserBody(Unique("cgi-big"), R"(,"title":")" + std::string(2 << 20, 'x') + "\""), cgi),
      413);
}

}  // namespace
}  // namespace scim::it
