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
  field("externalId", have.external_id, want.external_id);
  field("department", have.department, want.department);
  field("title", have.title, want.title);
  auto role = [](const std::optional<Role>& r) { return r ? std::string(RoleName(*r)) : ""; };
  field("role", role(have.role), role(want.role));
  if (have.active != want.active) d += std::string(d.empty() ? "" : ", ") + "active";
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
    case DriftClass::kLocal:
      return "local_change";
    case DriftClass::kProtected:
      return "protected";
  }
  return "in_sync";
}

UserVerdict ClassifyUser(const std::string& scim_id, int64_t version, const Json& attributes,
                         const std::optional<DirectoryUser>& current, const Settings& settings,
                         const MappedFields& fields) {
  UserVerdict v;
  if (current && current->is_protected) {
    v.drift = DriftClass::kProtected;
    v.plan.next = *current;
    return v;
  }
  // Plan as if the directory were at this version already, so that only
  // content differences count (scim_version itself is not drift).
  std::optional<DirectoryUser> base = current;
  if (base && base->linked && base->scim_id == scim_id) base->scim_version = version;
  v.plan = PlanUpsert(scim_id, version, attributes, base, settings, fields);
  if (!current) {
    v.drift = DriftClass::kMissing;
    return v;
  }
  const DirectoryUser& next = v.plan.next;
  bool reactivated = v.plan.conflict == ConflictStep::kResolve && next.active && !current->active;
  if (v.plan.conflict == ConflictStep::kOpen || reactivated) {
    v.drift = DriftClass::kConflict;
    v.detail = "locally deactivated by " + next.local_by + ": " + next.local_reason;
    if (reactivated) v.detail = "reactivated (idp_wins); it was " + v.detail;
    return v;
  }
  if (!v.plan.write) return v;
  v.detail = Differences(*current, next);
  v.drift = v.detail.empty() ? DriftClass::kLocal : DriftClass::kDrifted;
  if (v.drift == DriftClass::kLocal) {
    v.detail = next.locally_deactivated
                   ? "locally deactivated by " + next.local_by + ": " + next.local_reason
                   : "scimsync's record of the row updated";
  }
  return v;
}

OrphanVerdict ClassifyOrphan(const DirectoryUser& user, const Settings& settings) {
  OrphanVerdict v;
  if (user.is_protected) {
    v.drift = DriftClass::kProtected;
    return v;
  }
  if (!user.linked) {  // the application made it: make it visible to SCIM
    v.adopt = true;
    return v;
  }
  v.drift = DriftClass::kRetired;
  if (user.active && user.applied_active &&
      settings.delete_behaviour == DeleteBehaviour::kDeactivate) {
    DirectoryUser fixed = user;
    fixed.active = false;
    fixed.applied_active = false;
    v.drift = DriftClass::kDrifted;
    v.fix = fixed;
  }
  return v;
}

}  // namespace scim::sync
