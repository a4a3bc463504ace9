#include "common/config/directory_mapping.h"

#include <gtest/gtest.h>

#include "common/config/config.h"
#include "tests/scim_matchers.h"

namespace scim::config {
namespace {

using sync::Role;

// The sample application of docs/APPLICATION.md and the integration test.
constexpr const char* kSample =
    "directory.table = app.members\n"
    "directory.key = member_id\n"
    "directory.column.user_name = login\n"
    "directory.column.given_name = first\n"
    "directory.column.family_name = last\n"
    "directory.column.display_name =\n"
    "directory.column.email = mail\n"
    "directory.column.active = status\n"
    "directory.active_values = active, suspended\n"
    "directory.column.role = rank\n"
    "directory.role_values = Registered=user, Moderator=mod, Admin=admin\n";

DirectoryMapping Sample() {
  auto c = ParseConfig(kSample);
  EXPECT_SCIM_OK(c);
  return c.ok() ? c.value().directory : DirectoryMapping{};
}

TEST(DirectoryMappingTest, ParsesTheSampleMapping) {
  DirectoryMapping m = Sample();
  EXPECT_EQ(m.table, (TableName{"app", "members"}));
  EXPECT_EQ(m.key, "member_id");
  EXPECT_EQ(m.column(Attr::kUserName), "login");
  EXPECT_EQ(m.column(Attr::kEmail), "mail");
  EXPECT_FALSE(m.mapped(Attr::kDisplayName));
  EXPECT_FALSE(m.mapped(Attr::kExternalId));
  EXPECT_EQ(m.active_value, "active");
  EXPECT_EQ(m.inactive_value, "suspended");
  EXPECT_EQ(m.role_value(Role::kModerator), "mod");
  EXPECT_FALSE(m.groups);
}

TEST(DirectoryMappingTest, NoDirectoryKeyIsTheBundledTable) {
  auto c = ParseConfig("db.name = scimsync\n");
  ASSERT_SCIM_OK(c);
  const DirectoryMapping& m = c.value().directory;
  EXPECT_EQ(m.table, (TableName{"", "directory_users"}));
  EXPECT_EQ(m.key, "id");
  EXPECT_EQ(m.column(Attr::kUserName), "user_name");
  EXPECT_EQ(m.column(Attr::kActive), "active");
  EXPECT_EQ(ActiveToColumn(m, true), "1");
  EXPECT_EQ(ActiveToColumn(m, false), "0");
  EXPECT_EQ(RoleToColumn(m, Role::kAdmin), "Admin");
  EXPECT_TRUE(m.groups);
  EXPECT_EQ(m.member_table, (TableName{"", "directory_group_members"}));
  EXPECT_EQ(m.member_user_key_or_key(), "id");
  EXPECT_SCIM_OK(ValidateMapping(m));
}

TEST(DirectoryMappingTest, AnyDirectoryKeyReplacesTheWholeBundledMapping) {
  auto r = ParseConfig("directory.table = app.members\n");
  ASSERT_FALSE(r.ok());
  for (const char* key : {"directory.key", "directory.column.user_name", "directory.column.active",
                          "directory.active_values"}) {
    EXPECT_NE(r.error().detail.find(key), std::string::npos) << r.error().detail;
  }
}

TEST(DirectoryMappingTest, RejectsBadValuesWithTheLineNumber) {
  const char* cases[] = {
      "directory.table = app.members.x",
      "directory.table = app-x.members",
      "directory.table = .members",
      "directory.key = member id",
      "directory.column.email = mail;drop",
      "directory.column.email = `mail`",
      "directory.column.email = a234567890123456789012345678901234567890123456789012345678901234x",
      "directory.column.nickname = nick",
      "directory.colour = red",
      "directory.active_values = active",
      "directory.active_values = active, suspended, gone",
      "directory.active_values = on, ON",
      "directory.active_values = , off",
      "directory.role_values = Registered=u, Moderator=m",
      "directory.role_values = Registered=u, Moderator=u, Admin=a",
      "directory.role_values = Registered=u, Moderator=m, Admin=U",
      "directory.role_values = Registered=u, Registered=m, Admin=a",
      "directory.role_values = Owner=u, Moderator=m, Admin=a",
      "directory.role_values = Registered=, Moderator=m, Admin=a",
      "directory.role_values = Registered u, Moderator=m, Admin=a",
      "directory.groups = maybe",
  };
  for (const char* line : cases) {
    SCOPED_TRACE(line);
    auto r = ParseConfig(std::string(kSample) + line + "\n");
    EXPECT_SCIM_ERROR(r, 400, ScimType::kInvalidValue);
    if (!r.ok()) {
      EXPECT_NE(r.error().detail.find("line 12"), std::string::npos) << r.error().detail;
    }
  }
}

TEST(DirectoryMappingTest, ChecksTheKeysTogether) {
  struct Case {
    const char* extra;
    const char* says;
  } cases[] = {
      {"directory.column.user_name =\n", "directory.column.user_name"},
      {"directory.column.active =\n", "directory.column.active"},
      {"directory.active_values =\n", "directory.active_values"},
      {"directory.key =\n", "directory.key"},
      {"directory.column.title = first\n", "both name column first"},
      {"directory.column.display_name = LOGIN\n", "both name column"},
      {"directory.column.external_id = member_id\n", "the key must be a column scimsync never"},
      {"directory.column.role =\n", "directory.role_values is set but directory.column.role"},
      {"directory.role_values =\n", "directory.role_values (directory.column.role is set)"},
      {"directory.group_table = app.teams\n", "directory.group_table is set but directory.groups"},
      {"directory.member_user_key = login\n", "directory.member_user_key is set but"},
      {"directory.groups = tables\n", "directory.group_table is required"},
      {"directory.groups = tables\ndirectory.group_table = app.teams\n"
       "directory.group_key = team_id\ndirectory.group_column.display_name = name\n"
       "directory.member_table = app.team_members\ndirectory.member_column.group = team_id\n",
       "directory.member_column.user is required"},
      {"directory.groups = tables\ndirectory.group_table = app.members\n"
       "directory.group_key = team_id\ndirectory.group_column.display_name = name\n"
       "directory.member_table = app.team_members\ndirectory.member_column.group = team_id\n"
       "directory.member_column.user = member_id\n",
       "three different tables"},
      {"directory.groups = tables\ndirectory.group_table = app.teams\n"
       "directory.group_key = name\ndirectory.group_column.display_name = name\n"
       "directory.member_table = app.team_members\ndirectory.member_column.group = team_id\n"
       "directory.member_column.user = member_id\n",
       "directory.group_key and directory.group_column.display_name name one column"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.extra);
    auto r = ParseConfig(std::string(kSample) + c.extra);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().type, ScimType::kInvalidValue);
    EXPECT_NE(r.error().detail.find(c.says), std::string::npos) << r.error().detail;
  }
}

TEST(DirectoryMappingTest, TakesGroupTablesAndAColumnOfTheScimsyncDatabase) {
  auto c = ParseConfig(std::string(kSample) +
                       "directory.table = members\n"
                       "directory.groups = TABLES\ndirectory.group_table = app.teams\n"
                       "directory.group_key = team_id\ndirectory.group_column.display_name = name\n"
                       "directory.member_table = app.team_members\n"
                       "directory.member_column.group = team_id\n"
                       "directory.member_column.user = login_ref\n"
                       "directory.member_user_key = login\n");
  ASSERT_SCIM_OK(c);
  const DirectoryMapping& m = c.value().directory;
  EXPECT_EQ(m.table, (TableName{"", "members"}));
  EXPECT_TRUE(m.groups);
  EXPECT_EQ(m.member_user, "login_ref");
  EXPECT_EQ(m.member_user_key_or_key(), "login");
}

TEST(DirectoryMappingTest, IdentifiersAreLettersDigitsUnderscoreAndDollar) {
  for (const char* ok : {"members", "Member_2", "$x", "9lives", "_"}) {
    EXPECT_TRUE(IsIdentifier(ok)) << ok;
  }
  for (const char* bad : {"", "a b", "a.b", "a`b", "a'b", "a-b", "ä", "a;", "a\"b"}) {
    EXPECT_FALSE(IsIdentifier(bad)) << bad;
  }
  EXPECT_TRUE(IsIdentifier(std::string(64, 'a')));
  EXPECT_FALSE(IsIdentifier(std::string(65, 'a')));
}

TEST(DirectoryMappingTest, QuotesIdentifiersWithBackticks) {
  struct {
    std::string_view in, out;
  } cases[] = {{"members", "`members`"}, {"a`b", "`a``b`"}, {"``", "``````"}, {"", "``"}};
  for (const auto& c : cases) EXPECT_EQ(QuoteIdentifier(c.in), c.out) << c.in;
  EXPECT_EQ(QuoteTable({"app", "members"}), "`app`.`members`");
  EXPECT_EQ(QuoteTable({"", "directory_users"}), "`directory_users`");
  EXPECT_EQ(TableText({"", "directory_users"}, "scimsync"), "scimsync.directory_users");
  EXPECT_EQ(TableText({"app", "members"}, "scimsync"), "app.members");
}

TEST(DirectoryMappingTest, SelectListIsTheKeyThenEachMappedColumn) {
  DirectoryMapping m = Sample();
  EXPECT_EQ(SelectList(m, "d"),
            "`d`.`member_id`, `d`.`login`, `d`.`first`, `d`.`last`, `d`.`mail`, `d`.`status`, "
            "`d`.`rank`");
  EXPECT_EQ(SelectList(m, ""), "`member_id`, `login`, `first`, `last`, `mail`, `status`, `rank`");
  EXPECT_EQ(MappedAttrs(m), (std::vector<Attr>{Attr::kUserName, Attr::kGivenName, Attr::kFamilyName,
                                               Attr::kEmail, Attr::kActive, Attr::kRole}));
}

TEST(DirectoryMappingTest, ConvertsActiveValues) {
  DirectoryMapping m = Sample();
  struct {
    const char* value;
    std::optional<bool> active;
  } cases[] = {{"active", true},     {"ACTIVE", true},   {"suspended", false},
               {"Suspended", false}, {"", std::nullopt}, {"deleted", std::nullopt},
               {"1", std::nullopt}};
  for (const auto& c : cases) EXPECT_EQ(ActiveFromColumn(m, c.value), c.active) << c.value;
  EXPECT_EQ(ActiveToColumn(m, true), "active");
  EXPECT_EQ(ActiveToColumn(m, false), "suspended");
  for (bool b : {true, false}) EXPECT_EQ(ActiveFromColumn(m, ActiveToColumn(m, b)), b);
}

TEST(DirectoryMappingTest, ConvertsRoleValues) {
  DirectoryMapping m = Sample();
  EXPECT_EQ(RoleFromColumn(m, "user"), Role::kRegistered);
  EXPECT_EQ(RoleFromColumn(m, "MOD"), Role::kModerator);
  EXPECT_EQ(RoleFromColumn(m, "admin"), Role::kAdmin);
  EXPECT_EQ(RoleFromColumn(m, "Admin2"), std::nullopt);
  EXPECT_EQ(RoleFromColumn(m, "Moderator"), std::nullopt) << "the application's names count";
  for (Role r : {Role::kRegistered, Role::kModerator, Role::kAdmin}) {
    EXPECT_EQ(RoleFromColumn(m, RoleToColumn(m, r)), r);
  }
  m.columns[static_cast<size_t>(Attr::kRole)].clear();
  EXPECT_EQ(RoleFromColumn(m, "admin"), std::nullopt) << "no role column: roles not mapped";
}

}  // namespace
}  // namespace scim::config
