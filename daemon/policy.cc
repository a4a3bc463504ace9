#include "daemon/policy.h"

#include "common/scim/user.h"

namespace scim::sync {
namespace {

constexpr char kIdpWinsReactivated[] = "idp_wins: reactivated";

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
  u->external_id = c.external_id;
  u->department = c.department;
  u->title = c.title;
}

AuditEntry Entry(const DirectoryUser& u, std::string operation, std::string outcome,
                 std::string detail) {
  return AuditEntry{"scim-syncd",         "User", u.scim_id,          u.user_name,
                    std::move(operation), "",     std::move(outcome), std::move(detail)};
}

// Returns true when the role the application set stays against the IdP's
// wish: the role scimsync applied then stays what it was, so the next
// apply still knows the row's role is the application's.
bool PlanRole(const Json& attributes, const Settings& settings, const MappedFields& fields,
              UserPlan* plan) {
  std::optional<Role> want = RequestedRole(attributes, settings);
  if (!want || !fields.role || plan->next.role == want) return false;
  if (!plan->next.role) {
    plan->audit.push_back(Entry(plan->next, "role", "not_applied",
                                "-> " + std::string(RoleName(*want)) +
                                    " refused: the application's role value is not one of "
                                    "directory.role_values"));
    return false;
  }
  Role have = *plan->next.role;
  // The application changed the role since scimsync last applied one.
  bool local = plan->next.linked && plan->next.applied_role && *plan->next.applied_role != have;
  std::string change = std::string(RoleName(have)) + " -> " + std::string(RoleName(*want));
  std::string reason;
  if (RoleChangeAllowed(have, *want, settings, &reason)) {
    plan->next.role = *want;
    plan->audit.push_back(Entry(plan->next, "role", "applied",
                                change + (local ? " (replaced a role the application set)" : "")));
    return false;
  }
  plan->audit.push_back(Entry(plan->next, "role", "not_applied",
                              change + " refused: " + reason +
                                  (local ? " (the application set this role; it stays)" : "")));
  return local;
}

// A row scimsync sees for the first time (the application made it): what
// it shows now counts as applied, and inactive means the application
// deactivated it (DESIGN §6).
void NoteFirstSight(UserPlan* plan) {
  DirectoryUser& u = plan->next;
  u.applied_active = u.active;
  u.applied_role = u.role;
  plan->audit.push_back(Entry(u, "adopt", "linked",
                              "the application's account (key " + u.key +
                                  ") is now this SCIM user" +
                                  (u.active ? "" : "; it was inactive: a local deactivation")));
  if (!u.active) {
    u.locally_deactivated = true;
    u.local_by = "application";
    u.local_reason = "inactive when scimsync first saw it";
    u.local_since.clear();
  }
}

// The application's own changes to the row since scimsync last applied it:
// a deactivation it did not make is a local deactivation; a reactivation
// of a locally deactivated row clears it (the user follows the IdP again).
void NoteLocalChanges(UserPlan* plan) {
  DirectoryUser& u = plan->next;
  if (!u.linked) return NoteFirstSight(plan);
  if (!u.locally_deactivated && !u.active && u.applied_active) {
    u.locally_deactivated = true;
    u.local_by = "application";
    u.local_reason = "deactivated in the application";
    u.local_since.clear();
    plan->audit.push_back(Entry(u, "local_deactivation", "recorded", u.local_reason));
  } else if (u.locally_deactivated && u.active) {
    u.locally_deactivated = false;
    u.local_by.clear();
    u.local_reason.clear();
    u.local_since.clear();
    plan->conflict = ConflictStep::kResolve;
    plan->resolution = "reactivated in the application";
    plan->audit.push_back(Entry(u, "local_reactivation", "recorded",
                                "reactivated in the application: follows the IdP again"));
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
  plan->resolution = kIdpWinsReactivated;
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
                    const std::optional<DirectoryUser>& current, const Settings& settings,
                    const MappedFields& fields) {
  UserPlan plan;
  plan.next = current.value_or(DirectoryUser{});
  if (!current && fields.role) plan.next.role = Role::kRegistered;
  plan.next.scim_id = scim_id;
  if (current) NoteLocalChanges(&plan);
  if (current && current->linked && current->scim_id != scim_id) {
    plan.audit.push_back(
        Entry(plan.next, "adopt", "linked",
              "took over the account of the deleted SCIM user " + current->scim_id));
  }
  plan.next.scim_version = version;
  CopyProfile(attributes, &plan.next);
  MaskUnmapped(fields, &plan.next);
  bool local_role_stays = PlanRole(attributes, settings, fields, &plan);
  PlanActive(ColumnsOf(attributes).active, settings, &plan);
  plan.next.linked = true;
  plan.next.applied_active = plan.next.active;
  if (!local_role_stays) plan.next.applied_role = plan.next.role;
  // (An idp_wins reactivation has its own entry already.)
  if (current && current->active != plan.next.active && plan.resolution != kIdpWinsReactivated) {
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
  plan.next.applied_active = false;
  plan.next.scim_version = version;
  plan.write = true;
  return plan;
}

}  // namespace scim::sync
