// The sample application (tests/data/app_schema.sql, mapped by
// tests/data/app_mapping.conf; docs/APPLICATION.md "A worked example") as
// the target: the Okta and Entra lifecycles land in its members, teams and
// team_members with its own values (status active/suspended, rank
// user/mod/admin); its existing and its suspended members are kept as the
// application has them. scripts/test.sh runs this suite on a stack of its
// own started with that mapping; the schema is read from the stack's
// config (directory.table).
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/integration/env.h"
#include "tests/integration/lifecycles.h"

namespace scim::it {
namespace {

// The sample's schema; a test failure when the stack maps another table.
std::string Schema() {
  const auto& m = TestEnv().config.directory;
  EXPECT_EQ(m.table.table, "members")
      << "AppSchemaTest needs the stack of scripts/test.sh with tests/data/app_mapping.conf";
  return m.table.schema;
}

std::string T(const std::string& table) { return "`" + Schema() + "`." + table; }

// A key column as directory_links.app_key holds it.
std::string KeyText(const std::string& column) {
  return "CAST(" + column + " AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_bin";
}

std::string MembersLinked() {
  return T("members") + " a JOIN directory_links l ON l.app_key = " + KeyText("a.member_id");
}

// A column of the member row linked to SCIM user :id.
std::string Member(const std::string& column, const std::string& id) {
  return SqlText(
      "SELECT CAST(a." + column + " AS CHAR) FROM " + MembersLinked() + " WHERE l.scim_id = :id",
      id);
}

std::string RoleOf(const std::string& rank) {
  if (rank == "user") return "Registered";
  if (rank == "mod") return "Moderator";
  if (rank == "admin") return "Admin";
  ADD_FAILURE() << "rank '" << rank << "' is none of the mapping's values";
  return "";
}

class SampleDirectory : public AppDirectory {
 public:
  std::optional<AppUser> User(const std::string& id) override {
    AppUser u;
    std::string status, rank, k = id;
    soci::indicator fi, li, mi;
    Db() << "SELECT l.applied_version, a.login, a.`first`, a.`last`, a.mail, a.status, a.`rank` "
            "FROM " +
                MembersLinked() + " WHERE l.scim_id = :id",
        soci::into(u.applied_version), soci::into(u.user_name), soci::into(u.given_name, fi),
        soci::into(u.family_name, li), soci::into(u.email, mi), soci::into(status),
        soci::into(rank), soci::use(k);
    if (!Db().got_data()) return std::nullopt;
    EXPECT_TRUE(status == "active" || status == "suspended") << status;
    u.active = status == "active";
    u.role = RoleOf(rank);
    return u;  // display_name: the sample has no column for it
  }
  std::optional<AppGroup> Group(const std::string& id) override {
    AppGroup g;
    std::string k = id;
    Db() << "SELECT gl.applied_version, t.name FROM " + T("teams") +
                " t JOIN directory_group_links gl ON gl.app_key = " + KeyText("t.team_id") +
                " WHERE gl.scim_id = :g",
        soci::into(g.applied_version), soci::into(g.name), soci::use(k);
    if (!Db().got_data()) return std::nullopt;
    soci::rowset<std::string> members =
        (Db().prepare << "SELECT l.scim_id FROM " + T("team_members") +
                             " m JOIN directory_group_links gl ON gl.app_key = " +
                             KeyText("m.team_id") + " JOIN directory_links l ON l.app_key = " +
                             KeyText("m.member_id") + " WHERE gl.scim_id = :g",
         soci::use(k));
    g.member_ids.assign(members.begin(), members.end());
    std::sort(g.member_ids.begin(), g.member_ids.end());
    return g;
  }
};

bool Applied(const std::string& id, long long version) {
  SampleDirectory dir;
  return WaitUntil([&] {
    auto u = dir.User(id);
    return u && u->applied_version >= version;
  });
}

TEST(AppSchemaTest, TheOktaLifecycleLandsInTheApplicationsTables) {
  SampleDirectory dir;
  LifecycleIds ids;
  OktaLifecycle(dir, &ids);
  if (HasFatalFailure()) return;
  EXPECT_EQ(Member("`rank`", ids.user), "user");
  EXPECT_EQ(Member("is_staff", ids.user), "0") << "not mapped: never written";
  EXPECT_EQ(SqlNum("SELECT COUNT(*) FROM " + T("team_members") + " m JOIN " + MembersLinked() +
                       " ON a.member_id = m.member_id WHERE l.scim_id = :id",
                   ids.user),
            1);
}

TEST(AppSchemaTest, TheEntraLifecycleLandsInTheApplicationsTables) {
  SampleDirectory dir;
  LifecycleIds ids;
  EntraLifecycle(dir, &ids);
  if (HasFatalFailure()) return;
  EXPECT_EQ(Member("status", ids.user), "suspended") << "deleted in SCIM: kept, suspended";
  EXPECT_EQ(Member("`rank`", ids.user), "user") << "Admin needs allow_admin_promotion";
}

// An account the application had before SCIM, suspended by its admins.
TEST(AppSchemaTest, AnExistingSuspendedMemberIsFoundAndStaysSuspended) {
  std::string login = Unique("old.member") + "@example.com";
  Db() << "INSERT INTO " + T("members") +
              " (login, `first`, `last`, mail, status, `rank`, is_staff, joined_at) VALUES "
              "(:l, 'Old', 'Member', :l2, 'suspended', 'mod', 1, '2001-02-03 04:05:06')",
      soci::use(login), soci::use(login);
  Response found = Lookup("userName eq \"" + Upper(login) + "\"");  // caseExact=false
  ASSERT_EQ(TotalOf(found), 1) << found.body;
  std::string id = found.json().Find("Resources")->as_array()[0].Find("id")->as_string();
  Json u = Scim("GET", "/Users/" + id).json();
  EXPECT_FALSE(u.Find("active")->as_bool());
  EXPECT_EQ(u.Find("userType")->as_string(), "Moderator");
  EXPECT_EQ(u.Find("name")->Find("givenName")->as_string(), "Old");
  EXPECT_EQ(Scim("POST", "/Users", UserBody(login)).status, 409) << "never a second account";

  Response on =
      Scim("PATCH", "/Users/" + id, PatchOps(R"([{"op":"replace","path":"active","value":true},
                                  {"op":"replace","path":"name.givenName","value":"New"}])"));
  ASSERT_EQ(on.status, 200) << on.body;
  ASSERT_TRUE(Applied(id, 2));
  EXPECT_EQ(Member("status", id), "suspended") << "local_wins";
  EXPECT_EQ(Member("`first`", id), "New");
  EXPECT_EQ(Member("`rank`", id), "mod");
  EXPECT_EQ(Member("is_staff", id), "1");
  EXPECT_EQ(Member("joined_at", id), "2001-02-03 04:05:06");
  CmdResult listed = Ctl({"conflicts"});
  EXPECT_NE(listed.out.find(login), std::string::npos) << listed.out;

  // Its groups land in the application's teams too.
  std::string team = Unique("team");
  Response g =
      Scim("POST", "/Groups",
           R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":")" + team +
               R"(","members":[{"value":")" + id + R"("}]})");
  ASSERT_EQ(g.status, 201) << g.body;
  std::string gid = g.json().Find("id")->as_string();
  SampleDirectory dir;
  EXPECT_TRUE(WaitUntil([&] {
    auto got = dir.Group(gid);
    return got && got->name == team && got->member_ids == std::vector<std::string>{id};
  }));
}

// The application's admin page suspends a member: reconcile keeps it.
TEST(AppSchemaTest, ASuspensionInTheApplicationIsKeptByReconcile) {
  std::string login = Unique("suspended.here") + "@example.com";
  std::string id = IdOf(Scim("POST", "/Users", UserBody(login, R"(,"active":true)")));
  ASSERT_TRUE(Applied(id, 1));
  EXPECT_EQ(Member("status", id), "active");
  Db() << "UPDATE " + T("members") + " SET status = 'suspended' WHERE login = :l", soci::use(login);
  CmdResult rc = Reconcile();
  ASSERT_EQ(rc.exit_code, 0) << rc.out << rc.err;
  EXPECT_EQ(Member("status", id), "suspended");
  CmdResult listed = Ctl({"conflicts"});
  EXPECT_NE(listed.out.find(login), std::string::npos) << listed.out;
  EXPECT_EQ(SqlNum("SELECT COUNT(*) FROM audit_log WHERE resource_id = :id AND "
                   "operation = 'local_deactivation'",
                   id),
            1);

  // Reactivated in the application: it follows the IdP again.
  Db() << "UPDATE " + T("members") + " SET status = 'active' WHERE login = :l", soci::use(login);
  for (bool active : {false, true}) {
    std::string value = active ? "true" : "false";
    ASSERT_EQ(Scim("PATCH", "/Users/" + id,
                   PatchOps(R"([{"op":"replace","path":"active","value":)" + value + "}]"))
                  .status,
              200);
    ASSERT_TRUE(Applied(id, active ? 3 : 2));
    EXPECT_EQ(Member("status", id), active ? "active" : "suspended");
  }
}

TEST(AppSchemaTest, RolesAreWrittenAsTheApplicationsRanks) {
  ScopedSetting mod("allow_moderator_promotion", "on", "off");
  ScopedSetting admin("allow_admin_promotion", "on", "off");
  std::string id =
      IdOf(Scim("POST", "/Users", UserBody(Unique("ranked"), R"(,"userType":"Moderator")")));
  ASSERT_TRUE(Applied(id, 1));
  EXPECT_EQ(Member("`rank`", id), "mod");
  ASSERT_EQ(Scim("PATCH", "/Users/" + id,
                 PatchOps(R"([{"op":"replace","path":"userType","value":"Admin"}])"))
                .status,
            200);
  ASSERT_TRUE(Applied(id, 2));
  EXPECT_EQ(Member("`rank`", id), "admin");
}

// scimsync keeps what it knows in its own tables: the application's
// schema has exactly the tables and columns it was made with.
TEST(AppSchemaTest, TheApplicationsSchemaIsUntouched) {
  std::string schema = Schema();
  soci::rowset<std::string> rs =
      (Db().prepare << "SELECT CONCAT(table_name, '.', column_name) FROM "
                       "information_schema.columns WHERE table_schema = :s "
                       "ORDER BY BINARY table_name, ordinal_position",
       soci::use(schema));
  std::vector<std::string> columns(rs.begin(), rs.end());
  EXPECT_EQ(columns, (std::vector<std::string>{
                         "members.member_id", "members.login", "members.first", "members.last",
                         "members.mail", "members.status", "members.rank", "members.is_staff",
                         "members.joined_at", "team_members.team_id", "team_members.member_id",
                         "teams.team_id", "teams.name"}));
}

}  // namespace
}  // namespace scim::it
