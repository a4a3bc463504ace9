// The application's own users (issue 10, DESIGN §5a and §6) on the
// bundled default mapping: rows the application inserts into
// directory_users itself are found by the IdP's lookups at once with a
// stable id, listed by GET /Users pages, changed by PATCH in that very row;
// the application's own deactivations and role changes are kept, not
// drift; POST of a userName the application has is a uniqueness clash;
// protected accounts are invisible to SCIM; every adoption is audited.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>

#include "tests/integration/env.h"
#include "tests/integration/lifecycles.h"

namespace scim::it {
namespace {

Response PatchActive(const std::string& id, bool active, const std::string& more = "") {
  return Scim("PATCH", "/Users/" + id,
              PatchOps(R"([{"op":"replace","value":{"active":)" +
                       std::string(active ? "true" : "false") + more + "}}]"));
}

// A row inserted the way an application does at SSO sign-up. Returns its
// key (directory_users.id) as text.
std::string AppRow(const std::string& name, bool active, const std::string& role,
                   const std::string& email) {
  int a = active ? 1 : 0;
  std::string r = role, e = email;
  Db() << "INSERT INTO directory_users (user_name, given_name, family_name, display_name, email, "
          "role, active, created_at, updated_at) VALUES (:n, 'Bob', 'Builder', 'Bob Builder', :e, "
          ":r, :a, NOW(3), NOW(3))",
      soci::use(name), soci::use(e), soci::use(r), soci::use(a);
  long long id = 0;
  Db() << "SELECT LAST_INSERT_ID()", soci::into(id);
  return std::to_string(id);
}

std::string AppRow(const std::string& name, bool active = true) {
  return AppRow(name, active, "Moderator", name);
}

// The one user a lookup found (a test failure otherwise): its id.
std::string FoundId(const Response& r) {
  EXPECT_EQ(TotalOf(r), 1) << r.body;
  Json j = r.json();
  const Json* res = j.Find("Resources");
  if (!res || res->as_array().size() != 1) return "";
  return res->as_array()[0].Find("id")->as_string();
}

std::string FindByName(const std::string& name) {
  return FoundId(Lookup("userName eq \"" + name + "\""));
}

// The row's link: its SCIM id ("" when none).
std::string LinkOf(const std::string& key) {
  return SqlText("SELECT scim_id FROM directory_links WHERE app_key = :k", key);
}

long long Audits(const std::string& id, const std::string& operation) {
  return SqlNum(
      "SELECT COUNT(*) FROM audit_log WHERE resource_id = :id AND operation = '" + operation + "'",
      id);
}

long long RowActive(const std::string& key) {
  return SqlNum("SELECT active FROM directory_users WHERE id = :k", key);
}

// Waits until the daemon applied version `version` of the user.
bool Applied(const std::string& id, long long version) {
  return WaitUntil([&] { return SqlNum(DirUserSql("l.applied_version"), id) >= version; });
}

long long OpenConflicts(const std::string& id) {
  return SqlNum("SELECT COUNT(*) FROM sync_conflicts WHERE scim_id = :id AND open_key IS NOT NULL",
                id);
}

std::string NewName(const std::string& prefix) { return Unique(prefix) + "@example.com"; }

TEST(ApplicationTest, UserNameLookupFindsANewRowAtOnceWithAStableId) {
  StackDaemonPaused paused;  // the lookup, not the daemon, makes it visible
  ASSERT_TRUE(paused.ok());
  std::string name = NewName("bob");
  std::string key = AppRow(name);
  std::string id = FindByName(Upper(name));  // userName is caseExact=false
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(FindByName(name), id) << "a stable id";
  EXPECT_EQ(LinkOf(key), id);

  Response got = Scim("GET", "/Users/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  Json u = got.json();
  EXPECT_EQ(u.Find("userName")->as_string(), name);
  EXPECT_EQ(u.Find("name")->Find("givenName")->as_string(), "Bob");
  EXPECT_EQ(u.Find("name")->Find("familyName")->as_string(), "Builder");
  EXPECT_EQ(u.Find("displayName")->as_string(), "Bob Builder");
  ASSERT_NE(u.Find("emails"), nullptr) << got.body;
  const Json& email = u.Find("emails")->as_array().at(0);
  EXPECT_EQ(email.Find("value")->as_string(), name);
  EXPECT_EQ(email.Find("type")->as_string(), "work");
  EXPECT_TRUE(email.Find("primary")->as_bool());
  EXPECT_TRUE(u.Find("active")->as_bool());
  EXPECT_EQ(u.Find("userType")->as_string(), "Moderator");

  EXPECT_EQ(Audits(id, "adopt"), 1) << "every adoption is audited, once";
  EXPECT_EQ(
      SqlText("SELECT actor FROM audit_log WHERE resource_id = :id AND operation = 'adopt'", id),
      "scim-fcgi");
  EXPECT_EQ(SqlNum("SELECT COUNT(*) FROM change_queue WHERE resource_id = :id", id), 0)
      << "the row already is what SCIM shows";
}

TEST(ApplicationTest, EmailLookupsFindAndAdoptTheRow) {
  StackDaemonPaused paused;
  ASSERT_TRUE(paused.ok());
  for (std::string filter :
       {"emails.value eq \"%s\"", "emails[type eq \"work\"].value eq \"%s\""}) {
    SCOPED_TRACE(filter);
    std::string name = Unique("carol");
    std::string email = Unique("carol.mail") + "@example.org";
    std::string key = AppRow(name, true, "Registered", email);
    filter.replace(filter.find("%s"), 2, email);
    std::string id = FoundId(Lookup(filter));
    ASSERT_FALSE(id.empty());
    EXPECT_EQ(LinkOf(key), id);
    EXPECT_EQ(Audits(id, "adopt"), 1);
    EXPECT_EQ(FindByName(name), id);
  }
}

TEST(ApplicationTest, ALookupThatFindsNothingWritesNothing) {
  StackDaemonPaused paused;  // nothing else writes meanwhile
  ASSERT_TRUE(paused.ok());
  auto counts = [] {
    long long links = 0, audit = 0;
    Db() << "SELECT COUNT(*) FROM directory_links", soci::into(links);
    Db() << "SELECT COALESCE(MAX(id), 0) FROM audit_log", soci::into(audit);
    return std::make_pair(links, audit);
  };
  SharedToken();  // made (and audited) before counting
  auto before = counts();
  std::string nobody = NewName("nobody");
  EXPECT_EQ(TotalOf(Lookup("userName eq \"" + nobody + "\"")), 0);
  EXPECT_EQ(TotalOf(Lookup("emails.value eq \"" + nobody + "\"")), 0);
  EXPECT_EQ(TotalOf(Lookup("externalId eq \"" + nobody + "\"")), 0);
  EXPECT_EQ(counts(), before);
  // The same counts do move when a lookup finds a row: one link, one audit.
  std::string name = NewName("somebody");
  AppRow(name);
  EXPECT_EQ(TotalOf(Lookup("userName eq \"" + name + "\"")), 1);
  auto after = counts();
  EXPECT_EQ(after.first, before.first + 1);
  EXPECT_GT(after.second, before.second);
}

TEST(ApplicationTest, ReconcileMakesRowsVisibleAndAuditsEachAdoption) {
  StackDaemonPaused paused;  // reconcile, not the daemon, adopts them
  ASSERT_TRUE(paused.ok());
  std::string on = AppRow(NewName("rc-seen")), off = AppRow(NewName("rc-seen-off"), false);
  CmdResult rc = Reconcile();
  ASSERT_EQ(rc.exit_code, 0) << rc.out << rc.err;
  for (const std::string& key : {on, off}) {
    std::string id = LinkOf(key);
    ASSERT_FALSE(id.empty()) << key;
    EXPECT_EQ(
        SqlText("SELECT actor FROM audit_log WHERE resource_id = :id AND operation = 'adopt'", id),
        "scim-syncd reconcile");
    EXPECT_EQ(Scim("GET", "/Users/" + id).status, 200);
  }
  EXPECT_EQ(RowActive(off), 0);
  EXPECT_EQ(SqlText(DirUserSql("l.local_deactivated_by"), LinkOf(off)), "application");
}

// Every page of GET /Users at count=100 (Okta's import): the ids in order.
std::vector<std::string> AllPagesByIndex() {
  std::vector<std::string> ids;
  int64_t total = -1;
  for (int64_t start = 1; total < 0 || start <= total; start += 100) {
    Response page = Scim("GET", "/Users?startIndex=" + std::to_string(start) + "&count=100");
    Json j = page.json();
    if (total < 0) total = TotalOf(page);
    EXPECT_EQ(TotalOf(page), total) << "the same total on every page";
    size_t n = j.Find("Resources") ? j.Find("Resources")->as_array().size() : 0;
    EXPECT_EQ(j.Find("itemsPerPage")->as_int(), static_cast<int64_t>(n));
    EXPECT_EQ(static_cast<int64_t>(n), std::min<int64_t>(100, total - start + 1));
    if (n == 0) break;
    for (const auto& r : j.Find("Resources")->as_array()) ids.push_back(r.Find("id")->as_string());
  }
  EXPECT_EQ(static_cast<int64_t>(ids.size()), total);
  return ids;
}

std::vector<std::string> AllPagesByCursor() {
  std::vector<std::string> ids;
  std::string cursor;
  for (int i = 0; i < 100000; ++i) {
    Response page = Scim("GET", "/Users?count=100&cursor=" + cursor);
    EXPECT_EQ(page.status, 200) << page.body;
    Json j = page.json();
    if (const Json* res = j.Find("Resources")) {
      for (const auto& r : res->as_array()) ids.push_back(r.Find("id")->as_string());
    }
    const Json* next = j.Find("nextCursor");
    if (!next) break;
    cursor = next->as_string();
  }
  return ids;
}

TEST(ApplicationTest, TheDaemonMakesNewRowsVisibleToListingsWithoutALookup) {
  std::string name = NewName("listed");
  std::string key = AppRow(name);
  ASSERT_TRUE(WaitUntil([&] { return !LinkOf(key).empty(); })) << "the daemon adopts it";
  std::string id = LinkOf(key);
  EXPECT_EQ(
      SqlText("SELECT actor FROM audit_log WHERE resource_id = :id AND operation = 'adopt'", id),
      "scim-syncd");
  for (const auto& ids : {AllPagesByIndex(), AllPagesByCursor()}) {
    EXPECT_EQ(std::count(ids.begin(), ids.end(), id), 1) << "in exactly one page";
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size()) << "no repeats";
  }
  EXPECT_EQ(FindByName(name), id);
}

TEST(ApplicationTest, PatchActiveChangesThatVeryRow) {
  std::string name = NewName("patched");
  std::string key = AppRow(name);
  std::string id = FindByName(name);
  ASSERT_FALSE(id.empty());
  Response off = PatchActive(id, false);
  ASSERT_EQ(off.status, 200) << off.body;
  ASSERT_TRUE(Applied(id, 2));
  EXPECT_EQ(RowActive(key), 0);
  EXPECT_EQ(SqlNum(DirUserSql("d.id"), id), std::stoll(key)) << "the same row";
  Response on = PatchActive(id, true);
  ASSERT_EQ(on.status, 200) << on.body;
  ASSERT_TRUE(Applied(id, 3));
  EXPECT_EQ(RowActive(key), 1);
  EXPECT_EQ(SqlNum("SELECT COUNT(*) FROM directory_users WHERE user_name = :n", name), 1);
  EXPECT_EQ(SqlText("SELECT role FROM directory_users WHERE id = :k", key), "Moderator")
      << "the adopted account keeps its role";
}

// The case at the top of issue 10: the application's admin page
// deactivates a SCIM user; reconcile keeps it so while the IdP wants it
// active, until the application reactivates it.
TEST(ApplicationTest, ADeactivationInTheApplicationSurvivesReconcile) {
  std::string name = NewName("admin-page");
  std::string id = IdOf(Scim("POST", "/Users", UserBody(name, R"(,"active":true)")));
  ASSERT_TRUE(Applied(id, 1));
  std::string key = std::to_string(SqlNum(DirUserSql("d.id"), id));
  Db() << "UPDATE directory_users SET active = 0 WHERE id = :k", soci::use(key);

  CmdResult rc = Reconcile();
  ASSERT_EQ(rc.exit_code, 0) << rc.out << rc.err;
  EXPECT_EQ(RowActive(key), 0) << "not reactivated";
  EXPECT_EQ(OpenConflicts(id), 1) << "the IdP wants the user active";
  EXPECT_EQ(SqlText(DirUserSql("l.local_deactivated_by"), id), "application");
  EXPECT_EQ(Audits(id, "local_deactivation"), 1);
  CmdResult listed = Ctl({"conflicts"});
  EXPECT_NE(listed.out.find(name), std::string::npos) << listed.out;

  // The IdP insists: everything else applies, active stays off.
  ASSERT_EQ(PatchActive(id, true, R"(,"displayName":"Insisted")").status, 200);
  ASSERT_TRUE(Applied(id, 2));
  EXPECT_EQ(RowActive(key), 0);
  EXPECT_EQ(SqlText(DirUserSql("d.display_name"), id), "Insisted");
  ASSERT_EQ(Reconcile().exit_code, 0);
  EXPECT_EQ(RowActive(key), 0);
  EXPECT_EQ(OpenConflicts(id), 1);
  EXPECT_EQ(SqlNum("SELECT COUNT(*) FROM sync_conflicts WHERE scim_id = :id", id), 1);

  // The application reactivates it: the user follows the IdP again.
  Db() << "UPDATE directory_users SET active = 1 WHERE id = :k", soci::use(key);
  ASSERT_EQ(PatchActive(id, false).status, 200);
  ASSERT_TRUE(Applied(id, 3));
  EXPECT_EQ(RowActive(key), 0);
  EXPECT_EQ(OpenConflicts(id), 0);
  ASSERT_EQ(PatchActive(id, true).status, 200);
  ASSERT_TRUE(Applied(id, 4));
  EXPECT_EQ(RowActive(key), 1) << "no local deactivation left";
  EXPECT_EQ(Audits(id, "local_reactivation"), 1);
}

TEST(ApplicationTest, ARowInactiveWhenFirstSeenStaysInactive) {
  std::string name = NewName("was-off");
  std::string key = AppRow(name, false);
  std::string id = FindByName(name);
  ASSERT_FALSE(id.empty());
  EXPECT_FALSE(Scim("GET", "/Users/" + id).json().Find("active")->as_bool());
  EXPECT_EQ(SqlText(DirUserSql("l.local_deactivated_by"), id), "application");

  Response on = PatchActive(id, true);  // Okta's reactivation push
  ASSERT_EQ(on.status, 200) << on.body;
  ASSERT_TRUE(Applied(id, 2));
  EXPECT_EQ(RowActive(key), 0) << "local_wins";
  EXPECT_TRUE(Scim("GET", "/Users/" + id).json().Find("active")->as_bool())
      << "GET shows what the IdP wrote, so its push does not loop";
  EXPECT_EQ(OpenConflicts(id), 1);
  CmdResult listed = Ctl({"conflicts"});
  EXPECT_NE(listed.out.find(name), std::string::npos) << listed.out;
}

TEST(ApplicationTest, ALocalRoleChangeStaysUntilTheSwitchAllowsTheIdpsRole) {
  std::string name = NewName("promoted");
  std::string id = IdOf(Scim("POST", "/Users", UserBody(name, R"(,"userType":"Registered")")));
  ASSERT_TRUE(Applied(id, 1));
  std::string key = std::to_string(SqlNum(DirUserSql("d.id"), id));
  Db() << "UPDATE directory_users SET role = 'Admin' WHERE id = :k", soci::use(key);
  auto title = [&](const std::string& t) {
    return Scim(
        "PATCH", "/Users/" + id,
        PatchOps(R"([{"op":"replace","value":{"userType":"Registered","title":")" + t + R"("}}])"));
  };
  ASSERT_EQ(title("one").status, 200);
  ASSERT_TRUE(Applied(id, 2));
  EXPECT_EQ(SqlText("SELECT role FROM directory_users WHERE id = :k", key), "Admin");
  EXPECT_EQ(SqlNum("SELECT COUNT(*) FROM audit_log WHERE resource_id = :id AND operation = 'role' "
                   "AND outcome = 'not_applied' AND detail LIKE '%application set this role%'",
                   id),
            1);
  {
    ScopedSetting admin("allow_admin_promotion", "on", "off");
    ASSERT_EQ(title("two").status, 200);
    ASSERT_TRUE(Applied(id, 3));
  }
  EXPECT_EQ(SqlText("SELECT role FROM directory_users WHERE id = :k", key), "Registered");
  EXPECT_EQ(
      SqlNum("SELECT COUNT(*) FROM audit_log WHERE resource_id = :id AND operation = 'role' "
             "AND outcome = 'applied' AND detail LIKE '%replaced a role the application set%'",
             id),
      1);
}

TEST(ApplicationTest, PostOfAUserNameTheApplicationHasIsAUniquenessClash) {
  StackDaemonPaused paused;  // the row stays unseen by SCIM
  ASSERT_TRUE(paused.ok());
  std::string name = NewName("existing");
  AppRow(name);
  for (const std::string& asked : {name, Upper(name)}) {
    Response r = Scim("POST", "/Users", UserBody(asked));
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.json().Find("scimType")->as_string(), "uniqueness");
  }
  EXPECT_EQ(SqlNum("SELECT COUNT(*) FROM directory_users WHERE user_name = :n", name), 1);
  EXPECT_EQ(SqlNum("SELECT COUNT(*) FROM scim_users WHERE user_name = :n", name), 0);
  EXPECT_EQ(SqlNum("SELECT COUNT(*) FROM change_queue c JOIN scim_users s ON s.id = c.resource_id "
                   "WHERE s.user_name = :n",
                   name),
            0);
}

TEST(ApplicationTest, AProtectedAccountIsInvisibleAndNeverChanged) {
  std::string name = NewName("break-glass");
  std::string key = AppRow(name);
  std::string id = FindByName(name);
  ASSERT_FALSE(id.empty());
  {
    StackDaemonPaused paused;  // a change queued before the protection
    ASSERT_TRUE(paused.ok());
    ASSERT_EQ(PatchActive(id, false, R"(,"displayName":"Changed")").status, 200);
    CmdResult p = Ctl({"user", "protect", name, "--reason", "break-glass admin"});
    ASSERT_EQ(p.exit_code, 0) << p.err;
  }
  EXPECT_TRUE(WaitUntil([&] {
    return SqlNum(
               "SELECT COUNT(*) FROM audit_log WHERE resource_id = :id AND "
               "outcome = 'not_applied'",
               id) == 1;
  }));
  EXPECT_EQ(
      SqlNum("SELECT COUNT(*) FROM change_queue WHERE resource_id = :id AND status <> 'done'", id),
      0);
  EXPECT_EQ(RowActive(key), 1);
  EXPECT_EQ(SqlText("SELECT display_name FROM directory_users WHERE id = :k", key), "Bob Builder");
  EXPECT_EQ(TotalOf(Lookup("userName eq \"" + name + "\"")), 0);
  EXPECT_EQ(Scim("GET", "/Users/" + id).status, 404);
  EXPECT_EQ(Scim("POST", "/Users", UserBody(name)).status, 409) << "never a second account";
  ASSERT_EQ(Reconcile().exit_code, 0);
  EXPECT_EQ(TotalOf(Lookup("userName eq \"" + name + "\"")), 0) << "reconcile leaves it alone";

  ASSERT_EQ(Ctl({"user", "unprotect", name}).exit_code, 0);
  std::string again = FindByName(name);
  EXPECT_FALSE(again.empty());
  EXPECT_EQ(LinkOf(key), again);
}

}  // namespace
}  // namespace scim::it
