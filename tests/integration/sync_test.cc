// The daemon's promises against the real queue and directory: local
// deactivations under both conflict policies, the role switches and role
// mappings, DELETE in both modes, dead letters and their retry, two
// daemons on one queue, and kill -9 in the middle of a batch.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <memory>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

CmdResult Ctl(std::vector<std::string> args) {
  args.insert(args.begin(), {"--config", TestEnv().config_path});
  return RunProgram(TestEnv().bin_dir + "/scimctl", args);
}

// Sets a setting for one test and restores the default afterwards.
class Setting {
 public:
  Setting(std::string key, const std::string& value, std::string restore)
      : key_(std::move(key)), restore_(std::move(restore)) {
    EXPECT_EQ(Ctl({"settings", "set", key_, value}).exit_code, 0);
  }
  ~Setting() { Ctl({"settings", "set", key_, restore_}); }

 private:
  std::string key_, restore_;
};

std::string Patch(const std::string& ops) {
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" + ops +
         "}";
}

Response Call(const std::string& method, const std::string& path, const std::string& body = "") {
  return Http(method, "/scim/v2" + path, body, Auth(SharedToken()));
}

long long Num(const std::string& sql, const std::string& key) {
  long long n = -1;
  std::string k = key;
  soci::indicator ind;
  Db() << sql, soci::into(n, ind), soci::use(k);
  return ind == soci::i_ok ? n : -1;
}

std::string Text(const std::string& sql, const std::string& key) {
  std::string out;
  std::string k = key;
  soci::indicator ind;
  Db() << sql, soci::into(out, ind), soci::use(k);
  return ind == soci::i_ok ? out : "";
}

// Waits until the directory holds version `version` of the user.
bool Applied(const std::string& id, long long version) {
  return WaitUntil([&] { return Num(DirUserSql("l.applied_version"), id) >= version; });
}

std::string Create(const std::string& name, const std::string& extra = "") {
  std::string id = IdOf(Call("POST", "/Users", UserBody(name, extra)));
  EXPECT_TRUE(Applied(id, 1));
  return id;
}

long long OpenConflicts(const std::string& id) {
  return Num("SELECT COUNT(*) FROM sync_conflicts WHERE scim_id = :id AND open_key IS NOT NULL",
             id);
}

TEST(SyncTest, LocalDeactivationWinsOverTheIdpUntilReactivatedLocally) {
  std::string name = Unique("local");
  std::string id = Create(name, R"(,"active":true)");
  CmdResult off = Ctl({"user", "deactivate", name, "--reason", "security review", "--by", "alice"});
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_EQ(OpenConflicts(id), 1) << "the IdP wants this user active";
  // The IdP keeps pushing: other attributes apply, active stays off, no pile-up.
  for (int i = 2; i <= 4; ++i) {
    Response r = Call("PATCH", "/Users/" + id,
                      Patch(R"([{"op":"replace","value":{"active":true,"displayName":"v)" +
                            std::to_string(i) + R"("}}])"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.json().Find("active")->as_bool()) << "GET shows the IdP's view";
    ASSERT_TRUE(Applied(id, i));
  }
  EXPECT_EQ(Num(DirUserSql("active"), id), 0);
  EXPECT_EQ(Text(DirUserSql("display_name"), id), "v4");
  EXPECT_EQ(Num("SELECT COUNT(*) FROM sync_conflicts WHERE scim_id = :id", id), 1);
  EXPECT_EQ(Text(DirUserSql("l.local_deactivated_by"), id), "alice");
  CmdResult listed = Ctl({"conflicts"});
  EXPECT_NE(listed.out.find(name), std::string::npos) << listed.out;
  CmdResult status = Ctl({"status"});
  EXPECT_NE(status.out.find("conflicts: open="), std::string::npos);

  ASSERT_EQ(Ctl({"user", "reactivate", name}).exit_code, 0);
  EXPECT_EQ(Num(DirUserSql("active"), id), 1);
  EXPECT_EQ(OpenConflicts(id), 0);
  // From now on it follows the IdP again.
  ASSERT_EQ(
      Call("PATCH", "/Users/" + id, Patch(R"([{"op":"replace","path":"active","value":false}])"))
          .status,
      200);
  ASSERT_TRUE(Applied(id, 5));
  EXPECT_EQ(Num(DirUserSql("active"), id), 0);
}

TEST(SyncTest, IdpWinsReactivatesAndRecordsIt) {
  Setting policy("conflict_policy", "idp_wins", "local_wins");
  std::string name = Unique("idpwins");
  std::string id = Create(name);
  ASSERT_EQ(Ctl({"user", "deactivate", name, "--reason", "test"}).exit_code, 0);
  ASSERT_EQ(Call("PATCH", "/Users/" + id,
                 Patch(R"([{"op":"replace","value":{"active":true,"title":"back"}}])"))
                .status,
            200);
  ASSERT_TRUE(Applied(id, 2));
  EXPECT_EQ(Num(DirUserSql("active"), id), 1);
  EXPECT_EQ(Num(DirUserSql("l.local_deactivated_at IS NULL"), id), 1);
  EXPECT_EQ(
      Num("SELECT COUNT(*) FROM audit_log WHERE resource_id = :id AND outcome = 'idp_wins'", id),
      1);
  EXPECT_EQ(OpenConflicts(id), 0);
}

TEST(SyncTest, RolesFollowTheSwitchesAndMappings) {
  std::string id;
  {
    Setting mod("allow_moderator_promotion", "on", "off");
    id = Create(Unique("role"), R"(,"userType":"Moderator")");
    EXPECT_EQ(Text(DirUserSql("role"), id), "Moderator");
    // Moderator -> Admin needs the admin switch: refused, audited.
    ASSERT_EQ(Call("PATCH", "/Users/" + id,
                   Patch(R"([{"op":"replace","path":"userType","value":"Admin"}])"))
                  .status,
              200);
    ASSERT_TRUE(Applied(id, 2));
    EXPECT_EQ(Text(DirUserSql("role"), id), "Moderator");
    EXPECT_EQ(Num("SELECT COUNT(*) FROM audit_log WHERE resource_id = :id AND operation = 'role' "
                  "AND outcome = 'not_applied'",
                  id),
              1);
    {
      Setting adm("allow_admin_promotion", "on", "off");
      ASSERT_EQ(Ctl({"role-map", "add", "Global Administrators", "Admin"}).exit_code, 0);
      ASSERT_EQ(Call("PATCH", "/Users/" + id, Patch(R"([{"op":"remove","path":"userType"},
                               {"op":"add","path":"roles","value":[{"value":"global administrators","primary":true}]}])"))
                    .status,
                200);
      ASSERT_TRUE(Applied(id, 3));
      EXPECT_EQ(Text(DirUserSql("role"), id), "Admin");
      EXPECT_EQ(Ctl({"role-map", "remove", "Global Administrators"}).exit_code, 0);
    }
  }
  // Both switches off: SCIM never changes roles.
  ASSERT_EQ(Call("PATCH", "/Users/" + id,
                 Patch(R"([{"op":"replace","path":"userType","value":"Registered"}])"))
                .status,
            200);
  ASSERT_TRUE(Applied(id, 4));
  EXPECT_EQ(Text(DirUserSql("role"), id), "Admin");
}

TEST(SyncTest, DeleteBehaviourDeleteRemovesTheDirectoryUser) {
  Setting mode("delete_behaviour", "delete", "deactivate");
  std::string name = Unique("gone");
  std::string id = Create(name);
  ASSERT_EQ(Call("DELETE", "/Users/" + id).status, 204);
  EXPECT_TRUE(WaitUntil(
      [&] { return Num("SELECT COUNT(*) FROM directory_users WHERE user_name = :n", name) == 0; }));
}

TEST(SyncTest, APoisonRowGoesDeadAndCanBeRetried) {
  Setting attempts("max_attempts", "1", "10");
  PoisonRow poison("8004");
  const std::string& rid = poison.resource_id();
  std::string key = std::to_string(poison.id());
  auto status = [&] { return Text("SELECT status FROM change_queue WHERE id = :id", key); };
  ASSERT_TRUE(WaitUntil([&] { return status() == "dead"; }));
  CmdResult dead = Ctl({"queue", "list", "--dead"});
  EXPECT_NE(dead.out.find(rid), std::string::npos) << dead.out;
  EXPECT_NE(Ctl({"status"}).out.find("dead="), std::string::npos);
  ASSERT_EQ(Ctl({"queue", "retry", key}).exit_code, 0);
  // Retried: attempted again (and, being poison, dead again).
  EXPECT_TRUE(WaitUntil([&] {
    return status() == "dead" &&
           Num("SELECT attempts FROM change_queue WHERE id = :id", key) == 1 &&
           Num("SELECT COUNT(*) FROM audit_log WHERE operation = 'queue retry' AND "
               "detail = CONCAT('row ', :id)",
               key) == 1;
  }));
  EXPECT_EQ(Ctl({"queue", "drop", key}).exit_code, 0);
  EXPECT_EQ(Num("SELECT COUNT(*) FROM change_queue WHERE id = :id", key), 0);
  EXPECT_EQ(Ctl({"queue", "retry", key}).exit_code, 1);
  EXPECT_EQ(Ctl({"queue", "drop", key}).exit_code, 1);
}

// A second (third) scim-syncd on the stack's queue, for one test.
std::unique_ptr<Child> StartDaemon() {
  return std::make_unique<Child>(TestEnv().bin_dir + "/scim-syncd",
                                 std::vector<std::string>{"--config", TestEnv().config_path});
}

long long PendingFor(const std::string& prefix) {
  return Num(
      "SELECT COUNT(*) FROM change_queue q JOIN scim_users u ON u.id = q.resource_id "
      "WHERE q.status <> 'done' AND u.user_name LIKE CONCAT(:p, '%')",
      prefix);
}

TEST(SyncTest, TwoDaemonsAndAKilledOneLoseNothingAndApplyInOrder) {
  auto second = StartDaemon();
  auto victim = StartDaemon();
  std::string prefix = Unique("many");
  std::vector<std::string> ids;
  for (int u = 0; u < 5; ++u) {
    ids.push_back(IdOf(Call("POST", "/Users", UserBody(prefix + "-" + std::to_string(u)))));
  }
  // 40 updates to each user, interleaved, while three daemons drain.
  for (int v = 2; v <= 41; ++v) {
    for (const auto& id : ids) {
      Response r = Call("PATCH", "/Users/" + id,
                        Patch(R"([{"op":"replace","path":"displayName","value":"v)" +
                              std::to_string(v) + R"("}])"));
      ASSERT_EQ(r.status, 200);
    }
    if (v == 20) {
      victim.reset();  // SIGKILL, wherever it is: claiming, applying or committing
    }
  }
  EXPECT_TRUE(WaitUntil([&] { return PendingFor(prefix) == 0; }));
  for (const auto& id : ids) {
    EXPECT_EQ(Num(DirUserSql("l.applied_version"), id), 41);
    EXPECT_EQ(Text(DirUserSql("display_name"), id), "v41");
  }
  ASSERT_TRUE(second->Signal(SIGTERM));
  int status = second->Wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "SIGTERM exits 0: " << status;
}

}  // namespace
}  // namespace scim::it

namespace scim::it {
namespace {

TEST(SyncTest, RetentionPrunesDoneRowsAndOldAuditButNeverDeadRows) {
  std::string id = Create(Unique("retention"));
  long long row = 0;
  std::string key = id;
  Db() << "SELECT MAX(id) FROM change_queue WHERE resource_id = :id AND status = 'done'",
      soci::into(row), soci::use(key);
  Db() << "UPDATE change_queue SET done_at = NOW(3) - INTERVAL 8 DAY WHERE id = :id",
      soci::use(row);
  Db() << "INSERT INTO change_queue (resource_type, resource_id, version, op, payload, status, "
          "created_at, next_attempt_at, done_at) VALUES ('User', 'old-dead', 1, 'upsert', 'x', "
          "'dead', NOW(3) - INTERVAL 400 DAY, NOW(3) - INTERVAL 400 DAY, NULL)";
  long long dead = 0;
  Db() << "SELECT LAST_INSERT_ID()", soci::into(dead);
  Db() << "INSERT INTO audit_log (at, actor, operation, outcome, detail) VALUES "
          "(NOW(3) - INTERVAL 400 DAY, 'test', 'old', 'done', :d)",
      soci::use(key);
  CmdResult r =
      RunProgram(TestEnv().bin_dir + "/scim-syncd", {"--config", TestEnv().config_path, "--once"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string row_key = std::to_string(row), dead_key = std::to_string(dead);
  EXPECT_EQ(Num("SELECT COUNT(*) FROM change_queue WHERE id = :id", row_key), 0)
      << "done rows older than queue_retention (7 days) are pruned";
  EXPECT_EQ(Num("SELECT COUNT(*) FROM change_queue WHERE id = :id", dead_key), 1)
      << "dead rows are never pruned";
  EXPECT_EQ(Num("SELECT COUNT(*) FROM audit_log WHERE detail = :d AND operation = 'old'", key), 0)
      << "audit entries older than audit_retention (365 days) are pruned";
  Db() << "DELETE FROM change_queue WHERE id = :id", soci::use(dead);
}

}  // namespace
}  // namespace scim::it
