// scim-syncd reconcile on planted drift of each class, with --dry-run and
// without, and the named lock that keeps two cron runs apart.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "tests/integration/env.h"
#include "tests/integration/lifecycles.h"

namespace scim::it {
namespace {

long long Num(const std::string& sql, const std::string& key) {
  long long n = -1;
  std::string k = key;
  soci::indicator ind;
  Db() << sql, soci::into(n, ind), soci::use(k);
  return ind == soci::i_ok ? n : -1;
}

std::string Text(const std::string& sql, const std::string& key) {
  std::string out, k = key;
  soci::indicator ind;
  Db() << sql, soci::into(out, ind), soci::use(k);
  return ind == soci::i_ok ? out : "";
}

std::string CreateApplied(const std::string& name) {
  std::string id = IdOf(Http("POST", "/scim/v2/Users", UserBody(name, R"(,"displayName":"Right")"),
                             Auth(SharedToken())));
  EXPECT_TRUE(WaitUntil([&] { return Num(DirUserSql("COUNT(*)"), id) == 1; }));
  return id;
}

CmdResult Reconcile(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"--config", TestEnv().config_path, "reconcile"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunProgram(TestEnv().bin_dir + "/scim-syncd", args);
}

// The report's items by id, and by name: "class/fixed".
std::map<std::string, std::string> Items(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto report = ParseJson(ss.str());
  EXPECT_TRUE(report.ok()) << ss.str().substr(0, 200);
  std::map<std::string, std::string> out;
  if (!report.ok()) return out;
  for (const auto& item : report.value().Find("items")->as_array()) {
    std::string value =
        item.Find("class")->as_string() + "/" + (item.Find("fixed")->as_bool() ? "fixed" : "kept");
    out[item.Find("id")->as_string()] = value;
    out[item.Find("name")->as_string()] = value;
  }
  return out;
}

TEST(ReconcileTest, FindsAndFixesEachClassOfDrift) {
  std::string drifted = CreateApplied(Unique("rc-drift"));
  std::string missing = CreateApplied(Unique("rc-missing"));
  std::string conflict_name = Unique("rc-conflict");
  std::string conflict = CreateApplied(conflict_name);
  std::string local_only = Unique("rc-local-only");
  std::string app_name = Unique("rc-app-deactivated");
  std::string app_deactivated = CreateApplied(app_name);

  Response g =
      Http("POST", "/scim/v2/Groups",
           R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":")" +
               Unique("rc-group") + R"(","members":[{"value":")" + drifted + R"("}]})",
           Auth(SharedToken()));
  ASSERT_EQ(g.status, 201);
  std::string group = g.json().Find("id")->as_string();
  ASSERT_TRUE(WaitUntil([&] {
    return Num(std::string("SELECT COUNT(*) FROM (") + kDirMemberIds + ") x", group) == 1;
  }));

  // The daemon is paused: it would adopt the planted row, and record the
  // application's deactivation, before reconcile runs.
  StackDaemonPaused paused;
  ASSERT_TRUE(paused.ok());
  // Plant drift behind SCIM's back.
  Db() << "UPDATE " + std::string(kLinkedUsers) +
              " SET d.display_name = 'Wrong' WHERE l.scim_id = :id",
      soci::use(drifted);
  Db() << "DELETE d FROM " + std::string(kLinkedUsers) + " WHERE l.scim_id = :id",
      soci::use(missing);
  // The application's own admin page deactivates a user (issue 10): not drift.
  Db() << "UPDATE " + std::string(kLinkedUsers) + " SET d.active = 0 WHERE l.scim_id = :id",
      soci::use(app_deactivated);
  ASSERT_EQ(RunProgram(TestEnv().bin_dir + "/scimctl",
                       {"--config", TestEnv().config_path, "user", "deactivate", conflict_name,
                        "--reason", "planted"})
                .exit_code,
            0);
  Db() << "INSERT INTO directory_users (user_name, created_at, updated_at) VALUES (:n, NOW(3), "
          "NOW(3))",
      soci::use(local_only);
  Db() << "DELETE m FROM directory_group_links gl JOIN directory_group_members m "
          "ON m.group_id = gl.app_key WHERE gl.scim_id = :g",
      soci::use(group);

  std::string dry = TestEnv().state_dir + "/reconcile-dry.json";
  CmdResult r1 = Reconcile({"--dry-run", "--report", dry});
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  EXPECT_NE(r1.out.find("dry run"), std::string::npos) << r1.out;
  auto items = Items(dry);
  EXPECT_EQ(items[drifted], "drifted/kept");
  EXPECT_EQ(items[missing], "missing/kept");
  EXPECT_EQ(items[conflict], "conflict/kept");
  EXPECT_EQ(items[local_only], "unknown/kept");
  EXPECT_EQ(items[app_deactivated], "conflict/kept");
  EXPECT_EQ(items[group], "drifted/kept");
  EXPECT_EQ(Text(DirUserSql("display_name"), drifted), "Wrong");

  std::string real = TestEnv().state_dir + "/reconcile.json";
  CmdResult r2 = Reconcile({"--report", real});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  items = Items(real);
  EXPECT_EQ(items[drifted], "drifted/fixed");
  EXPECT_EQ(items[missing], "missing/fixed");
  EXPECT_EQ(items[conflict], "conflict/fixed");
  EXPECT_EQ(items[local_only], "unknown/fixed") << "adopted: visible to SCIM";
  EXPECT_EQ(items[app_deactivated], "conflict/fixed");
  EXPECT_EQ(items[group], "drifted/fixed");
  EXPECT_EQ(Text(DirUserSql("display_name"), drifted), "Right");
  EXPECT_EQ(Num(DirUserSql("COUNT(*)"), missing), 1);
  EXPECT_EQ(Num(DirUserSql("active"), conflict), 0);
  EXPECT_EQ(Num("SELECT COUNT(*) FROM sync_conflicts WHERE scim_id = :id AND open_key IS NOT NULL",
                conflict),
            1);
  EXPECT_EQ(Num("SELECT COUNT(*) FROM directory_users WHERE user_name = :n", local_only), 1)
      << "never deleted";
  EXPECT_EQ(TotalOf(Http("GET", "/scim/v2/Users?filter=userName%20eq%20%22" + local_only + "%22",
                         "", Auth(SharedToken()))),
            1);
  EXPECT_EQ(Num(DirUserSql("d.active"), app_deactivated), 0) << "local_wins: not reactivated";
  EXPECT_EQ(Text(DirUserSql("l.local_deactivated_by"), app_deactivated), "application");
  EXPECT_EQ(Num("SELECT COUNT(*) FROM sync_conflicts WHERE scim_id = :id AND open_key IS NOT NULL",
                app_deactivated),
            1);
  EXPECT_EQ(Num(std::string("SELECT COUNT(*) FROM (") + kDirMemberIds + ") x", group), 1);

  // A second run finds these in sync.
  CmdResult r3 = Reconcile({"--report", real});
  ASSERT_EQ(r3.exit_code, 0);
  items = Items(real);
  EXPECT_EQ(items.count(drifted), 0u);
  EXPECT_EQ(items.count(missing), 0u);
}

// A SCIM user whose stored attributes are not JSON (a damaged row), for
// one test; deleted again also when an assertion fails.
class DamagedScimUser {
 public:
  DamagedScimUser() : id_("00000000-0000-4000-8005-" + std::to_string(100000000000LL + getpid())) {
    std::string name = Unique("rc-damaged");
    Db() << "INSERT INTO scim_users (id, user_name, version, created_ms, last_modified_ms, "
            "attributes) VALUES (:id, :n, 1, 0, 0, '{not json')",
        soci::use(id_), soci::use(name);
  }
  ~DamagedScimUser() { Db() << "DELETE FROM scim_users WHERE id = :id", soci::use(id_); }
  const std::string& id() const { return id_; }

 private:
  std::string id_;
};

// scim-syncd --help: "exits 0 when clean or fixed, 1 on errors".
TEST(ReconcileTest, ErrorsExitOne) {
  std::string fine = CreateApplied(Unique("rc-fine"));
  Db() << "UPDATE " + std::string(kLinkedUsers) +
              " SET d.display_name = 'Wrong' WHERE l.scim_id = :id",
      soci::use(fine);
  {
    DamagedScimUser damaged;
    std::string report = TestEnv().state_dir + "/reconcile-errors.json";
    CmdResult r = Reconcile({"--report", report});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find(" errors=1 "), std::string::npos) << r.out;
    std::ifstream in(report);
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = ParseJson(ss.str());
    ASSERT_TRUE(parsed.ok()) << ss.str().substr(0, 200);
    EXPECT_EQ(parsed.value().Find("errors")->as_int(), 1);
    // The error is that one user's: the rest is still reconciled.
    EXPECT_EQ(Items(report)[fine], "drifted/fixed");
    EXPECT_EQ(Text(DirUserSql("display_name"), fine), "Right");
  }
  CmdResult clean = Reconcile({});
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  // A report that cannot be written is an error too.
  CmdResult unwritable = Reconcile({"--report", TestEnv().state_dir + "/no/such/dir/r.json"});
  EXPECT_EQ(unwritable.exit_code, 1) << unwritable.out << unwritable.err;
}

// The reconcile lease (scimsync_leases) as another host would hold it.
void HoldLease(const std::string& holder, int seconds_left) {
  Db() << "INSERT INTO scimsync_leases (name, holder, acquired_at, expires_at) "
          "VALUES ('reconcile', :h, NOW(3), NOW(3) + INTERVAL :s SECOND) "
          "ON DUPLICATE KEY UPDATE holder = VALUES(holder), acquired_at = VALUES(acquired_at), "
          "expires_at = VALUES(expires_at)",
      soci::use(holder), soci::use(seconds_left);
}

std::string LeaseHolderNow() {
  return SqlText("SELECT holder FROM scimsync_leases WHERE name = :n", "reconcile");
}

TEST(ReconcileTest, OverlappingRunsExitAtOnce) {
  HoldLease("other-host:4242:cafe", 60);
  CmdResult r = Reconcile({});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("another reconcile is running (other-host:4242:cafe holds"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(LeaseHolderNow(), "other-host:4242:cafe");  // untouched
  HoldLease("", -1);
}

// A holder that died (its lease expired) does not block the next run, which
// frees the lease when it ends.
TEST(ReconcileTest, AnExpiredLeaseIsTakenOverAndFreedAtTheEnd) {
  HoldLease("crashed-host:1:dead", -1);
  CmdResult r = Reconcile({});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(LeaseHolderNow(), "");
  EXPECT_EQ(SqlNum("SELECT expires_at < NOW(3) FROM scimsync_leases WHERE name = :n", "reconcile"),
            1);
}

}  // namespace
}  // namespace scim::it
