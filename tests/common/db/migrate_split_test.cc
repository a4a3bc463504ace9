#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

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

TEST(MigrateSplitTest, ReadsTheRepositoryMigrationsInOrder) {
  auto files = ReadMigrations("sql");
  ASSERT_TRUE(files.ok()) << files.error().detail;
  ASSERT_FALSE(files.value().empty());
  EXPECT_EQ(files.value()[0].version, 1);
  EXPECT_EQ(files.value()[0].name, "001_init.sql");
  EXPECT_EQ(SplitSqlStatements(files.value()[0].text).size(), 4u);
}

}  // namespace
}  // namespace scim::db
