#include "daemon/reconcile.h"

namespace scim::sync {
namespace {

std::string Differences(const DirectoryUser& have, const DirectoryUser& want) {
  std::string d;
  auto field = [&](const char* name, const std::string& a, const std::string& b) {
    if (a != b) d += std::string(d.empty() ? "" : ", ") + name;
  };
  field("userName", have.user_name, want.user_name);
  field("givenName", have.given_name, want.given_name);
  field("familyName", have.family_name, want.family_name);
  field("displayName", have.display_name, want.display_name);
  field("email", have.email, want.email);
  field("role", std::string(RoleName(have.role)), std::string(RoleName(want.role)));
  if (have.active != want.active) d += std::string(d.empty() ? "" : ", ") + "active";
  if (have.scim_id != want.scim_id) d += std::string(d.empty() ? "" : ", ") + "scim_id";
  return d;
}

}  // namespace

std::string_view DriftClassName(DriftClass c) {
  switch (c) {
    case DriftClass::kInSync:
      return "in_sync";
    case DriftClass::kMissing:
      return "missing";
    case DriftClass::kDrifted:
      return "drifted";
    case DriftClass::kConflict:
      return "conflict";
    case DriftClass::kUnknown:
      return "unknown";
    case DriftClass::kRetired:
      return "retired";
  }
  return "in_sync";
}

UserVerdict ClassifyUser(const std::string& scim_id, int64_t version, const Json& attributes,
                         const std::optional<DirectoryUser>& current, const Settings& settings) {
  UserVerdict v;
  // Plan as if the directory were at this version already, so that only
  // content differences count (scim_version itself is not drift).
  std::optional<DirectoryUser> base = current;
  if (base && base->scim_id == scim_id) base->scim_version = version;
  v.plan = PlanUpsert(scim_id, version, attributes, base, settings);
  if (!current) {
    v.drift = DriftClass::kMissing;
    return v;
  }
  bool idp_wants_active = v.plan.conflict != ConflictStep::kNone && current->locally_deactivated &&
                          (v.plan.conflict == ConflictStep::kOpen || v.plan.next.active);
  if (idp_wants_active) {
    v.drift = DriftClass::kConflict;
    v.detail = "locally deactivated by " + current->local_by + ": " + current->local_reason;
    return v;
  }
  if (v.plan.write) {
    v.drift = DriftClass::kDrifted;
    v.detail = Differences(*current, v.plan.next);
  }
  return v;
}

OrphanVerdict ClassifyOrphan(const DirectoryUser& user, const Settings& settings) {
  OrphanVerdict v;
  if (user.scim_id.empty()) return v;  // never provisioned by SCIM: report, never delete
  v.drift = DriftClass::kRetired;
  if (user.active && settings.delete_behaviour == DeleteBehaviour::kDeactivate) {
    DirectoryUser fixed = user;
    fixed.active = false;
    v.drift = DriftClass::kDrifted;
    v.fix = fixed;
  }
  return v;
}

}  // namespace scim::sync
