#include "common/ops/directory_check.h"

#include <gtest/gtest.h>

#include <functional>

namespace scim::ops {
namespace {

using config::Attr;
using config::DirectoryMapping;

ColumnFacts Col(std::string name, std::string data_type, std::string column_type,
                long long max_length = -1, bool nullable = true) {
  ColumnFacts c;
  c.name = std::move(name);
  c.data_type = std::move(data_type);
  c.column_type = std::move(column_type);
  c.max_length = max_length;
  c.nullable = nullable;
  return c;
}

// The sample application table (tests/data/app_schema.sql) as the check
// sees it, every statement allowed.
MappedTableFacts Members() {
  MappedTableFacts t;
  t.name = "app.members";
  t.schema_visible = t.table_visible = true;
  ColumnFacts id = Col("member_id", "int", "int(11)", -1, false);
  id.auto_increment = true;
  ColumnFacts rank = Col("rank", "enum", "enum('user','mod','admin')", 5, false);
  rank.has_default = true;
  t.columns = {id,
               Col("login", "varchar", "varchar(255)", 255, false),
               Col("first", "varchar", "varchar(100)", 100),
               Col("last", "varchar", "varchar(100)", 100),
               Col("mail", "varchar", "varchar(255)", 255),
               Col("status", "enum", "enum('active','suspended')", 9, false),
               rank};
  t.unique_columns = {"member_id", "login"};
  return t;
}

DirectoryMapping Mapping() {
  DirectoryMapping m;
  m.table = {"app", "members"};
  m.key = "member_id";
  auto set = [&](Attr a, const char* c) { m.columns[static_cast<size_t>(a)] = c; };
  set(Attr::kUserName, "login");
  set(Attr::kGivenName, "first");
  set(Attr::kFamilyName, "last");
  set(Attr::kEmail, "mail");
  set(Attr::kActive, "status");
  set(Attr::kRole, "rank");
  m.active_value = "active";
  m.inactive_value = "suspended";
  m.role_values = {"user", "mod", "admin"};
  return m;
}

DirectoryFacts Facts() {
  DirectoryFacts f;
  f.account = "scimsync@localhost";
  f.users = Members();
  return f;
}

ColumnFacts* Column(MappedTableFacts& t, const std::string& name) {
  for (auto& c : t.columns) {
    if (c.name == name) return &c;
  }
  ADD_FAILURE() << "no column " << name;
  static ColumnFacts dummy;
  return &dummy;
}

std::string Dump(const std::vector<Problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += "\n  " + p.key + ": " + p.detail;
  return out;
}

TEST(DirectoryCheckTest, TheSampleMappingFits) {
  auto problems = CheckDirectory(Mapping(), Facts());
  for (const auto& p : problems) ADD_FAILURE() << p.key << ": " << p.detail;
  EXPECT_FALSE(HasErrors(problems));
}

struct Case {
  const char* name;
  std::function<void(DirectoryMapping&, DirectoryFacts&)> change;
  Level level;
  const char* key;
  const char* says;
};

// The case's change applied to (m, f) gives exactly its one problem.
void ExpectOneProblem(const Case& c, DirectoryMapping m, DirectoryFacts f) {
  SCOPED_TRACE(c.name);
  c.change(m, f);
  auto problems = CheckDirectory(m, f);
  ASSERT_EQ(problems.size(), 1u) << Dump(problems);
  EXPECT_EQ(problems[0].level, c.level);
  EXPECT_EQ(problems[0].key, c.key);
  EXPECT_NE(problems[0].detail.find(c.says), std::string::npos) << problems[0].detail;
  EXPECT_EQ(HasErrors(problems), c.level == Level::kError);
}

TEST(DirectoryCheckTest, SaysExactlyWhatIsWrong) {
  const Case cases[] = {
      {"no table", [](auto&, auto& f) { f.users.table_visible = false; }, Level::kError,
       "directory.table", "table app.members not found, or the account scimsync@localhost"},
      {"no schema", [](auto&, auto& f) { f.users.schema_visible = f.users.table_visible = false; },
       Level::kError, "directory.table", "schema app not found"},
      {"no column", [](auto&, auto& f) { f.users.columns.erase(f.users.columns.begin() + 2); },
       Level::kError, "directory.column.given_name", "no column first in app.members"},
      {"key not unique", [](auto&, auto& f) { f.users.unique_columns = {"login"}; }, Level::kError,
       "directory.key", "app.members.member_id is not a PRIMARY or UNIQUE key"},
      {"user_name not unique", [](auto&, auto& f) { f.users.unique_columns = {"member_id"}; },
       Level::kWarning, "directory.column.user_name",
       "app.members.login is not a UNIQUE key: each userName lookup scans the table"},
      {"key nullable",
       [](auto& m, auto& f) {
         m.key = "mail";
         m.columns[static_cast<size_t>(Attr::kEmail)].clear();
         f.users.unique_columns.push_back("mail");
       },
       Level::kWarning, "directory.key", "app.members.mail allows NULL"},
      {"active not in enum", [](auto& m, auto&) { m.inactive_value = "disabled"; }, Level::kError,
       "directory.active_values",
       "'disabled' is not allowed by app.members.status enum('active','suspended')"},
      {"enum spelling", [](auto& m, auto&) { m.active_value = "Active"; }, Level::kError,
       "directory.active_values", "'Active' is spelled 'active'"},
      {"Y into tinyint",
       [](auto& m, auto& f) {
         *Column(f.users, "status") = Col("status", "tinyint", "tinyint(1)", -1, false);
         m.active_value = "Y";
         m.inactive_value = "0";
       },
       Level::kError, "directory.active_values",
       "'Y' cannot be stored in app.members.status tinyint(1) (a whole number from -128 to 127)"},
      {"role too long",
       [](auto&, auto& f) { *Column(f.users, "rank") = Col("rank", "char", "char(4)", 4); },
       Level::kError, "directory.role_values", "'admin' is longer than app.members.rank char(4)"},
      {"short userName",
       [](auto&, auto& f) {
         *Column(f.users, "login") = Col("login", "varchar", "varchar(64)", 64);
       },
       Level::kWarning, "directory.column.user_name", "app.members.login is varchar(64)"},
      {"short email",
       [](auto&, auto& f) { *Column(f.users, "mail") = Col("mail", "char", "char(100)", 100); },
       Level::kWarning, "directory.column.email", "app.members.mail is char(100)"},
      {"name into int",
       [](auto&, auto& f) { *Column(f.users, "first") = Col("first", "int", "int(11)"); },
       Level::kError, "directory.column.given_name", "is int(11), not a character column"},
      {"generated", [](auto&, auto& f) { Column(f.users, "last")->generated = true; },
       Level::kError, "directory.column.family_name", "app.members.last is a generated column"},
      {"no select", [](auto&, auto& f) { f.users.select_error = "SELECT command denied"; },
       Level::kError, "directory.table",
       "the account scimsync@localhost cannot SELECT from app.members: SELECT command denied"},
      {"no insert", [](auto&, auto& f) { f.users.insert_error = "INSERT command denied"; },
       Level::kError, "directory.table", "cannot INSERT into app.members: INSERT command denied"},
      {"no update", [](auto&, auto& f) { f.users.update_error = "UPDATE command denied"; },
       Level::kError, "directory.table", "cannot UPDATE app.members: UPDATE command denied"},
      {"no delete", [](auto&, auto& f) { f.users.delete_error = "DELETE command denied"; },
       Level::kWarning, "directory.table", "(needed only with delete_behaviour = delete)"},
      {"not null unmapped",
       [](auto&, auto& f) {
         f.users.columns.push_back(Col("created", "datetime", "datetime", -1, false));
       },
       Level::kWarning, "directory.table",
       "app.members.created is NOT NULL without a default and not mapped"},
      {"timestamp not a date",
       [](auto& m, auto& f) {
         f.users.columns.push_back(Col("created", "varchar", "varchar(20)", 20));
         m.columns[static_cast<size_t>(Attr::kCreatedAt)] = "created";
       },
       Level::kError, "directory.column.created_at", "not DATETIME or TIMESTAMP"},
  };
  for (const auto& c : cases) ExpectOneProblem(c, Mapping(), Facts());
}

TEST(DirectoryCheckTest, MissingTableHidesItsColumnProblems) {
  DirectoryFacts f = Facts();
  f.users.table_visible = false;
  f.users.columns.clear();
  f.users.select_error = "Table 'app.members' doesn't exist";
  auto problems = CheckDirectory(Mapping(), f);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].detail.find("(server: Table 'app.members' doesn't exist)"),
            std::string::npos);
}

TEST(DirectoryCheckTest, EnumNotNullWithoutDefaultIsNoWarning) {
  DirectoryFacts f = Facts();
  f.users.columns.push_back(Col("tier", "enum", "enum('free','paid')", 4, false));
  EXPECT_TRUE(CheckDirectory(Mapping(), f).empty());
}

DirectoryMapping WithGroups() {
  DirectoryMapping m = Mapping();
  m.groups = true;
  m.group_table = {"app", "teams"};
  m.group_key = "team_id";
  m.group_display_name = "name";
  m.member_table = {"app", "team_members"};
  m.member_group = "team_id";
  m.member_user = "member_id";
  return m;
}

DirectoryFacts WithGroupFacts() {
  DirectoryFacts f = Facts();
  f.groups.name = "app.teams";
  f.groups.schema_visible = f.groups.table_visible = true;
  f.groups.columns = {Col("team_id", "int", "int(11)", -1, false),
                      Col("name", "varchar", "varchar(255)", 255, false)};
  f.groups.unique_columns = {"team_id"};
  f.members.name = "app.team_members";
  f.members.schema_visible = f.members.table_visible = true;
  f.members.columns = {Col("team_id", "int", "int(11)", -1, false),
                       Col("member_id", "int", "int(11)", -1, false)};
  return f;
}

TEST(DirectoryCheckTest, ChecksGroupTablesWhenMapped) {
  EXPECT_TRUE(CheckDirectory(WithGroups(), WithGroupFacts()).empty());
  const Case cases[] = {
      {"no group table", [](auto&, auto& f) { f.groups.table_visible = false; }, Level::kError,
       "directory.group_table", "table app.teams not found"},
      {"group key", [](auto&, auto& f) { f.groups.unique_columns.clear(); }, Level::kError,
       "directory.group_key", "app.teams.team_id is not a PRIMARY or UNIQUE key"},
      {"display name", [](auto& m, auto&) { m.group_display_name = "title"; }, Level::kError,
       "directory.group_column.display_name", "no column title in app.teams"},
      {"group delete", [](auto&, auto& f) { f.groups.delete_error = "denied"; }, Level::kError,
       "directory.group_table", "cannot DELETE from app.teams: denied"},
      {"member column", [](auto& m, auto&) { m.member_user = "user_id"; }, Level::kError,
       "directory.member_column.user", "no column user_id in app.team_members"},
      {"member insert", [](auto&, auto& f) { f.members.insert_error = "denied"; }, Level::kError,
       "directory.member_table", "cannot INSERT into app.team_members: denied"},
      {"member user key", [](auto& m, auto&) { m.member_user_key = "mail"; }, Level::kError,
       "directory.member_user_key", "app.members.mail is not a PRIMARY or UNIQUE key"},
  };
  for (const auto& c : cases) ExpectOneProblem(c, WithGroups(), WithGroupFacts());
  DirectoryMapping none = Mapping();
  DirectoryFacts broken = WithGroupFacts();
  broken.groups.table_visible = false;
  EXPECT_TRUE(CheckDirectory(none, broken).empty()) << "groups = none: group tables not read";
}

TEST(DirectoryCheckTest, KnowsWhatEachColumnTypeHolds) {
  struct {
    const char *data_type, *column_type;
    long long max_length;
    const char* value;
    bool fits;
  } cases[] = {
      {"tinyint", "tinyint(1)", -1, "1", true},
      {"tinyint", "tinyint(1)", -1, "0", true},
      {"tinyint", "tinyint(1)", -1, "Y", false},
      {"tinyint", "tinyint(4)", -1, "-128", true},
      {"tinyint", "tinyint(4)", -1, "128", false},
      {"tinyint", "tinyint(3) unsigned", -1, "255", true},
      {"tinyint", "tinyint(3) unsigned", -1, "-1", false},
      {"smallint", "smallint(6)", -1, "32768", false},
      {"int", "int(11)", -1, "2147483647", true},
      {"int", "int(10) unsigned", -1, "4294967296", false},
      {"bigint", "bigint(20)", -1, "1 ", false},
      {"bigint", "bigint(20)", -1, "9000000000", true},
      {"decimal", "decimal(3,1)", -1, "1.5", true},
      {"double", "double", -1, "yes", false},
      {"char", "char(1)", 1, "Y", true},
      {"char", "char(1)", 1, "YES", false},
      {"varchar", "varchar(3)", 3, "äöü", true},
      {"varchar", "varchar(3)", 3, "äöüx", false},
      {"varbinary", "varbinary(3)", 3, "äö", false},
      {"text", "text", 65535, "suspended", true},
      {"enum", "enum('on','it''s')", 4, "it's", true},
      {"enum", "enum('on','off')", 3, "of", false},
      {"set", "set('a','b')", 3, "b", true},
      {"bit", "bit(1)", -1, "1", false},
      {"date", "date", -1, "1", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.column_type) + " <- " + c.value);
    auto why = WhyValueDoesNotFit(Col("c", c.data_type, c.column_type, c.max_length), c.value);
    EXPECT_EQ(!why.has_value(), c.fits) << why.value_or("");
  }
}

}  // namespace
}  // namespace scim::ops
