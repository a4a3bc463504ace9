// scim-syncd against the real queue and directory_users.
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "tests/integration/env.h"

namespace scim::it {
namespace {

struct DirectoryRow {
  bool found = false;
  std::string user_name, given_name, email, role;
  int active = -1;
  long long version = 0;
};

DirectoryRow DirectoryUser(const std::string& scim_id) {
  DirectoryRow d;
  soci::indicator gi, ei;
  std::string id = scim_id;
  Db() << DirUserSql("d.user_name, d.given_name, d.email, d.role, d.active, l.applied_version"),
      soci::into(d.user_name), soci::into(d.given_name, gi), soci::into(d.email, ei),
      soci::into(d.role), soci::into(d.active), soci::into(d.version), soci::use(id);
  d.found = Db().got_data();
  return d;
}

std::string QueueStatus(long long row_id, int* attempts, std::string* last_error) {
  std::string status;
  soci::indicator ei;
  Db() << "SELECT status, attempts, last_error FROM change_queue WHERE id = :id",
      soci::into(status), soci::into(*attempts), soci::into(*last_error, ei), soci::use(row_id);
  return status;
}

std::string CreateUser(const std::string& name) {
  Response r =
      Http("POST", "/scim/v2/Users", UserBody(name, R"(,"name":{"givenName":"Dee"},"active":true,
                             "emails":[{"value":"dee@example.com"}])"),
           Auth(SharedToken()));
  return IdOf(r);
}

// Waits until the poison row failed once; its status and last error then.
std::string AfterFirstFailure(long long row, std::string* error) {
  int attempts = 0;
  WaitUntil([&] {
    QueueStatus(row, &attempts, error);
    return attempts >= 1;
  });
  return attempts >= 1 ? QueueStatus(row, &attempts, error) : "not tried";
}

TEST(DaemonTest, CreatedUserReachesTheDirectory) {
  std::string name = Unique("dee");
  std::string id = CreateUser(name);
  ASSERT_TRUE(WaitUntil([&] { return DirectoryUser(id).found; }))
      << "the daemon did not apply the user";
  DirectoryRow d = DirectoryUser(id);
  EXPECT_EQ(d.user_name, name);
  EXPECT_EQ(d.given_name, "Dee");
  EXPECT_EQ(d.email, "dee@example.com");
  EXPECT_EQ(d.role, "Registered");
  EXPECT_EQ(d.active, 1);
  EXPECT_EQ(d.version, 1);
  std::string status;
  std::string rid = id;
  Db() << "SELECT status FROM change_queue WHERE resource_id = :id", soci::into(status),
      soci::use(rid);
  EXPECT_EQ(status, "done");
}

TEST(DaemonTest, ReplayingAnAppliedVersionChangesNothing) {
  std::string id = CreateUser(Unique("replay"));
  ASSERT_TRUE(WaitUntil([&] { return DirectoryUser(id).found; }));
  // Hand-edit the directory, then enqueue version 1 again: it is stale.
  std::string rid = id;
  Db() << "UPDATE " + std::string(kLinkedUsers) +
              " SET d.given_name = 'Edited' WHERE l.scim_id = :id",
      soci::use(rid);
  Db() << "INSERT INTO change_queue (resource_type, resource_id, version, op, payload, status, "
          "created_at, next_attempt_at) SELECT resource_type, resource_id, version, op, payload, "
          "'pending', NOW(3), NOW(3) FROM change_queue WHERE resource_id = :id",
      soci::use(rid);
  long long replay = 0;
  Db() << "SELECT MAX(id) FROM change_queue WHERE resource_id = :id", soci::into(replay),
      soci::use(rid);
  int attempts = 0;
  std::string error;
  ASSERT_TRUE(WaitUntil([&] { return QueueStatus(replay, &attempts, &error) == "done"; }));
  EXPECT_EQ(DirectoryUser(id).given_name, "Edited");
}

TEST(DaemonTest, APoisonRowRetriesWithoutBlockingOthers) {
  PoisonRow poison("8000");
  std::string id = CreateUser(Unique("after-poison"));
  ASSERT_TRUE(WaitUntil([&] { return DirectoryUser(id).found; }));
  std::string error;
  EXPECT_EQ(AfterFirstFailure(poison.id(), &error), "pending");
  EXPECT_NE(error.find("payload is not JSON"), std::string::npos) << error;
}

long long CountDirectoryUsers(const std::string& user_name, const std::string& scim_id) {
  long long n = 0;
  std::string name = user_name, id = scim_id;
  Db() << "SELECT COUNT(*) FROM " + std::string(kLinkedUsers) +
              " WHERE d.user_name = :n AND l.scim_id = :id",
      soci::into(n), soci::use(name), soci::use(id);
  return n;
}

TEST(DaemonTest, ABatchOfMixedChangesIsAppliedInOneGo) {
  std::string x = CreateUser(Unique("batch-x"));
  ASSERT_TRUE(WaitUntil([&] { return DirectoryUser(x).found; }));
  // An account the application makes (an SSO sign-up) right after the IdP
  // created a user whose userName differs only in case, before the daemon
  // applied it: the daemon takes the account over. (Made before the POST,
  // the POST would be refused: 409, see UsersApiTest.)
  std::string pre = Unique("Batch-Pre");
  std::string lower = pre;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  DaemonLogMark offset = MarkDaemonLogs();
  std::string a, b;
  {
    StackDaemonPaused paused;
    ASSERT_TRUE(paused.ok());
    a = CreateUser(Unique("batch-a"));
    Response patched = Http("PATCH", "/scim/v2/Users/" + a,
                            R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                "Operations":[{"op":"replace","path":"name.givenName",
                                               "value":"Ada"}]})",
                            Auth(SharedToken()));
    ASSERT_EQ(patched.status, 200) << patched.body;
    Response px = Http("PATCH", "/scim/v2/Users/" + x,
                       R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                           "Operations":[{"op":"replace","value":{"name.givenName":"Xena"}}]})",
                       Auth(SharedToken()));
    ASSERT_EQ(px.status, 200) << px.body;
    b = CreateUser(lower);
    Db() << "INSERT INTO directory_users (user_name, role, active, created_at, updated_at) "
            "VALUES (:n, 'Moderator', 1, NOW(3), NOW(3))",
        soci::use(pre);
  }
  ASSERT_TRUE(WaitUntil([&] {
    return DirectoryUser(a).given_name == "Ada" && DirectoryUser(x).given_name == "Xena" &&
           DirectoryUser(b).found;
  })) << DaemonLogsSince(offset);
  EXPECT_EQ(DirectoryUser(a).version, 2);  // created and changed: the newest version only
  EXPECT_EQ(DirectoryUser(x).version, 2);
  // The old account was taken over (same row, now with the SCIM id), not duplicated.
  EXPECT_EQ(CountDirectoryUsers(lower, b), 1);
  long long rows_named = 0;
  Db() << "SELECT COUNT(*) FROM directory_users WHERE user_name = :n", soci::into(rows_named),
      soci::use(pre);
  EXPECT_EQ(rows_named, 1);
  EXPECT_EQ(DirectoryUser(b).role, "Moderator");  // no userType sent: the account keeps its role
  // The batch's log line follows its commit.
  EXPECT_TRUE(WaitUntil([&] {
    return DaemonLogsSince(offset).find("event=batch claimed=4") != std::string::npos;
  })) << DaemonLogsSince(offset);
  std::string log = DaemonLogsSince(offset);
  EXPECT_NE(log.find("in_one_go=1"), std::string::npos) << log;
  EXPECT_EQ(log.find("one_by_one_because"), std::string::npos) << log;
}

TEST(DaemonTest, AFailingRowSendsItsBatchRowByRowAndTheOthersStillApply) {
  DaemonLogMark offset = MarkDaemonLogs();
  std::string a, b;
  std::optional<PoisonRow> poison;
  {
    StackDaemonPaused paused;
    ASSERT_TRUE(paused.ok());
    a = CreateUser(Unique("rbr-a"));
    poison.emplace("8001");
    b = CreateUser(Unique("rbr-b"));
  }
  ASSERT_TRUE(WaitUntil([&] { return DirectoryUser(a).found && DirectoryUser(b).found; }));
  std::string error;
  EXPECT_EQ(AfterFirstFailure(poison->id(), &error), "pending");
  std::string log = DaemonLogsSince(offset);
  EXPECT_NE(log.find("one_by_one_because=\"400 payload is not JSON"), std::string::npos) << log;
}

// Two new SCIM users whose userNames are equal to the directory's
// collation: the batch's one INSERT fails on the unique key, the batch is
// undone and applied row by row, where the second takes the first's
// account over, as it would have one change at a time.
TEST(DaemonTest, AUniqueKeyClashAtFlushIsUndoneAndAppliedRowByRow) {
  std::string name = Unique("Clash");
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string a = "00000000-0000-4000-8002-" + std::to_string(100000000000LL + getpid());
  std::string b = "00000000-0000-4000-8003-" + std::to_string(100000000000LL + getpid());
  auto payload = [](const std::string& id, const std::string& user_name) {
    return R"({"op":"upsert","resourceType":"User","id":")" + id +
           R"(","version":1,"attributes":{"userName":")" + user_name + R"(","active":true}})";
  };
  DaemonLogMark offset = MarkDaemonLogs();
  {
    soci::transaction tr(Db());  // one commit: the daemon sees both at once
    for (const auto& [id, n] : {std::pair{a, name}, std::pair{b, lower}}) {
      std::string p = payload(id, n), rid = id;
      Db() << "INSERT INTO change_queue (resource_type, resource_id, version, op, payload, "
              "status, created_at, next_attempt_at) VALUES ('User', :id, 1, 'upsert', :p, "
              "'pending', NOW(3), NOW(3))",
          soci::use(rid), soci::use(p);
    }
    tr.commit();
  }
  ASSERT_TRUE(WaitUntil([&] { return DirectoryUser(b).found; })) << DaemonLogsSince(offset);
  EXPECT_FALSE(DirectoryUser(a).found);
  EXPECT_EQ(CountDirectoryUsers(lower, b), 1);
  // The batch's log line follows its commit.
  EXPECT_TRUE(WaitUntil([&] {
    return DaemonLogsSince(offset).find("one_by_one_because") != std::string::npos;
  })) << DaemonLogsSince(offset);
  std::string rb = b;
  Db() << "DELETE d FROM " + std::string(kLinkedUsers) + " WHERE l.scim_id = :id", soci::use(rb);
}

long long GroupVersion(const std::string& gid) {
  long long v = 0;
  std::string g = gid;
  Db() << "SELECT COALESCE(MAX(applied_version), 0) FROM directory_group_links WHERE scim_id = :g",
      soci::into(v), soci::use(g);
  return v;
}

std::set<std::string> DirectoryMembers(const std::string& gid) {
  std::set<std::string> out;
  std::string g = gid;
  soci::rowset<std::string> rs = (Db().prepare << kDirMemberIds, soci::use(g));
  for (const auto& m : rs) out.insert(m);
  return out;
}

// A member PATCH is applied as the members it touched when the directory
// holds the version before (O(change), not O(group)): drift planted on an
// untouched member stays, which a full sync would have mended; a change
// that replaces all members syncs them all.
TEST(DaemonTest, AMemberPatchSyncsOnlyTheMembersItTouched) {
  std::string u1 = CreateUser(Unique("gm1")), u2 = CreateUser(Unique("gm2")),
              u3 = CreateUser(Unique("gm3"));
  Response g =
      Http("POST", "/scim/v2/Groups",
           R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":")" +
               Unique("Delta group") + R"(","members":[{"value":")" + u1 + R"("},{"value":")" + u2 +
               R"("}]})",
           Auth(SharedToken()));
  ASSERT_EQ(g.status, 201) << g.body;
  std::string gid = g.json().Find("id")->as_string();
  ASSERT_TRUE(WaitUntil([&] { return DirectoryMembers(gid).size() == 2; }));
  std::string drifted = u1;
  Db() << "DELETE m FROM directory_group_members m JOIN directory_links l ON l.app_key = m.user_id "
          "WHERE l.scim_id = :m",
      soci::use(drifted);

  auto patch = [&](const std::string& ops) {
    Response r = Http("PATCH", "/scim/v2/Groups/" + gid,
                      R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                          "Operations":)" +
                          ops + "}",
                      Auth(SharedToken()));
    ASSERT_EQ(r.status, 204) << r.body;
  };
  patch(R"([{"op":"add","path":"members","value":[{"value":")" + u3 + R"("}]}])");
  ASSERT_TRUE(WaitUntil([&] { return GroupVersion(gid) == 2; }));
  EXPECT_EQ(DirectoryMembers(gid), (std::set<std::string>{u2, u3}));

  patch(R"([{"op":"remove","path":"members[value eq \")" + u2 + R"(\"]"}])");
  ASSERT_TRUE(WaitUntil([&] { return GroupVersion(gid) == 3; }));
  EXPECT_EQ(DirectoryMembers(gid), (std::set<std::string>{u3}));

  patch(R"([{"op":"replace","path":"members","value":[{"value":")" + u1 + R"("},{"value":")" + u2 +
        R"("}]}])");
  ASSERT_TRUE(WaitUntil([&] { return GroupVersion(gid) == 4; }));
  EXPECT_EQ(DirectoryMembers(gid), (std::set<std::string>{u1, u2}));
}

// With the stack's daemon stopped, only --once can apply what is queued.
TEST(DaemonTest, OnceDrainsAndExitsZero) {
  StackDaemonPaused paused;
  ASSERT_TRUE(paused.ok());
  std::string a = CreateUser(Unique("once-a")), b = CreateUser(Unique("once-b"));
  ASSERT_FALSE(DirectoryUser(a).found);
  CmdResult r =
      RunProgram(TestEnv().bin_dir + "/scim-syncd", {"--config", TestEnv().config_path, "--once"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("event=batch claimed="), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("event=stop"), std::string::npos) << r.err;
  EXPECT_EQ(DirectoryUser(a).version, 1) << "applied before --once exited";
  EXPECT_EQ(DirectoryUser(b).version, 1);
  for (const std::string& id : {a, b}) {
    int attempts = -1;
    std::string error;
    long long row = 0;
    std::string rid = id;
    Db() << "SELECT id FROM change_queue WHERE resource_id = :id", soci::into(row), soci::use(rid);
    EXPECT_EQ(QueueStatus(row, &attempts, &error), "done") << id;
  }
}

}  // namespace
}  // namespace scim::it
