// The readers behind scimctl's listings (and the future admin console),
// called directly against the stack's MariaDB: the audit log filtered by
// time and user (db::ReadAudit), tokens listed and revoked by id or name
// (db::ListTokens, db::RevokeTokens). The scimctl tests cover the printing.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/db/connection.h"
#include "common/db/mysql_token_store.h"
#include "common/db/sync_rows.h"
#include "common/util/system.h"
#include "tests/integration/env.h"

namespace scim::it {
namespace {

db::AuditFilter Since(int64_t since_ms, const std::string& user_name) {
  db::AuditFilter f;
  f.since_ms = since_ms;
  f.user_name = user_name;
  return f;
}

constexpr int64_t kHourMs = 3600 * 1000;

// The listed token with this id; fails the test when it is not listed.
db::ListedToken Listed(int64_t id) {
  std::vector<db::ListedToken> all = db::ListTokens(Db());
  auto it = std::find_if(all.begin(), all.end(), [id](const auto& t) { return t.id == id; });
  EXPECT_NE(it, all.end()) << "token " << id << " not listed";
  return it == all.end() ? db::ListedToken{} : *it;
}

TEST(AdminReadersTest, ReadAuditReturnsTheRowsOfOneUserSinceATime) {
  std::string user = Unique("audit-reader"), other = Unique("audit-other");
  db::InsertAudit(Db(), {"tester", "req-1", "127.0.0.1", "User", "id-1", user, "patch",
                         R"({"title":"B"})", "ok", ""});
  db::InsertAudit(Db(), {"tester", "", "", "", "", other, "create", "", "ok", "x"});
  int64_t now = util::SystemClock().NowMillis();

  std::vector<db::AuditEntry> mine = db::ReadAudit(Db(), Since(now - kHourMs, user));
  ASSERT_EQ(mine.size(), 1u);
  const db::AuditRow& r = mine[0].row;
  EXPECT_EQ(r.actor, "tester");
  EXPECT_EQ(r.request_id, "req-1");
  EXPECT_EQ(r.client, "127.0.0.1");
  EXPECT_EQ(r.resource_type + "/" + r.resource_id, "User/id-1");
  EXPECT_EQ(r.user_name, user);
  EXPECT_EQ(r.operation + " " + r.changes + " " + r.outcome, R"(patch {"title":"B"} ok)");
  EXPECT_EQ(r.detail, "") << "NULL reads as empty";
  EXPECT_EQ(mine[0].at.size(), 27u) << mine[0].at;  // YYYY-MM-DDTHH:MM:SS.ffffffZ
  EXPECT_EQ(mine[0].at.back(), 'Z');

  EXPECT_TRUE(db::ReadAudit(Db(), Since(now + kHourMs, user)).empty()) << "since is a lower bound";
  std::vector<db::AuditEntry> all = db::ReadAudit(Db(), Since(now - kHourMs, ""));
  auto pos = [&all](const std::string& u) {
    return std::find_if(all.begin(), all.end(),
                        [&u](const auto& e) { return e.row.user_name == u; });
  };
  ASSERT_NE(pos(user), all.end());
  ASSERT_NE(pos(other), all.end());
  EXPECT_LT(pos(user), pos(other)) << "oldest first";
}

TEST(AdminReadersTest, RevokeTokensByNameOrIdAndListTheirStatus) {
  db::Connection conn(TestEnv().config.db);
  db::MysqlTokenStore store(conn);
  std::string name = Unique("reader-token");
  auto first = store.Create(name, Unique("hash-a"), "tester");
  auto second = store.Create(name, Unique("hash-b"), "tester");  // names need not be unique
  auto third = store.Create(name + "-x", Unique("hash-c"), "tester",
                            util::SystemClock().NowMillis() + kHourMs);
  ASSERT_TRUE(first.ok() && second.ok() && third.ok());

  db::ListedToken t = Listed(third.value());
  EXPECT_EQ(t.name, name + "-x");
  EXPECT_EQ(t.status, "active");
  EXPECT_EQ(t.last_used, "-");
  EXPECT_EQ(t.expires.size(), 20u) << t.expires;  // YYYY-MM-DDTHH:MM:SSZ
  EXPECT_EQ(Listed(first.value()).expires, "-");

  EXPECT_EQ(db::RevokeTokens(Db(), -1, name), 2) << "both tokens of that name";
  EXPECT_EQ(db::RevokeTokens(Db(), -1, name), 0) << "already revoked";
  EXPECT_EQ(Listed(first.value()).status, "revoked");
  EXPECT_EQ(Listed(third.value()).status, "active");
  EXPECT_EQ(db::RevokeTokens(Db(), third.value(), "no-such-name"), 1) << "by id";
  EXPECT_EQ(Listed(third.value()).status, "revoked");
}

}  // namespace
}  // namespace scim::it
