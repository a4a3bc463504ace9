// The admin console over HTTP, through nginx with basic auth as a browser
// would use it: nginx's own 401 without credentials, the worker's 403
// without REMOTE_USER, the security headers, the CSRF and Origin refusals
// (nothing changed), SCIM off and on, a token shown once that works and is
// revoked, a <script> userName rendered as text, and the audit of every
// action under the admin's name.
#include <Poco/Base64Encoder.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>
#include <sstream>

#include "common/db/mysql_token_store.h"
#include "common/db/settings_store.h"
#include "common/db/sync_rows.h"
#include "common/util/system.h"
#include "tests/integration/env.h"

namespace scim::it {
namespace {

std::string Basic(const std::string& user, const std::string& password) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out);
  enc << user << ":" << password;
  enc.close();
  return "Basic " + out.str();
}

std::string Password() {
  std::string p = ReadFile(TestEnv().state_dir + "/admin-password");
  while (!p.empty() && (p.back() == '\n' || p.back() == '\r')) p.pop_back();
  return p;
}

std::string Origin() { return "http://127.0.0.1:" + std::to_string(TestEnv().port); }

std::map<std::string, std::string> Admin() {
  return {{"Authorization", Basic("admin", Password())}};
}

Response Get(const std::string& page) { return Http("GET", "/scim-admin/" + page, "", Admin()); }

// A form POST as the browser sends it from a console page (unless the
// caller overrides Origin or leaves fields out).
Response Post(const std::string& action, const std::string& body,
              const std::string& origin = Origin()) {
  auto h = Admin();
  h["Content-Type"] = "application/x-www-form-urlencoded";
  if (!origin.empty()) h["Origin"] = origin;
  return Http("POST", "/scim-admin/" + action, body, h);
}

// The CSRF field of a console page.
std::string Csrf() {
  Response r = Get("tokens");
  std::smatch m;
  std::regex re("name=\"csrf\" value=\"([0-9a-f]{64})\"");
  EXPECT_TRUE(std::regex_search(r.body, m, re)) << r.body;
  return m.empty() ? "" : m[1].str();
}

bool ScimEnabled() { return db::ReadSettings(Db()).enabled; }

// Turns SCIM back on after a test that turned it off, also when it failed,
// and waits the settings cache's TTL (plus a margin): every worker thread
// caches the settings that long, and no later test may meet a stale "off".
struct ScimBackOn {
  ~ScimBackOn() {
    (void)db::WriteSetting(Db(), "enabled", "on", "console-test");
    auto ttl = std::chrono::milliseconds(TestEnv().config.fcgi.settings_ttl_ms + 500);
    auto since = std::chrono::steady_clock::now();
    EXPECT_TRUE(WaitUntil([&] {
      return std::chrono::steady_clock::now() - since > ttl &&
             Http("GET", "/scim/v2/Users?count=1", "", Auth(SharedToken())).status == 200;
    }));
  }
};

// Whether an audit row with this actor, operation and detail fragment was
// written in the last hour.
bool Audited(const std::string& operation, const std::string& fragment) {
  int64_t since = util::SystemClock().NowMillis() - 3600 * 1000;
  db::AuditFilter f{since, "", 0, "admin", operation, "done"};
  for (const auto& e : db::ReadAudit(Db(), f)) {
    if (e.row.detail.find(fragment) != std::string::npos) return true;
  }
  return false;
}

TEST(ConsoleTest, NginxAsksForCredentials) {
  EXPECT_EQ(Http("GET", "/scim-admin/").status, 401);
  EXPECT_EQ(Http("GET", "/scim-admin/", "", {{"Authorization", Basic("admin", "wrong")}}).status,
            401);
  EXPECT_EQ(Http("GET", "/scim-admin/", "", {{"Authorization", "Bearer " + SharedToken()}}).status,
            401)
      << "a SCIM token never opens the console";
}

// Straight to the worker (plain CGI, as a misconfigured web server would
// hand it on): no REMOTE_USER, no console, whatever else the request has.
TEST(ConsoleTest, WorkerRefusesRequestsWithoutRemoteUser) {
  std::map<std::string, std::string> env = {{"GATEWAY_INTERFACE", "CGI/1.1"},
                                            {"REQUEST_METHOD", "GET"},
                                            {"REQUEST_URI", "/scim-admin/tokens"},
                                            {"HTTP_HOST", "localhost"},
                                            {"HTTP_AUTHORIZATION", "Bearer " + SharedToken()},
                                            {"SCIMSYNC_CONFIG", TestEnv().config_path}};
  CmdResult r = RunProgram(TestEnv().bin_dir + "/scim-fcgi", {}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("Status: 403 Forbidden\r\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("X-Frame-Options: DENY\r\n"), std::string::npos);
  EXPECT_EQ(r.out.find("token-create"), std::string::npos) << "no page content";

  env["REMOTE_USER"] = "admin";
  r = RunProgram(TestEnv().bin_dir + "/scim-fcgi", {}, env);
  EXPECT_EQ(r.out.rfind("Status: 200 OK\r\n", 0), 0u) << r.out;
}

TEST(ConsoleTest, PagesAnswerWithTheSecurityHeaders) {
  for (const char* page : {"", "tokens", "roles", "users", "sync", "audit", "settings", "style.css",
                           "copy.js", "audit.csv", "audit.json"}) {
    SCOPED_TRACE(page);
    Response r = Get(page);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.headers["content-security-policy"].rfind("default-src 'none'", 0), 0u);
    EXPECT_EQ(r.headers["x-frame-options"], "DENY");
    EXPECT_EQ(r.headers["x-content-type-options"], "nosniff");
    EXPECT_EQ(r.headers["referrer-policy"], "same-origin");
    EXPECT_EQ(r.headers["cache-control"], "no-store");
  }
  EXPECT_NE(Get("").body.find("<span id=\"signed-in-user\">admin</span>"), std::string::npos);
  EXPECT_EQ(Get("no-such-page").status, 404);
}

TEST(ConsoleTest, PostsWithoutCsrfTokenOrFromAnotherOriginAreRefused) {
  ScimBackOn guard;
  ASSERT_TRUE(ScimEnabled());
  std::string csrf = Csrf();
  EXPECT_EQ(Post("scim-enabled", "enabled=off").status, 403) << "no token";
  EXPECT_EQ(Post("scim-enabled", "enabled=off&csrf=" + std::string(64, '0')).status, 403);
  EXPECT_EQ(Post("scim-enabled", "enabled=off&csrf=" + csrf, "http://evil.example").status, 403);
  EXPECT_EQ(Post("scim-enabled", "enabled=off&csrf=" + csrf, "").status, 403)
      << "neither Origin nor Referer";
  EXPECT_TRUE(ScimEnabled()) << "nothing changed";
}

TEST(ConsoleTest, ScimOffMakesTheApi403AndOnAgain) {
  ScimBackOn guard;
  std::string csrf = Csrf();
  Response off = Post("scim-enabled", "enabled=off&csrf=" + csrf);
  EXPECT_EQ(off.status, 303) << off.body;
  EXPECT_EQ(off.headers["location"], "./?done=scim-off");
  EXPECT_FALSE(ScimEnabled());
  EXPECT_TRUE(WaitUntil(
      [] { return Http("GET", "/scim/v2/Users?count=1", "", Auth(SharedToken())).status == 403; }));
  EXPECT_NE(Get("?done=scim-off").body.find("class=\"status-off\">Off"), std::string::npos);
  EXPECT_EQ(Post("scim-enabled", "enabled=on&csrf=" + csrf).status, 303);
  EXPECT_TRUE(WaitUntil(
      [] { return Http("GET", "/scim/v2/Users?count=1", "", Auth(SharedToken())).status == 200; }));
  EXPECT_TRUE(Audited("settings set", "enabled = off"));
  EXPECT_TRUE(Audited("settings set", "enabled = on"));
}

TEST(ConsoleTest, TokenIsShownOnceWorksAndIsRevoked) {
  std::string name = Unique("console-token");
  Response created = Post("token-create", "name=" + name + "&expires=30d&csrf=" + Csrf());
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.headers["cache-control"], "no-store");
  std::smatch m;
  std::regex re("<code id=\"new-token\" class=\"secret\">(scimsync_[A-Za-z0-9_-]{43})</code>");
  ASSERT_TRUE(std::regex_search(created.body, m, re)) << created.body;
  std::string token = m[1].str();

  Response user = Http("POST", "/scim/v2/Users", UserBody(Unique("console-user")), Auth(token));
  EXPECT_EQ(user.status, 201) << user.body;
  Response list = Get("tokens");
  EXPECT_NE(list.body.find(name), std::string::npos);
  EXPECT_EQ(list.body.find(token), std::string::npos) << "never shown again";
  EXPECT_EQ(list.body.find(token.substr(9)), std::string::npos);

  long long id = 0;
  for (const auto& t : db::ListTokens(Db())) {
    if (t.name == name) id = t.id;
  }
  ASSERT_GT(id, 0);
  Response confirm = Get("token-revoke?id=" + std::to_string(id));
  EXPECT_NE(confirm.body.find("id=\"token-revoke-confirm\""), std::string::npos);
  Response revoked = Post("token-revoke", "id=" + std::to_string(id) + "&csrf=" + Csrf());
  EXPECT_EQ(revoked.status, 303) << revoked.body;
  // Its refusals count against an address of their own (the stack trusts
  // the test client's X-Forwarded-For), so other tests' failed
  // authentications from 127.0.0.1 cannot turn this 401 into a 429.
  auto headers = Auth(token);
  headers["X-Forwarded-For"] = "198.51.100.77";
  EXPECT_TRUE(
      WaitUntil([&] { return Http("GET", "/scim/v2/Users?count=1", "", headers).status == 401; }));
  EXPECT_TRUE(Audited("token create", "name " + name));
  EXPECT_TRUE(Audited("token revoke", std::to_string(id)));
}

TEST(ConsoleTest, ScriptUserNameRendersAsTextInTheAuditPage) {
  std::string name = "<script>alert(1)</script>" + Unique("x");
  Response created = Http("POST", "/scim/v2/Users", UserBody(name), Auth(SharedToken()));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string query;
  for (char c : name) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
    query += buf;
  }
  Response audit = Get("audit?user=" + query);
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.body.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(audit.body.find("<td class=\"audit-user\">&lt;script&gt;alert(1)&lt;/script&gt;"),
            std::string::npos)
      << audit.body;
  Response json = Get("audit.json?user=" + query);
  EXPECT_EQ(json.status, 200);
  EXPECT_EQ(json.headers["content-type"], "application/json");
  EXPECT_EQ(json.body.front(), '[') << json.body;
}

TEST(ConsoleTest, SettingsAndRoleMappingsAreValidatedAndAudited) {
  std::string csrf = Csrf();
  Response bad = Post("settings", "max_attempts=0&csrf=" + csrf);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("id=\"error\""), std::string::npos);
  int before = db::ReadSettings(Db()).max_attempts;
  EXPECT_EQ(Post("settings", "max_attempts=" + std::to_string(before + 1) + "&csrf=" + csrf).status,
            303);
  EXPECT_EQ(db::ReadSettings(Db()).max_attempts, before + 1);
  EXPECT_TRUE(Audited("settings set", "max_attempts = " + std::to_string(before + 1)));
  (void)db::WriteSetting(Db(), "max_attempts", std::to_string(before), "console-test");

  std::string value = Unique("App Mods");
  EXPECT_EQ(Post("role-map-add", "idp_value=" + value + "&role=Moderator&csrf=" + csrf).status,
            303);
  EXPECT_EQ(db::ReadSettings(Db()).role_mappings.count(value), 1u);
  EXPECT_NE(Get("roles").body.find(value), std::string::npos);
  EXPECT_EQ(Post("role-map-remove", "idp_value=" + value + "&csrf=" + csrf).status, 303);
  EXPECT_EQ(db::ReadSettings(Db()).role_mappings.count(value), 0u);
  EXPECT_TRUE(Audited("role-map add", value + " -> Moderator"));
  EXPECT_TRUE(Audited("role-map remove", value));
}

// The local deactivation of scimctl user deactivate/reactivate, from the
// console: the directory row follows, the page lists the user, the audit
// names the admin.
TEST(ConsoleTest, DeactivateAndReactivateAUserLocally) {
  std::string name = Unique("console-local");
  std::string id = IdOf(Http("POST", "/scim/v2/Users", UserBody(name), Auth(SharedToken())));
  auto active = [&id]() {
    int a = -1;
    soci::indicator ind = soci::i_null;
    Db() << DirUserSql("d.active"), soci::use(id), soci::into(a, ind);
    return ind == soci::i_ok ? a : -1;
  };
  ASSERT_TRUE(WaitUntil([&] { return active() == 1; })) << "the daemon applied the user";
  std::string csrf = Csrf();
  Response off =
      Post("user-deactivate", "user_name=" + name + "&reason=left+the+team&csrf=" + csrf);
  EXPECT_EQ(off.status, 303) << off.body;
  EXPECT_EQ(active(), 0);
  Response page = Get("users");
  EXPECT_NE(
      page.body.find("<td class=\"user-name\">" + name + "</td><td>admin</td><td>left the team"),
      std::string::npos)
      << page.body;
  EXPECT_EQ(Post("user-deactivate", "user_name=nobody-" + name + "&reason=x&csrf=" + csrf).status,
            404);
  EXPECT_EQ(Post("user-reactivate", "user_name=" + name + "&csrf=" + csrf).status, 303);
  EXPECT_EQ(active(), 1);
  EXPECT_TRUE(Audited("user deactivate", "left the team"));
  EXPECT_TRUE(Audited("user reactivate", "active"));
}

// Protect and unprotect: the account leaves SCIM's sight and comes back.
TEST(ConsoleTest, ProtectAndUnprotectAnAccount) {
  std::string name = Unique("console-root");
  Db() << "INSERT INTO directory_users (user_name, role, active, created_at, updated_at) "
          "VALUES (:n, 'Admin', 1, NOW(3), NOW(3))",
      soci::use(name);
  auto found = [&name] {
    return TotalOf(Http("GET", "/scim/v2/Users?filter=userName%20eq%20%22" + name + "%22", "",
                        Auth(SharedToken())));
  };
  std::string csrf = Csrf();
  EXPECT_EQ(Post("user-protect", "user_name=" + name + "&reason=break-glass&csrf=" + csrf).status,
            303);
  EXPECT_NE(Get("users").body.find(name), std::string::npos) << "listed as protected";
  EXPECT_EQ(found(), 0) << "invisible to SCIM";
  EXPECT_EQ(Post("user-unprotect", "user_name=" + name + "&csrf=" + csrf).status, 303);
  EXPECT_EQ(found(), 1) << "found again (adopted at this lookup)";
  EXPECT_TRUE(Audited("user protect", "break-glass"));
}

// A dead change: retry asks for nothing more; drop asks for a
// confirmation first (a GET page with the confirm button), then deletes it.
TEST(ConsoleTest, DeadLettersAreRetriedAndDroppedAfterAConfirmation) {
  auto plant = [] {
    std::string id = "00000000-0000-4000-8011-" + std::to_string(100000000000LL + getpid());
    Db() << "INSERT INTO change_queue (resource_type, resource_id, version, op, payload, status, "
            "attempts, last_error, created_at, next_attempt_at) VALUES ('User', :id, 1, "
            "'upsert', '{not json', 'dead', 10, 'planted', NOW(3), NOW(3))",
        soci::use(id);
    long long row = 0;
    Db() << "SELECT MAX(id) FROM change_queue WHERE resource_id = :id", soci::into(row),
        soci::use(id);
    return row;
  };
  auto status = [](long long row) {
    std::string s = "gone";
    soci::indicator ind = soci::i_null;
    Db() << "SELECT status FROM change_queue WHERE id = :id", soci::into(s, ind), soci::use(row);
    return Db().got_data() ? s : std::string("gone");
  };
  long long row = plant();
  std::string key = std::to_string(row);
  EXPECT_NE(Get("sync").body.find("id=\"drop-" + key + "\""), std::string::npos);
  Response confirm = Get("queue-drop?id=" + key);
  EXPECT_EQ(confirm.status, 200);
  EXPECT_NE(confirm.body.find("id=\"queue-drop-confirm\""), std::string::npos) << confirm.body;
  EXPECT_EQ(status(row), "dead") << "showing the confirmation changes nothing";
  EXPECT_EQ(Post("queue-drop", "id=" + key + "&csrf=" + Csrf()).status, 303);
  EXPECT_EQ(status(row), "gone");
  EXPECT_TRUE(Audited("queue drop", "row " + key));
  EXPECT_EQ(Get("queue-drop?id=" + key).status, 404);

  long long again = plant();
  EXPECT_EQ(Post("queue-retry", "id=" + std::to_string(again) + "&csrf=" + Csrf()).status, 303);
  EXPECT_NE(status(again), "dead") << "queued again";
  Db() << "DELETE FROM change_queue WHERE id = :id", soci::use(again);
}

}  // namespace
}  // namespace scim::it
