// scim-syncd against the real queue and directory_users.
#include <gtest/gtest.h>

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
  Db() << "SELECT user_name, given_name, email, role, active, scim_version FROM directory_users "
          "WHERE scim_id = :id",
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
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json().Find("id")->as_string();
}

TEST(DaemonTest, CreatedUserReachesTheDirectory) {
  std::string name = Unique("dee");
  std::string id = CreateUser(name);
  ASSERT_TRUE(WaitUntil([&] { return DirectoryUser(id).found; }, std::chrono::seconds(5)))
      << "the daemon did not apply the user within 5 s";
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
  ASSERT_TRUE(WaitUntil([&] { return DirectoryUser(id).found; }, std::chrono::seconds(5)));
  // Hand-edit the directory, then enqueue version 1 again: it is stale.
  std::string rid = id;
  Db() << "UPDATE directory_users SET given_name = 'Edited' WHERE scim_id = :id", soci::use(rid);
  Db() << "INSERT INTO change_queue (resource_type, resource_id, version, op, payload, status, "
          "created_at, next_attempt_at) SELECT resource_type, resource_id, version, op, payload, "
          "'pending', NOW(3), NOW(3) FROM change_queue WHERE resource_id = :id",
      soci::use(rid);
  long long replay = 0;
  Db() << "SELECT MAX(id) FROM change_queue WHERE resource_id = :id", soci::into(replay),
      soci::use(rid);
  int attempts = 0;
  std::string error;
  ASSERT_TRUE(WaitUntil([&] { return QueueStatus(replay, &attempts, &error) == "done"; },
                        std::chrono::seconds(5)));
  EXPECT_EQ(DirectoryUser(id).given_name, "Edited");
}

TEST(DaemonTest, APoisonRowRetriesWithoutBlockingOthers) {
  std::string poison_id = "00000000-0000-4000-8000-" + std::to_string(100000000000LL + getpid());
  Db() << "INSERT INTO change_queue (resource_type, resource_id, version, op, payload, status, "
          "created_at, next_attempt_at) VALUES ('User', :id, 1, 'upsert', '{not json', "
          "'pending', NOW(3), NOW(3))",
      soci::use(poison_id);
  long long poison = 0;
  Db() << "SELECT LAST_INSERT_ID()", soci::into(poison);
  std::string id = CreateUser(Unique("after-poison"));
  ASSERT_TRUE(WaitUntil([&] { return DirectoryUser(id).found; }, std::chrono::seconds(5)));
  int attempts = 0;
  std::string error;
  ASSERT_TRUE(WaitUntil(
      [&] {
        QueueStatus(poison, &attempts, &error);
        return attempts >= 1;
      },
      std::chrono::seconds(5)));
  EXPECT_EQ(QueueStatus(poison, &attempts, &error), "pending");
  EXPECT_NE(error.find("payload is not JSON"), std::string::npos) << error;
  // Keep it from retrying during the rest of the run.
  Db() << "UPDATE change_queue SET status = 'dead' WHERE id = :id", soci::use(poison);
}

TEST(DaemonTest, OnceDrainsAndExitsZero) {
  CmdResult r =
      RunProgram(TestEnv().bin_dir + "/scim-syncd", {"--config", TestEnv().config_path, "--once"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("event=stop"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace scim::it
