#include "daemon/applier.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_directory.h"
#include "tests/scim_matchers.h"

namespace scim::sync {
namespace {

Change UserChange(const std::string& id, int64_t version, const std::string& attrs) {
  Change c;
  c.resource_type = "User";
  c.resource_id = id;
  c.version = version;
  c.attributes = ParseJson(attrs).value();
  return c;
}

class ApplierTest : public ::testing::Test {
 protected:
  ApplierTest() { EXPECT_SCIM_OK(applier_.BeginBatch()); }
  void Reload() { EXPECT_SCIM_OK(applier_.BeginBatch()); }
  ApplyOutcome Apply(const Change& c) {
    auto r = applier_.Apply(c);
    EXPECT_SCIM_OK(r);
    return r.ok() ? r.value() : ApplyOutcome::kStale;
  }
  testing::FakeDirectory dir_;
  testing::FakeRecorder rec_;
  DirectoryApplier applier_{dir_, rec_};
};

TEST_F(ApplierTest, AppliesInVersionOrderAndReplaysChangeNothing) {
  EXPECT_EQ(Apply(UserChange("u1", 2, R"({"userName":"ann","displayName":"Two"})")),
            ApplyOutcome::kApplied);
  EXPECT_EQ(Apply(UserChange("u1", 1, R"({"userName":"ann","displayName":"One"})")),
            ApplyOutcome::kStale);
  EXPECT_EQ(Apply(UserChange("u1", 2, R"({"userName":"ann","displayName":"Two"})")),
            ApplyOutcome::kStale);
  EXPECT_EQ(dir_.users.at("ann").display_name, "Two");
  EXPECT_EQ(dir_.saves, 1);
}

TEST_F(ApplierTest, TakesOverAnAccountByUserNameWhateverItsOldVersion) {
  DirectoryUser old;
  old.linked = true;
  old.scim_id = "old-id";
  old.user_name = "ann";
  old.active = false;
  old.applied_active = false;  // scimsync deactivated it when SCIM deleted old-id
  old.scim_version = 9;        // from the deleted SCIM user
  dir_.users["ann"] = old;
  EXPECT_EQ(Apply(UserChange("new-id", 1, R"({"userName":"ann","active":true})")),
            ApplyOutcome::kApplied);
  EXPECT_EQ(dir_.users.at("ann").scim_id, "new-id");
  EXPECT_TRUE(dir_.users.at("ann").active);
}

TEST_F(ApplierTest, RepeatedPushesKeepOneConflictAndOneAuditEntry) {
  DirectoryUser u;
  u.linked = true;
  u.scim_id = "u1";
  u.user_name = "ann";
  u.active = false;
  u.locally_deactivated = true;
  u.local_by = "admin";
  dir_.users["ann"] = u;
  for (int v = 1; v <= 5; ++v) {
    Apply(UserChange("u1", v,
                     R"({"userName":"ann","active":true,"title":"t)" + std::to_string(v) + "\"}"));
  }
  EXPECT_EQ(rec_.open.size(), 1u);
  EXPECT_EQ(rec_.refreshes, 4);
  EXPECT_EQ(rec_.audit.size(), 1u);
  EXPECT_FALSE(dir_.users.at("ann").active);
}

TEST_F(ApplierTest, DeleteModesAndGroups) {
  Apply(UserChange("u1", 1, R"({"userName":"ann"})"));
  Change del;
  del.resource_type = "User";
  del.resource_id = "u1";
  del.version = 2;
  del.op = ChangeOp::kDelete;
  EXPECT_EQ(Apply(del), ApplyOutcome::kApplied);
  EXPECT_FALSE(dir_.users.at("ann").active);
  rec_.settings.delete_behaviour = DeleteBehaviour::kDelete;
  Reload();
  del.version = 3;
  EXPECT_EQ(Apply(del), ApplyOutcome::kApplied);
  EXPECT_TRUE(dir_.users.empty());

  Change g;
  g.resource_type = "Group";
  g.resource_id = "g1";
  g.version = 1;
  g.attributes = ParseJson(R"({"displayName":"Team"})").value();
  EXPECT_EQ(Apply(g), ApplyOutcome::kApplied);
  EXPECT_EQ(Apply(g), ApplyOutcome::kStale);
  EXPECT_EQ(dir_.groups.at("g1").display_name, "Team");
  EXPECT_EQ(dir_.member_syncs, std::vector<std::string>{"g1"});
}

TEST_F(ApplierTest, AGroupSyncsOnlyTheTouchedMembersWhenItHoldsTheVersionBefore) {
  Change g;
  g.resource_type = "Group";
  g.resource_id = "g1";
  g.attributes = ParseJson(R"({"displayName":"Team"})").value();
  g.version = 1;
  Apply(g);  // a create: all members
  g.version = 2;
  g.members_touched = std::vector<std::string>{"u7"};
  g.members_base = 1;
  Apply(g);  // the directory holds version 1: only u7
  g.version = 5;
  g.members_base = 4;
  Apply(g);  // it holds 2, not 4: all members
  ASSERT_EQ(dir_.member_sync_only.size(), 3u);
  EXPECT_FALSE(dir_.member_sync_only[0].has_value());
  ASSERT_TRUE(dir_.member_sync_only[1].has_value());
  EXPECT_EQ(*dir_.member_sync_only[1], std::vector<std::string>{"u7"});
  EXPECT_FALSE(dir_.member_sync_only[2].has_value());
}

TEST_F(ApplierTest, RoleSwitchesFromTheStoredSettings) {
  rec_.settings.allow_moderator_promotion = true;
  Reload();
  Apply(UserChange("u1", 1, R"({"userName":"ann","userType":"Moderator"})"));
  EXPECT_EQ(dir_.users.at("ann").role, Role::kModerator);
  Apply(UserChange("u1", 2, R"({"userName":"ann","userType":"Admin"})"));
  EXPECT_EQ(dir_.users.at("ann").role, Role::kModerator);
  ASSERT_FALSE(rec_.audit.empty());
  EXPECT_EQ(rec_.audit.back().outcome, "not_applied");
}

// DESIGN §6: the application deactivated the row itself (no scimctl):
// the next push records a local deactivation, opens a conflict and keeps
// the row inactive; a row the application made inactive is adopted as
// locally deactivated, never reactivated under local_wins.
TEST_F(ApplierTest, ADeactivationMadeInTheApplicationIsKept) {
  Apply(UserChange("u1", 1, R"({"userName":"ann","active":true})"));
  dir_.users.at("ann").active = false;  // the application's admin page
  Apply(UserChange("u1", 2, R"({"userName":"ann","active":true,"title":"x"})"));
  const DirectoryUser& ann = dir_.users.at("ann");
  EXPECT_FALSE(ann.active);
  EXPECT_TRUE(ann.locally_deactivated);
  EXPECT_EQ(ann.local_by, "application");
  EXPECT_EQ(rec_.open.count("u1"), 1u);

  DirectoryUser bob;
  bob.key = "7";
  bob.user_name = "bob";
  bob.active = false;  // inactive before scimsync ever saw it
  dir_.users["bob"] = bob;
  Apply(UserChange("u2", 1, R"({"userName":"bob","active":true})"));
  EXPECT_FALSE(dir_.users.at("bob").active);
  EXPECT_TRUE(dir_.users.at("bob").locally_deactivated);
  EXPECT_EQ(dir_.users.at("bob").key, "7");
  EXPECT_EQ(rec_.open.count("u2"), 1u);
}

TEST_F(ApplierTest, AProtectedAccountIsNeverChanged) {
  DirectoryUser root;
  root.key = "1";
  root.user_name = "root";
  root.role = Role::kAdmin;
  root.is_protected = true;
  dir_.users["root"] = root;
  EXPECT_EQ(Apply(UserChange("u9", 1, R"({"userName":"root","active":false})")),
            ApplyOutcome::kApplied);
  EXPECT_EQ(dir_.users.at("root"), root);
  EXPECT_EQ(dir_.saves, 0);
  ASSERT_EQ(rec_.audit.size(), 1u);
  EXPECT_EQ(rec_.audit[0].outcome, "not_applied");
}

}  // namespace
}  // namespace scim::sync
