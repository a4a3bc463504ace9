// What a change means for the directory: the pure decisions of the daemon
// (DESIGN §4-§6). Roles from userType or the primary role through role
// mappings, gated by the two promotion switches; the IdP's active flag
// against local deactivations under the conflict policy; DELETE as
// deactivation or deletion.
#ifndef SCIM_DAEMON_POLICY_H_
#define SCIM_DAEMON_POLICY_H_

#include <optional>
#include <string>
#include <vector>

#include "common/scim/json.h"
#include "common/sync/settings.h"
#include "daemon/target_directory.h"

namespace scim::sync {

// The role the IdP asks for: userType if it names a role, else the primary
// (or only) entry of roles through the role mappings (or naming a role
// itself). nullopt: the IdP asks for no role (an unknown userType changes
// nothing).
std::optional<Role> RequestedRole(const Json& attributes, const Settings& settings);

// Whether moving from `from` to `to` is allowed: it needs the switch of
// every role it moves into or out of (Registered needs none). On refusal,
// *reason says which switch is off.
bool RoleChangeAllowed(Role from, Role to, const Settings& settings, std::string* reason);

enum class ConflictStep { kNone, kOpen, kResolve };

struct UserPlan {
  DirectoryUser next;
  bool write = false;  // next differs from the directory
  ConflictStep conflict = ConflictStep::kNone;
  std::string resolution;         // with kResolve
  std::vector<AuditEntry> audit;  // role refusals, idp_wins reactivations
};

// The plan for an upsert of version `version` of a user whose SCIM id is
// scim_id, given the directory's current state (nullopt: not there yet).
// First, what the application changed in the row since scimsync last
// applied it (DESIGN §6): a row never seen counts as applied as it is
// (inactive: locally deactivated); a deactivation scimsync did not make is
// a local deactivation; a locally deactivated row made active again is a
// local reactivation; a role scimsync did not set is the current role,
// which the promotion switches guard as any other. Then the IdP's values:
// profile overwritten (only the attributes `fields` has), role, active.
// next.applied_* is what the row holds after the plan.
UserPlan PlanUpsert(const std::string& scim_id, int64_t version, const Json& attributes,
                    const std::optional<DirectoryUser>& current, const Settings& settings,
                    const MappedFields& fields = {});

// The plan for a SCIM DELETE (tombstone version `version`) under the
// delete_behaviour setting.
struct DeletePlan {
  bool remove = false;  // delete the directory user
  bool write = false;   // else: save next (deactivated)
  DirectoryUser next;
};
DeletePlan PlanDelete(int64_t version, const std::optional<DirectoryUser>& current,
                      const Settings& settings);

}  // namespace scim::sync

#endif  // SCIM_DAEMON_POLICY_H_
