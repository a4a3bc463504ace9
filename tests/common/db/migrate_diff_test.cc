#include <gtest/gtest.h>

#include "common/auth/token.h"
#include "common/db/migrate.h"

namespace scim::db {
namespace {

MigrationFile File(int version, const std::string& name, const std::string& text) {
  return {version, name, text};
}

TEST(MigrateDiffTest, PendingEditedAndUnknownVersions) {
  std::vector<MigrationFile> files = {File(1, "001_a.sql", "CREATE TABLE a (x INT);"),
                                      File(2, "002_b.sql", "CREATE TABLE b (x INT);"),
                                      File(3, "003_c.sql", "CREATE TABLE c (x INT);"),
                                      File(4, "004_d.sql", "CREATE TABLE d (x INT);")};
  // The checksum is the SHA-256 that Migrate records (auth::HashToken).
  std::map<int, std::string> applied = {{1, auth::HashToken(files[0].text)},
                                        {2, auth::HashToken("CREATE TABLE b (y INT);")},
                                        {7, auth::HashToken("from a newer release")}};
  MigrationDiff d = DiffMigrations(applied, files);
  EXPECT_EQ(d.pending, (std::vector<std::string>{"003_c.sql", "004_d.sql"}));
  EXPECT_EQ(d.edited, (std::vector<std::string>{"002_b.sql"}));
  EXPECT_EQ(d.unknown, (std::vector<int>{7}));
}

TEST(MigrateDiffTest, UpToDateIsEmpty) {
  std::vector<MigrationFile> files = {File(1, "001_a.sql", "x;")};
  MigrationDiff d = DiffMigrations({{1, auth::HashToken("x;")}}, files);
  EXPECT_TRUE(d.pending.empty());
  EXPECT_TRUE(d.edited.empty());
  EXPECT_TRUE(d.unknown.empty());
  EXPECT_EQ(DiffMigrations({}, files).pending, (std::vector<std::string>{"001_a.sql"}));
}

}  // namespace
}  // namespace scim::db
