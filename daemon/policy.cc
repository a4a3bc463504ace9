#include "daemon/policy.h"

#include "common/scim/user.h"

namespace scim::sync {
namespace {

const Json* PrimaryRole(const Json& attributes) {
  const Json* roles = attributes.Find("roles");
  if (!roles || !roles->is_array() || roles->as_array().empty()) return nullptr;
  for (const auto& r : roles->as_array()) {
    const Json* p = r.Find("primary");
    if (p && p->is_bool() && p->as_bool()) return r.Find("value");
  }
  return roles->as_array().size() == 1 ? roles->as_array()[0].Find("value") : nullptr;
}

bool NeedsSwitch(Role r) { return r != Role::kRegistered; }

bool SwitchOn(Role r, const Settings& s) {
  return r == Role::kModerator ? s.allow_moderator_promotion : s.allow_admin_promotion;
}

std::string SwitchName(Role r) {
  return r == Role::kModerator ? "allow_moderator_promotion" : "allow_admin_promotion";
}

// The profile part of a directory user from SCIM attributes.
void CopyProfile(const Json& attributes, DirectoryUser* u) {
  UserColumns c = ColumnsOf(attributes);
  u->user_name = c.user_name;
  u->given_name = c.given_name;
  u->family_name = c.family_name;
  u->display_name = c.display_name;
  u->email = c.email;
}

AuditEntry Entry(const DirectoryUser& u, std::string operation, std::string outcome,
                 std::string detail) {
  return AuditEntry{"scim-syncd",         "User", u.scim_id,          u.user_name,
                    std::move(operation), "",     std::move(outcome), std::move(detail)};
}

void PlanRole(const Json& attributes, const Settings& settings, UserPlan* plan) {
  std::optional<Role> want = RequestedRole(attributes, settings);
  Role have = plan->next.role;
  if (!want || *want == have) return;
  std::string reason;
  if (RoleChangeAllowed(have, *want, settings, &reason)) {
    plan->next.role = *want;
    plan->audit.push_back(
        Entry(plan->next, "role", "applied",
              std::string(RoleName(have)) + " -> " + std::string(RoleName(*want))));
  } else {
    plan->audit.push_back(Entry(plan->next, "role", "not_applied",
                                std::string(RoleName(have)) + " -> " +
                                    std::string(RoleName(*want)) + " refused: " + reason));
  }
}

void PlanActive(bool idp_active, const Settings& settings, UserPlan* plan) {
  DirectoryUser& u = plan->next;
  if (!u.locally_deactivated) {
    u.active = idp_active;
    return;
  }
  if (!idp_active) {  // the IdP agrees now
    u.active = false;
    plan->conflict = ConflictStep::kResolve;
    plan->resolution = "the IdP deactivated the user too";
    return;
  }
  if (settings.conflict_policy == ConflictPolicy::kLocalWins) {
    u.active = false;
    plan->conflict = ConflictStep::kOpen;
    return;
  }
  plan->audit.push_back(Entry(
      u, "conflict", "idp_wins",
      "reactivated despite the local deactivation by " + u.local_by + " (" + u.local_reason + ")"));
  u.active = true;
  u.locally_deactivated = false;
  u.local_by.clear();
  u.local_reason.clear();
  u.local_since.clear();
  plan->conflict = ConflictStep::kResolve;
  plan->resolution = "idp_wins: reactivated";
}

}  // namespace

std::optional<Role> RequestedRole(const Json& attributes, const Settings& settings) {
  if (const Json* t = attributes.Find("userType"); t && t->is_string()) {
    if (auto r = ParseRole(t->as_string())) return r;
  }
  const Json* value = PrimaryRole(attributes);
  if (!value || !value->is_string()) return std::nullopt;
  auto mapped = settings.role_mappings.find(value->as_string());
  if (mapped != settings.role_mappings.end()) return mapped->second;
  return ParseRole(value->as_string());
}

bool RoleChangeAllowed(Role from, Role to, const Settings& settings, std::string* reason) {
  for (Role r : {from, to}) {
    if (NeedsSwitch(r) && !SwitchOn(r, settings)) {
      *reason = SwitchName(r) + " is off";
      return false;
    }
  }
  return true;
}

UserPlan PlanUpsert(const std::string& scim_id, int64_t version, const Json& attributes,
                    const std::optional<DirectoryUser>& current, const Settings& settings) {
  UserPlan plan;
  plan.next = current.value_or(DirectoryUser{});
  plan.next.scim_id = scim_id;
  plan.next.scim_version = version;
  CopyProfile(attributes, &plan.next);
  PlanRole(attributes, settings, &plan);
  PlanActive(ColumnsOf(attributes).active, settings, &plan);
  // (An idp_wins reactivation has its own entry already.)
  if (current && current->active != plan.next.active && plan.conflict != ConflictStep::kResolve) {
    plan.audit.push_back(
        Entry(plan.next, "active", "applied", plan.next.active ? "reactivated" : "deactivated"));
  }
  plan.write = !current || !(*current == plan.next);
  return plan;
}

DeletePlan PlanDelete(int64_t version, const std::optional<DirectoryUser>& current,
                      const Settings& settings) {
  DeletePlan plan;
  if (!current) return plan;
  if (settings.delete_behaviour == DeleteBehaviour::kDelete) {
    plan.remove = true;
    return plan;
  }
  plan.next = *current;
  plan.next.active = false;
  plan.next.scim_version = version;
  plan.write = true;
  return plan;
}

}  // namespace scim::sync
