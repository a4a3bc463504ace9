#include "cgi/router.h"

#include <gtest/gtest.h>

#include "cgi/http.h"
#include "tests/fakes/fakes.h"
#include "tests/scim_matchers.h"

namespace scim::cgi {
namespace {

constexpr const char* kToken = "scimsync_test-token";

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() { tokens_.Add(kToken, "okta"); }

  HttpResponse Send(const std::string& method, const std::string& path,
                    const std::string& body = "", bool auth = true) {
    HttpRequest r;
    r.method = method;
    r.path = path;
    r.base_url = "https://idp.test/scim/v2";
    r.body = body;
    if (auth) r.headers["authorization"] = std::string("Bearer ") + kToken;
    RequestLog log;
    HttpResponse resp = Serve(r, services_, &log);
    last_token_ = log.token_name;
    return resp;
  }

  static Json BodyOf(const HttpResponse& r) { return ParseJson(r.body).value(); }

  static std::string HeaderOf(const HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  testing::FakeServices fakes_;
  testing::FakeTokenStore tokens_;
  sync::Settings settings_;
  SettingsCache cache_{[this] { return Result<sync::Settings>(settings_); }, fakes_.clock, 0};
  Limits limits_;
  Result<void> db_ = {};
  Services services_{fakes_.users, fakes_.groups,         tokens_, cache_, limits_,
                     fakes_.clock, [this] { return db_; }};
  std::string last_token_;
};

const char* kAnn = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann"})";
const char* kPatch =
    R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"x"}]})";

TEST_F(RouterTest, MissingOrWrongTokenIs401WithScimBody) {
  for (bool with_header : {false, true}) {
    HttpRequest r;
    r.method = "GET";
    r.path = "/Users";
    if (with_header) r.headers["authorization"] = "Bearer wrong";
    RequestLog log;
    HttpResponse resp = Serve(r, services_, &log);
    EXPECT_EQ(resp.status, 401);
    EXPECT_EQ(HeaderOf(resp, "Content-Type"), "application/scim+json");
    EXPECT_EQ(HeaderOf(resp, "WWW-Authenticate"), "Bearer realm=\"scimsync\"");
    Json body = BodyOf(resp);
    EXPECT_EQ(body.Find("status")->as_string(), "401");
    EXPECT_EQ(body.Find("schemas")->as_array()[0].as_string(),
              "urn:ietf:params:scim:api:messages:2.0:Error");
  }
  EXPECT_TRUE(fakes_.user_store.records.empty());
}

TEST_F(RouterTest, TurnedOffIs403AndWritesNothing) {
  settings_.enabled = false;
  HttpResponse r = Send("POST", "/Users", kAnn);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(BodyOf(r).Find("status")->as_string(), "403");
  EXPECT_TRUE(fakes_.user_store.records.empty());
  settings_.enabled = true;
  EXPECT_EQ(Send("POST", "/Users", kAnn).status, 201);
}

// GET /Users with a wrong bearer token, from address.
HttpRequest WrongTokenFrom(const std::string& address) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/Users";
  r.remote_addr = address;
  r.headers["authorization"] = "Bearer wrong";
  return r;
}

TEST_F(RouterTest, RepeatedFailedAuthenticationIs429WithRetryAfter) {
  HttpRequest r = WrongTokenFrom("203.0.113.9");
  RequestLog log;
  for (int i = 0; i < Limits::kMaxFailures; ++i) EXPECT_EQ(Serve(r, services_, &log).status, 401);
  EXPECT_EQ(log.auth_failure, "the bearer token is not valid");
  HttpResponse blocked = Serve(r, services_, &log);
  EXPECT_EQ(blocked.status, 429);
  EXPECT_EQ(HeaderOf(blocked, "Retry-After"), "60");
  EXPECT_EQ(BodyOf(blocked).Find("status")->as_string(), "429");
  r.headers.erase("authorization");  // no token at all counts the same
  EXPECT_EQ(Serve(r, services_, &log).status, 429);
  r.headers["authorization"] = "Bearer wrong";
  r.remote_addr = "203.0.113.10";  // another address is not affected
  EXPECT_EQ(Serve(r, services_, &log).status, 401);
  fakes_.clock.now += Limits::kBlockMs + 1;
  r.remote_addr = "203.0.113.9";
  EXPECT_EQ(Serve(r, services_, &log).status, 401) << "the block ends";
}

// Issue 13: one misconfigured client behind the IdP's address (a NAT, a
// proxy) must not take provisioning down.
TEST_F(RouterTest, AValidTokenIsServedFromABlockedAddress) {
  HttpRequest r = WrongTokenFrom("198.51.100.4");
  RequestLog log;
  for (int i = 0; i < 20; ++i) Serve(r, services_, &log);
  EXPECT_EQ(Serve(r, services_, &log).status, 429);
  r.headers["authorization"] = std::string("Bearer ") + kToken;
  RequestLog good;
  EXPECT_EQ(Serve(r, services_, &good).status, 200);
  EXPECT_EQ(good.token_name, "okta");
  EXPECT_EQ(good.auth_failure, "");
  r.headers["authorization"] = "Bearer wrong";
  EXPECT_EQ(Serve(r, services_, &log).status, 429) << "the good request lifts no block";
}

TEST_F(RouterTest, ATokenOverItsRateLimitFromABlockedAddressIsStill429) {
  settings_.rate_limit = 1;
  HttpRequest r = WrongTokenFrom("198.51.100.5");
  RequestLog log;
  for (int i = 0; i < Limits::kMaxFailures; ++i) Serve(r, services_, &log);
  r.headers["authorization"] = std::string("Bearer ") + kToken;
  EXPECT_EQ(Serve(r, services_, &log).status, 200);
  HttpResponse limited = Serve(r, services_, &log);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(BodyOf(limited).Find("detail")->as_string(),
            "this token is over its request rate limit");
}

TEST_F(RouterTest, HealthNeedsNoTokenAndReportsTheDatabase) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/healthz";
  r.health = true;
  settings_.enabled = false;  // SCIM off is not a health problem
  RequestLog log;
  HttpResponse ok = Serve(r, services_, &log);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"status":"ok"})");
  EXPECT_EQ(HeaderOf(ok, "Content-Type"), "application/json");
  EXPECT_EQ(HeaderOf(ok, "Cache-Control"), "no-store");
  db_ = Unavailable("db down");
  HttpResponse down = Serve(r, services_, &log);
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.body, R"({"status":"unavailable"})") << "the cause is not revealed";
  EXPECT_EQ(HeaderOf(down, "Retry-After"), "5");
  r.method = "POST";
  HttpResponse post = Serve(r, services_, &log);
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(HeaderOf(post, "Allow"), "GET, HEAD");
}

TEST_F(RouterTest, AScimPathNamedHealthzIsNotTheHealthCheck) {
  HttpResponse r = Send("GET", "/healthz", "", /*auth=*/false);
  EXPECT_EQ(r.status, 401);
}

TEST_F(RouterTest, ATokenOverItsRateLimitIs429) {
  settings_.rate_limit = 3;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Send("GET", "/Users").status, 200);
  HttpResponse r = Send("GET", "/Users");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(HeaderOf(r, "Retry-After"), "1");
  fakes_.clock.now += 1000;
  EXPECT_EQ(Send("GET", "/Users").status, 200);
}

TEST_F(RouterTest, TokenStoreOutageIs503WithRetryAfter) {
  tokens_.fail = Unavailable("db down");
  HttpResponse r = Send("GET", "/Users");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(HeaderOf(r, "Retry-After"), "5");
}

TEST_F(RouterTest, PostCreatesAndAnswers201WithLocationAndEtag) {
  HttpResponse r = Send("POST", "/Users", kAnn);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(last_token_, "okta");
  Json body = BodyOf(r);
  std::string id = body.Find("id")->as_string();
  EXPECT_EQ(HeaderOf(r, "Location"), "https://idp.test/scim/v2/Users/" + id);
  EXPECT_EQ(HeaderOf(r, "ETag"), "W/\"1\"");
  EXPECT_EQ(body.Find("userName")->as_string(), "ann");

  HttpResponse got = Send("GET", "/Users/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(BodyOf(got), body);
}

// Who makes a request (token name, request id, client address) reaches
// the audit row of each write, refusals and Bulk operations included.
TEST_F(RouterTest, WritesAreAuditedWithTheTokenRequestAndClient) {
  auto send = [this](const std::string& method, const std::string& path, const char* body) {
    HttpRequest r;
    r.method = method;
    r.path = path;
    r.body = body;
    r.request_id = "req-" + method;
    r.remote_addr = "198.51.100.7";
    r.headers["authorization"] = std::string("Bearer ") + kToken;
    RequestLog log;
    return Serve(r, services_, &log).status;
  };
  const char* bulk = R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      "Operations":[{"method":"POST","path":"/Users","bulkId":"b","data":{"userName":"bo"}}]})";
  std::vector<std::pair<int, std::string>> calls = {
      {send("POST", "/Users", kAnn), "POST"},
      {send("POST", "/Bulk", bulk), "POST"},
      {send("PATCH", "/Users/00000000-0000-4000-8000-999999999999", kPatch), "PATCH"}};
  EXPECT_EQ(calls[0].first, 201);
  EXPECT_EQ(calls[2].first, 404);
  const auto& audit = fakes_.user_store.audit;
  ASSERT_EQ(audit.size(), 3u);
  for (size_t i = 0; i < audit.size(); ++i) {
    EXPECT_EQ(audit[i].actor, "okta");
    EXPECT_EQ(audit[i].request_id, "req-" + calls[i].second);
    EXPECT_EQ(audit[i].client, "198.51.100.7");
  }
  EXPECT_EQ(audit[2].operation, "patch");
  EXPECT_EQ(audit[2].outcome, "404");
}

TEST_F(RouterTest, DuplicateIs409Uniqueness) {
  ASSERT_EQ(Send("POST", "/Users", kAnn).status, 201);
  HttpResponse r = Send("POST", "/Users", kAnn);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(BodyOf(r).Find("scimType")->as_string(), "uniqueness");
}

TEST_F(RouterTest, MalformedJsonIs400InvalidSyntax) {
  HttpResponse r = Send("POST", "/Users", "{\"userName\":");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(BodyOf(r).Find("scimType")->as_string(), "invalidSyntax");
}

TEST_F(RouterTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  HttpResponse r = Send("GET", "/Nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(BodyOf(r).Find("status")->as_string(), "404");
  r = Send("DELETE", "/Users");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(HeaderOf(r, "Allow"), "GET, POST");
  r = Send("POST", "/ServiceProviderConfig");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(HeaderOf(r, "Allow"), "GET");
  EXPECT_EQ(Send("GET", "/Users/some-id/extra").status, 404);
}

// Any bytes in a URL's id (the worker percent-decodes the path itself):
// 404 with a SCIM error body that is JSON, whatever the bytes.
TEST_F(RouterTest, IdsOfAnyBytesAre404WithAScimBodyThatIsJson) {
  const std::string ids[] = {"\xE2\x82\xAC\xF0\x9F\x99\x82", "\xFF\xFE", std::string("a\0b", 3),
                             "%00", "abc"};
  for (const auto& id : ids) {
    for (const char* prefix : {"/Users/", "/Groups/", "/Schemas/", "/ResourceTypes/"}) {
      for (const char* method : {"GET", "PUT", "PATCH", "DELETE"}) {
        if (std::string(method) != "GET" && prefix[1] != 'U' && prefix[1] != 'G') continue;
        SCOPED_TRACE(std::string(method) + " " + prefix + ::testing::PrintToString(id));
        HttpResponse r = Send(method, prefix + id, method == std::string("PATCH") ? kPatch : kAnn);
        EXPECT_EQ(r.status, 404);
        auto body = ParseJson(r.body);
        ASSERT_SCIM_OK(body);
        EXPECT_EQ(body.value().Find("schemas")->as_array()[0].as_string(),
                  "urn:ietf:params:scim:api:messages:2.0:Error");
        EXPECT_EQ(body.value().Find("status")->as_string(), "404");
      }
    }
  }
  EXPECT_TRUE(fakes_.user_store.records.empty());
}

TEST_F(RouterTest, ListAnswersListResponse) {
  ASSERT_EQ(Send("POST", "/Users", kAnn).status, 201);
  HttpRequest r;
  r.method = "GET";
  r.path = "/Users/";
  r.headers["authorization"] = std::string("Bearer ") + kToken;
  r.query = ParseQuery("filter=userName+eq+%22ANN%22");
  RequestLog log;
  HttpResponse resp = Serve(r, services_, &log);
  ASSERT_EQ(resp.status, 200) << resp.body;
  Json body = BodyOf(resp);
  EXPECT_EQ(body.Find("totalResults")->as_int(), 1);
  EXPECT_EQ(body.Find("itemsPerPage")->as_int(), 1);
}

// An authorized request with a query string and extra headers.
HttpRequest Request(const std::string& method, const std::string& path, const std::string& body,
                    const std::string& query = "",
                    const std::map<std::string, std::string>& headers = {}) {
  HttpRequest r;
  r.method = method;
  r.path = path;
  r.base_url = "https://idp.test/scim/v2";
  r.body = body;
  r.query = ParseQuery(query);
  r.headers = headers;
  r.headers["authorization"] = std::string("Bearer ") + kToken;
  return r;
}

std::string PatchOps(const std::string& ops) {
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" + ops +
         "}";
}

// RFC 7644 §3.5.2: 200 with the entire resource, or 204. A group's entire
// resource is all its members; the 204 keeps a member change O(1).
TEST_F(RouterTest, GroupPatchIs204WithEtagUnlessAttributesAreAsked) {
  HttpResponse a = Send("POST", "/Users", kAnn);
  HttpResponse b =
      Send("POST", "/Users",
           R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bob"})");
  ASSERT_EQ(a.status, 201) << a.body;
  ASSERT_EQ(b.status, 201) << b.body;
  std::string ann = BodyOf(a).Find("id")->as_string(), bob = BodyOf(b).Find("id")->as_string();
  HttpResponse g = Send(
      "POST", "/Groups",
      R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"G","members":[{"value":")" +
          ann + R"("}]})");
  ASSERT_EQ(g.status, 201) << g.body;
  std::string path = "/Groups/" + BodyOf(g).Find("id")->as_string();
  RequestLog log;
  fakes_.group_store.related_reads = 0;
  HttpResponse added = Serve(
      Request("PATCH", path,
              PatchOps(R"([{"op":"add","path":"members","value":[{"value":")" + bob + R"("}]}])")),
      services_, &log);
  EXPECT_EQ(added.status, 204);
  EXPECT_EQ(added.body, "");
  EXPECT_EQ(HeaderOf(added, "ETag"), "W/\"2\"");
  EXPECT_EQ(fakes_.group_store.related_reads, 0) << "the 204 must not read the members";

  std::string rename = PatchOps(R"([{"op":"replace","path":"displayName","value":"H"}])");
  HttpResponse asked = Serve(Request("PATCH", path, rename, "attributes=members"), services_, &log);
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_EQ(HeaderOf(asked, "ETag"), "W/\"3\"");
  ASSERT_NE(BodyOf(asked).Find("members"), nullptr);
  EXPECT_EQ(BodyOf(asked).Find("members")->as_array().size(), 2u);
  EXPECT_EQ(BodyOf(asked).Find("displayName"), nullptr);

  fakes_.group_store.related_reads = 0;
  HttpResponse name =
      Serve(Request("PATCH", path, rename, "attributes=displayName"), services_, &log);
  ASSERT_EQ(name.status, 200) << name.body;
  ASSERT_NE(BodyOf(name).Find("displayName"), nullptr);
  EXPECT_EQ(BodyOf(name).Find("displayName")->as_string(), "H");
  EXPECT_EQ(BodyOf(name).Find("members"), nullptr);
  EXPECT_EQ(fakes_.group_store.related_reads, 0);

  HttpResponse all =
      Serve(Request("PATCH", path, rename, "excludedAttributes=meta"), services_, &log);
  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_NE(BodyOf(all).Find("members"), nullptr);
  EXPECT_EQ(BodyOf(all).Find("members")->as_array().size(), 2u);
  HttpResponse minimal =
      Serve(Request("PATCH", path, rename, "attributes=members", {{"prefer", "return=minimal"}}),
            services_, &log);
  EXPECT_EQ(minimal.status, 204);
}

TEST_F(RouterTest, UserPatchAnswers200WithTheWholeUserOr204WhenMinimal) {
  HttpResponse created = Send("POST", "/Users", kAnn);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string path = "/Users/" + BodyOf(created).Find("id")->as_string();
  std::string ops = PatchOps(R"([{"op":"replace","path":"title","value":"Boss"}])");
  HttpResponse r = Send("PATCH", path, ops);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(BodyOf(r).Find("userName")->as_string(), "ann");
  EXPECT_EQ(BodyOf(r).Find("title")->as_string(), "Boss");
  RequestLog log;
  HttpResponse minimal =
      Serve(Request("PATCH", path, ops, "", {{"prefer", "return=minimal"}}), services_, &log);
  EXPECT_EQ(minimal.status, 204);
  EXPECT_EQ(HeaderOf(minimal, "ETag"), "W/\"2\"");
}

// Entra's reference collection: GET /Users?attributes=emails[type eq "work"].
TEST_F(RouterTest, AttributesWithAValueFilterProjectAndMalformedOnesWriteNothing) {
  HttpResponse created =
      Send("POST", "/Users",
           R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann","emails":[
      {"value":"a@w","type":"work"},{"value":"a@h","type":"home"}]})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string path = "/Users/" + BodyOf(created).Find("id")->as_string();
  RequestLog log;
  HttpResponse got = Serve(
      Request("GET", path, "", "attributes=emails%5Btype+eq+%22work%22%5D.value"), services_, &log);
  ASSERT_EQ(got.status, 200) << got.body;
  ASSERT_NE(BodyOf(got).Find("emails"), nullptr);
  EXPECT_EQ(ToJson(*BodyOf(got).Find("emails")), R"([{"value":"a@w"}])");
  EXPECT_EQ(BodyOf(got).Find("userName"), nullptr);

  HttpResponse bad =
      Serve(Request("PATCH", path, PatchOps(R"([{"op":"replace","path":"title","value":"X"}])"),
                    "attributes=emails%5Btype+eq%5D"),
            services_, &log);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(BodyOf(bad).Find("scimType")->as_string(), "invalidFilter");
  EXPECT_EQ(fakes_.user_store.records.at(0).version, 1) << "a 400 writes nothing";
  HttpResponse post = Serve(
      Request("POST", "/Users",
              R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bob"})",
              "attributes=a..b"),
      services_, &log);
  EXPECT_EQ(post.status, 400);
  EXPECT_EQ(BodyOf(post).Find("scimType")->as_string(), "invalidValue");
  EXPECT_EQ(fakes_.user_store.records.size(), 1u);
}

// CGI parameters as nginx's fastcgi_params (Debian) sends them.
std::map<std::string, std::string> NginxParams(const std::string& uri) {
  return {{"REQUEST_METHOD", "GET"},
          {"REQUEST_URI", uri},
          {"QUERY_STRING", uri.find('?') == std::string::npos ? "" : uri.substr(uri.find('?') + 1)},
          {"HTTP_HOST", "scim.example.com"},
          {"SERVER_PORT", "8443"},
          {"REQUEST_SCHEME", "https"},
          {"HTTPS", "on"}};
}

HttpRequest Decode(const std::map<std::string, std::string>& params,
                   const config::FcgiConfig& config = {}) {
  return DecodeParams(
      [&](const char* name) -> const char* {
        auto it = params.find(name);
        return it == params.end() ? nullptr : it->second.c_str();
      },
      config);
}

TEST(DecodeParamsTest, StripsEitherBasePathAndBuildsBaseUrl) {
  HttpRequest r = Decode(NginxParams("/api/scim/v2/Users/a%2Db?filter=x"));
  EXPECT_EQ(r.path, "/Users/a-b");
  EXPECT_EQ(r.base_url, "https://scim.example.com:8443/api/scim/v2");
  EXPECT_EQ(r.query.find("filter")->second, "x");
  r = Decode(NginxParams("/scim/v2"));
  EXPECT_EQ(r.path, "");
  EXPECT_EQ(r.base_url, "https://scim.example.com:8443/scim/v2");
  r = Decode(NginxParams("/scim/v2x/Users"));
  EXPECT_EQ(r.path, "\x01");
}

TEST(DecodeParamsTest, TheHealthPathIsMarkedOnlyOutsideTheScimBase) {
  HttpRequest r = Decode(NginxParams("/healthz"));
  EXPECT_TRUE(r.health);
  EXPECT_FALSE(Decode(NginxParams("/scim/v2/healthz")).health);
  EXPECT_FALSE(Decode(NginxParams("/healthz/x")).health);
  config::FcgiConfig moved;
  moved.health_path = "/lb/ping";
  EXPECT_TRUE(Decode(NginxParams("/lb/ping"), moved).health);
  EXPECT_FALSE(Decode(NginxParams("/healthz"), moved).health);
}

TEST(DecodeParamsTest, ClientAddressComesFromTrustedProxiesOnly) {
  auto params = NginxParams("/scim/v2/Users");
  params["REMOTE_ADDR"] = "10.1.2.3";
  params["HTTP_X_FORWARDED_FOR"] = "192.0.2.50";
  EXPECT_EQ(Decode(params).remote_addr, "10.1.2.3") << "no proxy is trusted by default";
  config::FcgiConfig trusting;
  trusting.trusted_proxies = *util::ParseCidrList("10.0.0.0/8");
  EXPECT_EQ(Decode(params, trusting).remote_addr, "192.0.2.50");
  params["REMOTE_ADDR"] = "172.16.0.1";  // not a trusted peer: its header proves nothing
  EXPECT_EQ(Decode(params, trusting).remote_addr, "172.16.0.1");
}

TEST(ClientAddressTest, TakesTheRightmostUntrustedHop) {
  auto trusted = *util::ParseCidrList("10.0.0.0/8, 127.0.0.1, 2001:db8::/32");
  struct Case {
    const char* remote;
    const char* forwarded;
    const char* client;
  } cases[] = {
      {"10.0.0.1", "", "10.0.0.1"},
      {"10.0.0.1", "192.0.2.1", "192.0.2.1"},
      {"10.0.0.1", "6.6.6.6, 192.0.2.1", "192.0.2.1"},            // a forged hop on the left
      {"10.0.0.1", "6.6.6.6, 192.0.2.1, 10.9.9.9", "192.0.2.1"},  // a second trusted proxy
      {"127.0.0.1", "10.0.0.2, 10.0.0.3", "10.0.0.2"},            // all trusted: the leftmost
      {"10.0.0.1", "garbage, 192.0.2.1", "192.0.2.1"},
      {"10.0.0.1", "192.0.2.1, garbage", "10.0.0.1"},  // a bad hop stops the walk
      {"10.0.0.1", "192.0.2.1:4711", "192.0.2.1:4711"},
      {"2001:db8::5", "[2001:db8::6], 2a00::1", "2a00::1"},
      {"192.0.2.9", "10.0.0.1", "192.0.2.9"},  // an untrusted peer
      {"not an address", "10.0.0.1", "not an address"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.remote) + " | " + c.forwarded);
    EXPECT_EQ(ClientAddress(c.remote, c.forwarded, trusted), c.client);
  }
  EXPECT_EQ(ClientAddress("10.0.0.1", "192.0.2.1", {}), "10.0.0.1");
}

TEST(DecodeParamsTest, FallsBackToPathInfoAndHonoursPublicBaseUrl) {
  auto params = NginxParams("/cgi-bin/scim/Users");
  params["SCRIPT_NAME"] = "/cgi-bin/scim";
  params["PATH_INFO"] = "/Users";
  config::FcgiConfig config;
  config.public_base_url = "https://public.example.com/scim/v2";
  HttpRequest r = Decode(params, config);
  EXPECT_EQ(r.path, "/Users");
  EXPECT_EQ(r.base_url, "https://public.example.com/scim/v2");
}

// What Apache's mod_proxy_fcgi sends (seen with httpd 2.4 on Debian 12):
// SCRIPT_NAME is the whole decoded path, there is no PATH_INFO, and
// HTTP_HOST carries the port.
TEST(DecodeParamsTest, ApacheProxyFcgiParams) {
  HttpRequest r = Decode({{"REQUEST_METHOD", "GET"},
                          {"REQUEST_URI", "/api/scim/v2/Users/a%20b?count=1"},
                          {"QUERY_STRING", "count=1"},
                          {"SCRIPT_NAME", "/api/scim/v2/Users/a b"},
                          {"SCRIPT_FILENAME", "proxy:fcgi://localhost//Users/a%20b"},
                          {"HTTP_HOST", "127.0.0.1:8081"},
                          {"SERVER_NAME", "127.0.0.1"},
                          {"SERVER_PORT", "8081"},
                          {"REQUEST_SCHEME", "http"},
                          {"REQUEST_ID", "aWx1Ijdta0YORaiDmVNdwAAAAE"}});
  EXPECT_EQ(r.path, "/Users/a b");
  EXPECT_EQ(r.base_url, "http://127.0.0.1:8081/api/scim/v2");
  EXPECT_EQ(r.request_id, "aWx1Ijdta0YORaiDmVNdwAAAAE");
}

TEST(DecodeParamsTest, QueryDecodingHandlesPlusAndPercent) {
  auto q = ParseQuery("filter=userName+eq+%22a%2Bb%40x%22&count=5&flag&=v");
  EXPECT_EQ(q.find("filter")->second, "userName eq \"a+b@x\"");
  EXPECT_EQ(q.find("count")->second, "5");
  EXPECT_EQ(q.find("flag")->second, "");
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");
}

TEST(BodyLengthTest, RefusesBadAndOversizedLengths) {
  EXPECT_EQ(BodyLength(nullptr, 10).value(), 0u);
  EXPECT_EQ(BodyLength("", 10).value(), 0u);
  EXPECT_EQ(BodyLength("10", 10).value(), 10u);
  EXPECT_SCIM_ERROR(BodyLength("11", 10), 413, ScimType::kNone);
  EXPECT_SCIM_ERROR(BodyLength("99999999999999999999999", 10), 413, ScimType::kNone);
  EXPECT_SCIM_ERROR(BodyLength("12a", 10), 400, ScimType::kInvalidSyntax);
  EXPECT_SCIM_ERROR(BodyLength("-1", 10), 400, ScimType::kInvalidSyntax);
}

TEST(SerializeTest, WritesStatusLineHeadersAndLength) {
  HttpResponse r;
  r.status = 201;
  r.headers = {{"Content-Type", "application/scim+json"}};
  r.body = "{}";
  EXPECT_EQ(SerializeCgiResponse(r),
            "Status: 201 Created\r\nContent-Type: application/scim+json\r\n"
            "Content-Length: 2\r\n\r\n{}");
  r.status = 204;  // RFC 9110 §8.6: a 204 (or 304) carries no Content-Length
  r.headers = {{"ETag", "W/\"2\""}};
  r.body.clear();
  EXPECT_EQ(SerializeCgiResponse(r), "Status: 204 No Content\r\nETag: W/\"2\"\r\n\r\n");
}

}  // namespace
}  // namespace scim::cgi

namespace scim::cgi {
namespace {

TEST(CachedTokenStoreTest, RemembersValidTokensForTheTtlOnly) {
  testing::FakeTokenStore inner;
  testing::FakeClock clock;
  inner.Add("good", "okta");
  CachedTokenStore cache(inner, clock, 1000);
  std::string good = auth::HashToken("good"), bad = auth::HashToken("bad");
  ASSERT_TRUE(cache.FindActive(good).value().has_value());
  inner.by_hash.clear();  // revoked in the database
  EXPECT_TRUE(cache.FindActive(good).value().has_value()) << "remembered within the TTL";
  clock.now += 1001;
  EXPECT_FALSE(cache.FindActive(good).value().has_value()) << "gone after it";
  EXPECT_FALSE(cache.FindActive(bad).value().has_value());
  inner.Add("bad", "new");  // created after a failed attempt: works at once
  EXPECT_TRUE(cache.FindActive(bad).value().has_value());
}

}  // namespace
}  // namespace scim::cgi
