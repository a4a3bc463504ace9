// Issue 5 through nginx: token expiry, revocation and rotation, token
// listing, the enabled switch, rate limits, and that no token or password
// ever reaches the logs or the audit log.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/util/password.h"
#include "tests/integration/env.h"

namespace scim::it {
namespace {

CmdResult Ctl(std::vector<std::string> args) {
  args.insert(args.begin(), {"--config", TestEnv().config_path});
  return RunProgram(TestEnv().bin_dir + "/scimctl", args);
}

std::string NewToken(const std::string& name, const std::string& expires = "") {
  std::vector<std::string> args = {"token", "create", "--name", name};
  if (!expires.empty()) args.insert(args.end(), {"--expires", expires});
  CmdResult r = Ctl(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out.substr(0, r.out.find('\n'));
}

int Status(const std::string& token) {
  return Http("GET", "/scim/v2/Users?count=1", "", Auth(token)).status;
}

// Every worker thread caches the settings for fcgi.settings_ttl_ms: after
// restoring one, wait that long (plus a margin) so that no later test meets
// the stale value.
void WaitForSettingsCaches() {
  auto ttl = std::chrono::milliseconds(TestEnv().config.fcgi.settings_ttl_ms + 500);
  auto since = std::chrono::steady_clock::now();
  EXPECT_TRUE(WaitUntil([&] {
    return std::chrono::steady_clock::now() - since > ttl && Status(SharedToken()) == 200;
  }));
}

TEST(SecurityTest, RotationRevocationAndListing) {
  std::string name = Unique("rotate");
  std::string old_token = NewToken(name);
  std::string new_token = NewToken(name + "-next");
  EXPECT_EQ(Status(old_token), 200);
  EXPECT_EQ(Status(new_token), 200) << "both work during rotation";
  ASSERT_EQ(Ctl({"token", "revoke", name}).exit_code, 0);
  // Workers remember valid tokens for fcgi.settings_ttl_ms: once that has
  // passed since the revocation, no thread accepts it. (One request only:
  // rejected requests count towards the per-address failure limit.)
  auto ttl = std::chrono::milliseconds(TestEnv().config.fcgi.settings_ttl_ms + 500);
  auto since = std::chrono::steady_clock::now();
  WaitUntil([&] { return std::chrono::steady_clock::now() - since > ttl; }, ttl * 2);
  EXPECT_EQ(Status(old_token), 401);
  EXPECT_EQ(Status(new_token), 200);
  EXPECT_EQ(Ctl({"token", "revoke", name}).exit_code, 1) << "already revoked";
  CmdResult list = Ctl({"token", "list"});
  ASSERT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find(name + "\t"), std::string::npos);
  EXPECT_NE(list.out.find("revoked"), std::string::npos);
  EXPECT_EQ(list.out.find(old_token), std::string::npos) << "never a token";
  EXPECT_EQ(list.out.find(new_token), std::string::npos);
}

TEST(SecurityTest, ExpiredTokensAre401) {
  std::string name = Unique("expiring");
  std::string token = NewToken(name, "1m");
  EXPECT_EQ(Status(token), 200);
  // Let it run out (the test cannot wait a minute); only this test's token.
  Db() << "UPDATE api_tokens SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE name = :n",
      soci::use(name);
  auto ttl = std::chrono::milliseconds(TestEnv().config.fcgi.settings_ttl_ms + 500);
  auto since = std::chrono::steady_clock::now();
  WaitUntil([&] { return std::chrono::steady_clock::now() - since > ttl; }, ttl * 2);
  EXPECT_EQ(Status(token), 401);
  EXPECT_EQ(Ctl({"token", "create", "--name", "x", "--expires", "yesterday"}).exit_code, 2);
  EXPECT_EQ(Ctl({"token", "create", "--name", "x", "--expires", "2001-01-01"}).exit_code, 2);
}

long long AuditedSettingChanges(const std::string& detail) {
  long long n = 0;
  std::string d = detail;
  Db() << "SELECT COUNT(*) FROM audit_log WHERE operation = 'settings set' AND detail = :d",
      soci::into(n), soci::use(d);
  return n;
}

TEST(SecurityTest, TurningScimOffAnswers403WithinTheCacheTtl) {
  long long audited_before = AuditedSettingChanges("enabled = off");
  ASSERT_EQ(Ctl({"settings", "set", "enabled", "off"}).exit_code, 0);
  bool off = WaitUntil([&] {
    return Http("POST", "/scim/v2/Users", UserBody(Unique("blocked")), Auth(SharedToken()))
               .status == 403;
  });
  ASSERT_EQ(Ctl({"settings", "set", "enabled", "on"}).exit_code, 0);
  EXPECT_TRUE(off);
  // Every worker thread caches the settings for fcgi.settings_ttl_ms: wait
  // that long (plus a margin) so that no later test meets a stale "off".
  auto ttl = std::chrono::milliseconds(TestEnv().config.fcgi.settings_ttl_ms + 500);
  auto since = std::chrono::steady_clock::now();
  EXPECT_TRUE(WaitUntil([&] {
    return std::chrono::steady_clock::now() - since > ttl && Status(SharedToken()) == 200;
  }));
  EXPECT_EQ(AuditedSettingChanges("enabled = off"), audited_before + 1);
}

TEST(SecurityTest, ATokenOverTheRateLimitGets429WithRetryAfter) {
  std::string token = NewToken(Unique("busy"));
  ASSERT_EQ(Ctl({"settings", "set", "rate_limit", "2"}).exit_code, 0);
  int limited = 0;
  std::string retry_after;
  WaitUntil([&] {
    for (int i = 0; i < 20; ++i) {
      Response r = Http("GET", "/scim/v2/Users?count=1", "", Auth(token));
      if (r.status == 429) {
        ++limited;
        retry_after = r.headers["retry-after"];
        EXPECT_EQ(r.json().Find("status")->as_string(), "429");
      }
    }
    return limited > 0;
  });
  ASSERT_EQ(Ctl({"settings", "set", "rate_limit", "0"}).exit_code, 0);
  WaitForSettingsCaches();
  EXPECT_GT(limited, 0);
  EXPECT_EQ(retry_after, "1");
}

TEST(SecurityTest, EveryScimWriteIsAuditedWithActorRequestAndDiff) {
  std::string token_name = Unique("auditor");
  std::string token = NewToken(token_name);
  std::string name = Unique("audited");
  auto h = Auth(token);
  Response created =
      Http("POST", "/scim/v2/Users", UserBody(name, R"(,"password":"p4ss-word","title":"A")"), h);
  ASSERT_EQ(created.status, 201);
  std::string id = created.json().Find("id")->as_string();
  ASSERT_EQ(Http("PATCH", "/scim/v2/Users/" + id,
                 R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                     "Operations":[{"op":"replace","path":"title","value":"B"}]})",
                 h)
                .status,
            200);
  ASSERT_EQ(Http("PUT", "/scim/v2/Users/" + id, UserBody(name), h).status, 200);
  ASSERT_EQ(Http("POST", "/scim/v2/Users", UserBody(name), h).status, 409);  // refused
  ASSERT_EQ(Http("DELETE", "/scim/v2/Users/" + id, "", h).status, 204);
  CmdResult audit = Ctl({"audit", "--since", "1h", "--json"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  std::vector<std::string> ops;
  std::string mine;
  std::stringstream lines(audit.out);
  for (std::string line; std::getline(lines, line);) {
    Json r = ParseJson(line).value();
    if (r.Find("actor")->as_string() != token_name) continue;
    mine += line + "\n";
    ops.push_back(r.Find("operation")->as_string() + ":" + r.Find("outcome")->as_string());
    EXPECT_NE(r.Find("request_id"), nullptr) << line;
    EXPECT_NE(r.Find("client"), nullptr) << line;
  }
  EXPECT_EQ(ops, (std::vector<std::string>{"create:ok", "patch:ok", "replace:ok", "create:409",
                                           "delete:ok"}));
  EXPECT_NE(mine.find(R"j(\"password\":\"(changed)\")j"), std::string::npos) << mine;
  EXPECT_NE(mine.find(R"j(\"title\":\"B\")j"), std::string::npos) << mine;
  EXPECT_EQ(mine.find("p4ss-word"), std::string::npos);
  CmdResult by_user = Ctl({"audit", "--user", name});
  EXPECT_NE(by_user.out.find("delete"), std::string::npos) << by_user.out;
}

TEST(SecurityTest, NoTokenOrPasswordInLogsOrAudit) {
  std::string token = NewToken(Unique("secret-holder"));
  const std::string password = "Pw-" + Unique("very-secret");
  Response r = Http("POST", "/scim/v2/Users",
                    UserBody(Unique("pw"), R"(,"password":")" + password + "\""), Auth(token));
  ASSERT_EQ(r.status, 201);
  Http("GET", "/scim/v2/Users", "", {{"Authorization", "Bearer " + token + "x"}});  // a failure
  std::string logs;
  for (const char* f : {"fcgi.log", "spawned.log", "syncd.log", "nginx-access.log",
                        "nginx-error.log", "apache-access.log", "apache-error.log"}) {
    logs += ReadFile(TestEnv().state_dir + "/log/" + f);
  }
  EXPECT_NE(logs.find("auth_failed"), std::string::npos) << "failures are logged";
  EXPECT_EQ(logs.find(token), std::string::npos);
  EXPECT_EQ(logs.find(password), std::string::npos);
  std::string audit;
  soci::rowset<soci::row> rs = Db().prepare
                               << "SELECT CONCAT_WS(' ', actor, COALESCE(changes, ''), "
                                  "COALESCE(detail, '')) FROM audit_log";
  for (const auto& row : rs) audit += row.get<std::string>(0) + "\n";
  EXPECT_EQ(audit.find(token), std::string::npos);
  EXPECT_EQ(audit.find(password), std::string::npos);
  std::string stored;
  std::string id = r.json().Find("id")->as_string();
  Db() << "SELECT attributes FROM scim_users WHERE id = :id", soci::into(stored), soci::use(id);
  EXPECT_EQ(stored.find(password), std::string::npos);
  // What is stored (and what the directory gets) is a hash of it.
  auto attributes = ParseJson(stored);
  ASSERT_TRUE(attributes.ok()) << stored;
  const Json* hash = attributes.value().Find("password");
  ASSERT_NE(hash, nullptr) << stored;
  EXPECT_TRUE(util::VerifyPassword(password, hash->as_string())) << hash->as_string();
  EXPECT_FALSE(util::VerifyPassword(password + "x", hash->as_string()));
}

}  // namespace
}  // namespace scim::it
