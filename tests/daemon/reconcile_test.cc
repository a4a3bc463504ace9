#include "daemon/reconcile.h"

#include <gtest/gtest.h>

namespace scim::sync {
namespace {

Json Attrs(const std::string& t) { return ParseJson(t).value(); }

DirectoryUser Dir(const std::string& id, const std::string& name) {
  DirectoryUser u;
  u.linked = !id.empty();
  u.scim_id = id;
  u.user_name = name;
  u.display_name = "D";
  u.scim_version = 1;
  return u;
}

TEST(ReconcileClassifyTest, EachClass) {
  Settings s;
  Json a = Attrs(R"({"userName":"ann","displayName":"D","active":true})");
  EXPECT_EQ(ClassifyUser("u1", 3, a, Dir("u1", "ann"), s).drift, DriftClass::kInSync)
      << "a newer SCIM version with the same content is not drift";
  EXPECT_EQ(ClassifyUser("u1", 1, a, std::nullopt, s).drift, DriftClass::kMissing);
  DirectoryUser changed = Dir("u1", "ann");
  changed.display_name = "Hacked";
  UserVerdict v = ClassifyUser("u1", 1, a, changed, s);
  EXPECT_EQ(v.drift, DriftClass::kDrifted);
  EXPECT_EQ(v.detail, "displayName");
  DirectoryUser local = Dir("u1", "ann");
  local.active = false;
  local.locally_deactivated = true;
  EXPECT_EQ(ClassifyUser("u1", 1, a, local, s).drift, DriftClass::kConflict);
  s.conflict_policy = ConflictPolicy::kIdpWins;
  UserVerdict idp = ClassifyUser("u1", 1, a, local, s);
  EXPECT_EQ(idp.drift, DriftClass::kConflict);
  EXPECT_TRUE(idp.plan.next.active);
}

TEST(ReconcileClassifyTest, OrphansAreReportedAndNeverDeleted) {
  Settings s;
  DirectoryUser local_only = Dir("", "bob");
  EXPECT_EQ(ClassifyOrphan(local_only, s).drift, DriftClass::kUnknown);
  EXPECT_TRUE(ClassifyOrphan(local_only, s).adopt) << "made visible to SCIM";
  EXPECT_FALSE(ClassifyOrphan(local_only, s).fix.has_value());
  local_only.is_protected = true;
  EXPECT_EQ(ClassifyOrphan(local_only, s).drift, DriftClass::kProtected);
  EXPECT_FALSE(ClassifyOrphan(local_only, s).adopt);
  DirectoryUser retired = Dir("gone", "carl");
  retired.active = false;
  EXPECT_EQ(ClassifyOrphan(retired, s).drift, DriftClass::kRetired);
  retired.active = true;
  OrphanVerdict v = ClassifyOrphan(retired, s);
  EXPECT_EQ(v.drift, DriftClass::kDrifted);
  ASSERT_TRUE(v.fix.has_value());
  EXPECT_FALSE(v.fix->active);
  retired.applied_active = false;  // the application reactivated it after scimsync's deactivation
  EXPECT_EQ(ClassifyOrphan(retired, s).drift, DriftClass::kRetired);
  EXPECT_FALSE(ClassifyOrphan(retired, s).fix.has_value());
}

TEST(ReconcileClassifyTest, TheApplicationsOwnChangesAreNotDrift) {
  Settings s;
  DirectoryUser row = Dir("u1", "ann");
  row.active = false;  // deactivated in the application; the IdP says nothing of it
  Json inactive = Attrs(R"({"userName":"ann","displayName":"D","active":false})");
  UserVerdict v = ClassifyUser("u1", 1, inactive, row, s);
  EXPECT_EQ(v.drift, DriftClass::kLocal);
  EXPECT_TRUE(v.plan.next.locally_deactivated);
  Json active = Attrs(R"({"userName":"ann","displayName":"D","active":true})");
  UserVerdict c = ClassifyUser("u1", 1, active, row, s);
  EXPECT_EQ(c.drift, DriftClass::kConflict);
  EXPECT_FALSE(c.plan.next.active) << "local_wins never reactivates it";
  row.is_protected = true;
  EXPECT_EQ(ClassifyUser("u1", 1, active, row, s).drift, DriftClass::kProtected);
}

}  // namespace
}  // namespace scim::sync
