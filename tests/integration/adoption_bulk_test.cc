// Bulk adoption (issue 10, common/db/adoption.h AdoptRows): the daemon's
// idle sweep and reconcile adopt the application's never-seen rows 500 to a
// transaction, with a handful of statements each. Over more than one such
// chunk every row is adopted once and audited once, and the rows adoption
// must leave in the middle of a chunk (a userName SCIM already has, in
// another case; a protected account) are left, without holding up the rest.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "tests/integration/env.h"
#include "tests/integration/lifecycles.h"

namespace scim::it {
namespace {

constexpr int kRows = 1200;  // three chunks of at most 500

// Inserts kRows rows named <prefix>-0 … <prefix>-1199 in one statement, as
// an application's import would; three of them (7, 407, 807) inactive.
void PlantRows(const std::string& prefix) {
  Db() << "INSERT INTO directory_users (user_name, given_name, family_name, display_name, email, "
          "role, active, created_at, updated_at) SELECT CONCAT(:p, '-', seq), 'Bulk', "
          "CONCAT('User', seq), CONCAT('Bulk User ', seq), CONCAT(:p2, '-', seq, '@example.com'), "
          "'Registered', seq % 400 <> 7, NOW(3), NOW(3) FROM seq_0_to_" +
              std::to_string(kRows - 1),
      soci::use(prefix), soci::use(prefix);
}

// Counts over the planted rows (user_name LIKE '<prefix>-%').
long long Count(const std::string& sql, const std::string& prefix) {
  return SqlNum(sql, prefix + "-%");
}

// A SCIM user that only the SCIM view has (no queue row, no link): its
// userName is taken for adoption. Returns its id.
std::string PlantScimOnlyUser(const std::string& user_name) {
  std::string attributes = R"({"userName":")" + user_name + R"(","active":true})";
  Db() << "INSERT INTO scim_users (id, user_name, active, version, created_ms, last_modified_ms, "
          "attributes) VALUES (UUID(), :n, 1, 1, 0, 0, :a)",
      soci::use(user_name), soci::use(attributes);
  return SqlText("SELECT id FROM scim_users WHERE user_name = :n", user_name);
}

void ExpectEachAdoptedOnce(const std::string& prefix, long long expected,
                           const std::string& actor) {
  EXPECT_EQ(Count("SELECT COUNT(*) FROM " + std::string(kLinkedUsers) +
                      " WHERE d.user_name LIKE :p AND l.linked_by = 'adopt'",
                  prefix),
            expected);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE operation = 'adopt' AND user_name LIKE :p",
                  prefix),
            expected);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT resource_id) FROM audit_log WHERE operation = 'adopt' "
                  "AND user_name LIKE :p AND actor = '" +
                      actor + "'",
                  prefix),
            expected);
  // Each SCIM user is the row as it is: version 1, the row's active, the
  // inactive ones local deactivations by the application; no queue row.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM " + std::string(kLinkedUsers) +
                      " JOIN scim_users s ON s.id = l.scim_id WHERE d.user_name LIKE :p AND "
                      "s.version = 1 AND s.active = d.active AND s.user_name = d.user_name AND "
                      "s.email = d.email AND (d.active = 1) = (l.local_deactivated_by IS NULL) "
                      "AND (d.active = 1 OR l.local_deactivated_by = 'application')",
                  prefix),
            expected);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_queue q JOIN " + std::string(kLinkedUsers) +
                      " ON l.scim_id = q.resource_id WHERE d.user_name LIKE :p",
                  prefix),
            0);
}

TEST(AdoptionBulkTest, TheDaemonsSweepAdoptsManyChunksEachRowOnceLeavingTakenAndProtected) {
  const std::string prefix = Unique("bulk-sweep");
  const std::string taken = prefix + "-600", guarded = prefix + "-601";
  std::string scim_only;
  {
    StackDaemonPaused paused;  // the rows are all there before the sweep sees them
    ASSERT_TRUE(paused.ok());
    PlantRows(prefix);
    scim_only = PlantScimOnlyUser(Upper(taken));  // SCIM compares userNames in any case
    CmdResult p = Ctl({"user", "protect", guarded, "--reason", "break-glass"});
    ASSERT_EQ(p.exit_code, 0) << p.err;
  }
  const std::string linked =
      "SELECT COUNT(*) FROM " + std::string(kLinkedUsers) + " WHERE d.user_name LIKE :p";
  EXPECT_TRUE(WaitUntil([&] { return Count(linked, prefix) >= kRows - 2; }))
      << Count(linked, prefix) << " of " << kRows - 2 << " adopted";
  ExpectEachAdoptedOnce(prefix, kRows - 2, "scim-syncd");
  for (const std::string& name : {taken, guarded}) {
    EXPECT_EQ(SqlNum("SELECT COUNT(*) FROM directory_users d JOIN directory_links l ON l.app_key "
                     "= d.id WHERE d.user_name = :n",
                     name),
              0)
        << name;
    EXPECT_EQ(
        SqlNum("SELECT COUNT(*) FROM audit_log WHERE operation = 'adopt' AND user_name = :n", name),
        0)
        << name;
  }
  EXPECT_EQ(TotalOf(Lookup("userName eq \"" + guarded + "\"")), 0);
  // Leave nothing a later test's reconcile would take over.
  Db() << "DELETE FROM scim_users WHERE id = :id", soci::use(scim_only);
  Db() << "DELETE FROM directory_users WHERE user_name = :n", soci::use(taken);
}

TEST(AdoptionBulkTest, ReconcileAdoptsManyChunksEachRowOnceWithAnItemPerRow) {
  const std::string prefix = Unique("bulk-rec");
  const std::string guarded = prefix + "-700";
  StackDaemonPaused paused;  // reconcile, not the daemon, adopts them
  ASSERT_TRUE(paused.ok());
  PlantRows(prefix);
  ASSERT_EQ(Ctl({"user", "protect", guarded}).exit_code, 0);
  std::string path = TestEnv().state_dir + "/" + prefix + ".json";
  CmdResult rc = RunProgram(TestEnv().bin_dir + "/scim-syncd",
                            {"--config", TestEnv().config_path, "reconcile", "--report", path});
  ASSERT_EQ(rc.exit_code, 0) << rc.out << rc.err;
  ExpectEachAdoptedOnce(prefix, kRows - 1, "scim-syncd reconcile");
  // One report item per row, an adopted one with the SCIM id it was given.
  std::map<std::string, std::string> links;  // userName -> SCIM id
  std::string like = prefix + "-%";
  soci::rowset<soci::row> rs =
      (Db().prepare << "SELECT d.user_name, l.scim_id FROM " + std::string(kLinkedUsers) +
                           " WHERE d.user_name LIKE :p",
       soci::use(like));
  for (const auto& r : rs) links[r.get<std::string>(0)] = r.get<std::string>(1);
  EXPECT_EQ(links.count(guarded), 0u);
  auto report = ParseJson(ReadFile(path));
  ASSERT_TRUE(report.ok());
  size_t items = 0;
  for (const auto& item : report.value().Find("items")->as_array()) {
    const std::string& name = item.Find("name")->as_string();
    if (name.rfind(prefix + "-", 0) != 0) continue;
    ++items;
    if (name == guarded) {
      EXPECT_EQ(item.Find("class")->as_string(), "protected");
      EXPECT_FALSE(item.Find("fixed")->as_bool());
      continue;
    }
    EXPECT_TRUE(item.Find("fixed")->as_bool()) << name;
    EXPECT_EQ(item.Find("id")->as_string(), links[name]) << name;
  }
  EXPECT_EQ(items, static_cast<size_t>(kRows));
}

}  // namespace
}  // namespace scim::it
