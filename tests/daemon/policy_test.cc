#include "daemon/policy.h"

#include <gtest/gtest.h>

namespace scim::sync {
namespace {

Json Attrs(const std::string& text) { return ParseJson(text).value(); }

Settings Switches(bool moderator, bool admin) {
  Settings s;
  s.allow_moderator_promotion = moderator;
  s.allow_admin_promotion = admin;
  return s;
}

TEST(PolicyTest, EveryRoleChangeAgainstEverySwitchCombination) {
  // DESIGN §4: a change needs the switch of every role it moves into or out
  // of; Registered needs none.
  const Role roles[] = {Role::kRegistered, Role::kModerator, Role::kAdmin};
  for (bool mod : {false, true}) {
    for (bool adm : {false, true}) {
      for (Role from : roles) {
        for (Role to : roles) {
          if (from == to) continue;
          bool needs_mod = from == Role::kModerator || to == Role::kModerator;
          bool needs_adm = from == Role::kAdmin || to == Role::kAdmin;
          bool expected = (!needs_mod || mod) && (!needs_adm || adm);
          std::string why;
          SCOPED_TRACE(std::string(RoleName(from)) + "->" + std::string(RoleName(to)) +
                       " mod=" + std::to_string(mod) + " adm=" + std::to_string(adm));
          EXPECT_EQ(RoleChangeAllowed(from, to, Switches(mod, adm), &why), expected);
          if (!expected) {
            EXPECT_NE(why.find("promotion is off"), std::string::npos) << why;
          }
        }
      }
    }
  }
}

TEST(PolicyTest, RequestedRoleFromUserTypeOrMappedPrimaryRole) {
  Settings s;
  s.role_mappings["Global Admins"] = Role::kAdmin;
  EXPECT_EQ(RequestedRole(Attrs(R"({"userType":"moderator"})"), s), Role::kModerator);
  EXPECT_EQ(RequestedRole(Attrs(R"({"userType":"Contractor"})"), s), std::nullopt);
  EXPECT_EQ(RequestedRole(
                Attrs(R"({"roles":[{"value":"x"},{"value":"global admins","primary":true}]})"), s),
            Role::kAdmin);
  EXPECT_EQ(RequestedRole(Attrs(R"({"roles":[{"value":"Admin"}]})"), s), Role::kAdmin);
  EXPECT_EQ(RequestedRole(Attrs(R"({"roles":[{"value":"a"},{"value":"b"}]})"), s), std::nullopt);
  EXPECT_EQ(RequestedRole(Attrs(R"({"userName":"x"})"), s), std::nullopt);
}

TEST(PolicyTest, NewUsersStartRegisteredAndARefusedPromotionIsAudited) {
  UserPlan p = PlanUpsert("id1", 1, Attrs(R"({"userName":"a","userType":"Admin"})"), std::nullopt,
                          Switches(true, false));
  EXPECT_EQ(p.next.role, Role::kRegistered);
  EXPECT_TRUE(p.write);
  ASSERT_EQ(p.audit.size(), 1u);
  EXPECT_EQ(p.audit[0].outcome, "not_applied");
  EXPECT_NE(p.audit[0].detail.find("allow_admin_promotion is off"), std::string::npos);
  UserPlan q = PlanUpsert("id1", 1, Attrs(R"({"userName":"a","userType":"Admin"})"), std::nullopt,
                          Switches(false, true));
  EXPECT_EQ(q.next.role, Role::kAdmin);
}

DirectoryUser LocallyDeactivated() {
  DirectoryUser u;
  u.linked = true;
  u.scim_id = "id1";
  u.user_name = "a";
  u.active = false;
  u.locally_deactivated = true;
  u.local_by = "admin";
  u.local_reason = "left the team";
  u.scim_version = 1;
  return u;
}

TEST(PolicyTest, LocalWinsKeepsTheUserDeactivatedButAppliesTheRest) {
  UserPlan p = PlanUpsert("id1", 2, Attrs(R"({"userName":"a","active":true,"displayName":"New"})"),
                          LocallyDeactivated(), Settings{});
  EXPECT_FALSE(p.next.active);
  EXPECT_TRUE(p.next.locally_deactivated);
  EXPECT_EQ(p.next.display_name, "New");
  EXPECT_EQ(p.conflict, ConflictStep::kOpen);
}

TEST(PolicyTest, IdpWinsReactivatesAndSaysSo) {
  Settings s;
  s.conflict_policy = ConflictPolicy::kIdpWins;
  UserPlan p =
      PlanUpsert("id1", 2, Attrs(R"({"userName":"a","active":true})"), LocallyDeactivated(), s);
  EXPECT_TRUE(p.next.active);
  EXPECT_FALSE(p.next.locally_deactivated);
  EXPECT_EQ(p.conflict, ConflictStep::kResolve);
  ASSERT_EQ(p.audit.size(), 1u);
  EXPECT_EQ(p.audit[0].outcome, "idp_wins");
}

TEST(PolicyTest, AnIdpDeactivationEndsTheConflict) {
  UserPlan p = PlanUpsert("id1", 2, Attrs(R"({"userName":"a","active":false})"),
                          LocallyDeactivated(), Settings{});
  EXPECT_FALSE(p.next.active);
  EXPECT_EQ(p.conflict, ConflictStep::kResolve);
}

TEST(PolicyTest, DeleteDeactivatesOrDeletesPerSetting) {
  DirectoryUser u;
  u.linked = true;
  u.scim_id = "id1";
  u.user_name = "a";
  u.scim_version = 3;
  DeletePlan keep = PlanDelete(4, u, Settings{});
  EXPECT_TRUE(keep.write);
  EXPECT_FALSE(keep.remove);
  EXPECT_FALSE(keep.next.active);
  Settings s;
  s.delete_behaviour = DeleteBehaviour::kDelete;
  DeletePlan gone = PlanDelete(4, u, s);
  EXPECT_TRUE(gone.remove);
}

// A row as scimsync last applied it: linked, active, Registered.
DirectoryUser Applied() {
  DirectoryUser u;
  u.key = "42";
  u.linked = true;
  u.scim_id = "id1";
  u.user_name = "a";
  u.role = u.applied_role = Role::kRegistered;
  u.scim_version = 1;
  return u;
}

TEST(PolicyTest, ADeactivationScimsyncDidNotMakeIsALocalDeactivation) {
  DirectoryUser row = Applied();
  row.active = false;  // the application's admin page
  UserPlan p = PlanUpsert("id1", 2, Attrs(R"({"userName":"a","active":true})"), row, Settings{});
  EXPECT_FALSE(p.next.active);
  EXPECT_TRUE(p.next.locally_deactivated);
  EXPECT_EQ(p.next.local_by, "application");
  EXPECT_EQ(p.conflict, ConflictStep::kOpen);
  EXPECT_TRUE(p.write);  // scimsync's record of the row changes
  ASSERT_FALSE(p.audit.empty());
  EXPECT_EQ(p.audit[0].operation, "local_deactivation");
  // An IdP that deactivates too: no conflict, and still recorded as local.
  UserPlan q = PlanUpsert("id1", 2, Attrs(R"({"userName":"a","active":false})"), row, Settings{});
  EXPECT_TRUE(q.next.locally_deactivated);
  EXPECT_NE(q.conflict, ConflictStep::kOpen);
}

TEST(PolicyTest, ARowInactiveWhenFirstSeenIsLocallyDeactivated) {
  DirectoryUser row;
  row.key = "9";
  row.user_name = "a";
  row.active = false;
  row.role = Role::kModerator;
  UserPlan p = PlanUpsert("id1", 1, Attrs(R"({"userName":"a","active":true})"), row, Settings{});
  EXPECT_FALSE(p.next.active);
  EXPECT_TRUE(p.next.locally_deactivated);
  EXPECT_EQ(p.next.role, Role::kModerator) << "adopting never changes a role the switches guard";
  EXPECT_EQ(p.conflict, ConflictStep::kOpen);
  EXPECT_EQ(p.audit[0].operation, "adopt");
}

TEST(PolicyTest, AReactivationInTheApplicationClearsTheLocalDeactivation) {
  DirectoryUser row = LocallyDeactivated();
  row.active = true;  // the application reactivated it
  UserPlan p = PlanUpsert("id1", 2, Attrs(R"({"userName":"a","active":true})"), row, Settings{});
  EXPECT_TRUE(p.next.active);
  EXPECT_FALSE(p.next.locally_deactivated);
  EXPECT_EQ(p.conflict, ConflictStep::kResolve);
  // Then it follows the IdP again.
  UserPlan q =
      PlanUpsert("id1", 3, Attrs(R"({"userName":"a","active":false})"), p.next, Settings{});
  EXPECT_FALSE(q.next.active);
  EXPECT_FALSE(q.next.locally_deactivated);
}

TEST(PolicyTest, ALocalRoleStaysWhileItsSwitchIsOffAndIsReplacedWhenOn) {
  DirectoryUser row = Applied();
  row.role = Role::kModerator;  // the application promoted the user itself
  Json wants = Attrs(R"({"userName":"a","userType":"Registered"})");
  UserPlan off = PlanUpsert("id1", 2, wants, row, Switches(false, false));
  EXPECT_EQ(off.next.role, Role::kModerator);
  ASSERT_EQ(off.audit.size(), 1u);
  EXPECT_NE(off.audit[0].detail.find("the application set this role"), std::string::npos);
  EXPECT_EQ(off.next.applied_role, Role::kRegistered) << "the role scimsync applied stays";
  // The row as the daemon left it after the refused change: still the
  // application's role, at the next apply and when the switch is on.
  UserPlan again = PlanUpsert("id1", 3, wants, off.next, Switches(false, false));
  ASSERT_EQ(again.audit.size(), 1u);
  EXPECT_NE(again.audit[0].detail.find("the application set this role"), std::string::npos);
  UserPlan on = PlanUpsert("id1", 3, wants, off.next, Switches(true, false));
  EXPECT_EQ(on.next.role, Role::kRegistered);
  EXPECT_EQ(on.next.applied_role, Role::kRegistered);
  ASSERT_EQ(on.audit.size(), 1u);
  EXPECT_NE(on.audit[0].detail.find("replaced a role the application set"), std::string::npos);
}

TEST(PolicyTest, UnmappedAttributesAreNeitherWrittenNorCompared) {
  MappedFields fields;
  fields.given_name = false;
  fields.role = false;
  DirectoryUser row = Applied();
  row.role.reset();
  row.applied_role.reset();
  UserPlan p =
      PlanUpsert("id1", 2, Attrs(R"({"userName":"a","name":{"givenName":"G"},"userType":"Admin"})"),
                 row, Switches(true, true), fields);
  EXPECT_EQ(p.next.given_name, "");
  EXPECT_FALSE(p.next.role.has_value());
  EXPECT_TRUE(p.audit.empty());
  EXPECT_EQ(p.next.scim_version, 2);
}

}  // namespace
}  // namespace scim::sync
