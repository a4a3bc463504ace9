#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "common/db/migrate.h"

namespace scim::db {
namespace {

TEST(MigrateSplitTest, SplitsOnSemicolonsAtLineEnds) {
  auto s = SplitSqlStatements(
      "-- comment; not a statement\n"
      "CREATE TABLE a (\n  x INT -- inline; kept\n);\n"
      "\n"
      "INSERT INTO a VALUES (1);   \n"
      "SELECT 'a;b' FROM a\n");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], "CREATE TABLE a (\n  x INT -- inline; kept\n)");
  EXPECT_EQ(s[1], "INSERT INTO a VALUES (1)");
  EXPECT_EQ(s[2], "SELECT 'a;b' FROM a\n");
}

// A directory of migrations written out of order, with numbers of
// different widths (a sort by name would put 10 before 2) and files that
// are not migrations.
class MigrationDir {
 public:
  MigrationDir() {
    char tmpl[] = "/tmp/scimsync-migrate-test.XXXXXX";
    path_ = ::mkdtemp(tmpl) ? tmpl : "";
  }
  ~MigrationDir() {
    for (const auto& f : files_) std::remove((path_ + "/" + f).c_str());
    ::rmdir(path_.c_str());
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(path_ + "/" + name) << text;
    files_.push_back(name);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::vector<std::string> files_;
};

TEST(MigrateSplitTest, ReadsMigrationsInNumericOrderAndSkipsOtherFiles) {
  MigrationDir dir;
  ASSERT_FALSE(dir.path().empty());
  dir.Write("10_ten.sql", "SELECT 10;\n");
  dir.Write("README", "not a migration");
  dir.Write("2_two.sql", "SELECT 2;\n");
  dir.Write("003_three.sql.orig", "SELECT 0;\n");
  dir.Write("001_one.sql", "SELECT 1;\n");
  dir.Write("0004_four.sql", "SELECT 4;\n");
  auto files = ReadMigrations(dir.path());
  ASSERT_TRUE(files.ok()) << files.error().detail;
  std::vector<std::string> names;
  std::vector<int> versions;
  for (const auto& f : files.value()) {
    names.push_back(f.name);
    versions.push_back(f.version);
    EXPECT_EQ(f.text, "SELECT " + std::to_string(f.version) + ";\n") << f.name;
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"001_one.sql", "2_two.sql", "0004_four.sql", "10_ten.sql"}));
  EXPECT_EQ(versions, (std::vector<int>{1, 2, 4, 10}));

  dir.Write("02_again.sql", "SELECT 2;\n");
  auto twice = ReadMigrations(dir.path());
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().status, 400);
  EXPECT_EQ(ReadMigrations(dir.path() + "/missing").error().status, 404);
}

TEST(MigrateSplitTest, TheRepositoryMigrationsAreNumberedOneByOne) {
  auto files = ReadMigrations("sql");
  ASSERT_TRUE(files.ok()) << files.error().detail;
  ASSERT_FALSE(files.value().empty());
  EXPECT_EQ(files.value()[0].name, "001_init.sql");
  EXPECT_EQ(SplitSqlStatements(files.value()[0].text).size(), 4u);
  for (size_t i = 0; i < files.value().size(); ++i) {
    const MigrationFile& f = files.value()[i];
    SCOPED_TRACE(f.name);
    EXPECT_EQ(f.version, static_cast<int>(i) + 1) << "no gaps, in order";
    char prefix[8];
    std::snprintf(prefix, sizeof prefix, "%03d_", f.version);
    EXPECT_EQ(f.name.rfind(prefix, 0), 0u) << "named NNN_";
    EXPECT_FALSE(SplitSqlStatements(f.text).empty());
  }
}

}  // namespace
}  // namespace scim::db
