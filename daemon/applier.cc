#include "daemon/applier.h"

#include "common/scim/user.h"
#include "daemon/policy.h"

namespace scim::sync {
namespace {

bool Stale(const std::optional<DirectoryUser>& u, const Change& c) {
  return u && u->linked && u->scim_id == c.resource_id && u->scim_version >= c.version;
}

// A protected account (scimctl user protect) is never changed by SCIM.
AuditEntry ProtectedEntry(const Change& c, const DirectoryUser& u) {
  return {"scim-syncd",
          "User",
          c.resource_id,
          u.user_name,
          c.op == ChangeOp::kDelete ? "delete" : "apply",
          "",
          "not_applied",
          "the account is protected (scimctl user protect): SCIM never changes it"};
}

ConflictInfo InfoOf(const DirectoryUser& u, ConflictPolicy policy) {
  return ConflictInfo{u.scim_id,  u.user_name,    true,          false,
                      u.local_by, u.local_reason, u.local_since, policy};
}

}  // namespace

Result<void> DirectoryApplier::BeginBatch() {
  auto s = recorder_.LoadSettings();
  if (!s.ok()) return s.error();
  settings_ = std::move(s).value();
  return {};
}

Result<void> DirectoryApplier::Prepare(const std::vector<Change>& changes) {
  std::vector<UserKey> keys;
  for (const auto& c : changes) {
    if (c.resource_type != "User") continue;
    keys.push_back({c.resource_id,
                    c.op == ChangeOp::kDelete ? std::string() : ColumnsOf(c.attributes).user_name});
  }
  return directory_.Prefetch(keys);
}

Result<ApplyOutcome> DirectoryApplier::Apply(const Change& change) {
  if (change.resource_type == "Group") return ApplyGroup(change);
  if (change.resource_type != "User") {
    return InvalidValue("unsupported resource type " + change.resource_type);
  }
  return change.op == ChangeOp::kDelete ? DeleteUser(change) : ApplyUser(change);
}

Result<ApplyOutcome> DirectoryApplier::ApplyUser(const Change& change) {
  auto current = directory_.FindUser(change.resource_id, ColumnsOf(change.attributes).user_name);
  if (!current.ok()) return current.error();
  if (Stale(current.value(), change)) return ApplyOutcome::kStale;
  if (current.value() && current.value()->is_protected) {
    if (auto r = recorder_.Audit(ProtectedEntry(change, *current.value())); !r.ok())
      return r.error();
    return ApplyOutcome::kApplied;
  }
  UserPlan plan = PlanUpsert(change.resource_id, change.version, change.attributes, current.value(),
                             settings_, directory_.fields());
  if (plan.write) {
    if (auto r = directory_.SaveUser(plan.next, current.value()); !r.ok()) return r.error();
  }
  if (plan.conflict == ConflictStep::kOpen) {
    auto opened = recorder_.OpenConflict(InfoOf(plan.next, settings_.conflict_policy));
    if (!opened.ok()) return opened.error();
    if (opened.value()) {
      plan.audit.push_back({"scim-syncd", "User", plan.next.scim_id, plan.next.user_name,
                            "conflict", "", "conflict",
                            "the IdP wants the user active; kept deactivated (local_wins): " +
                                plan.next.local_reason});
    }
  } else if (plan.conflict == ConflictStep::kResolve) {
    auto closed = recorder_.ResolveConflict(change.resource_id, plan.resolution);
    if (!closed.ok()) return closed.error();
  }
  for (const auto& entry : plan.audit) {
    if (auto r = recorder_.Audit(entry); !r.ok()) return r.error();
  }
  return ApplyOutcome::kApplied;
}

Result<ApplyOutcome> DirectoryApplier::DeleteUser(const Change& change) {
  auto current = directory_.FindUser(change.resource_id, "");
  if (!current.ok()) return current.error();
  if (!current.value() || Stale(current.value(), change)) return ApplyOutcome::kStale;
  if (current.value()->is_protected) {
    if (auto r = recorder_.Audit(ProtectedEntry(change, *current.value())); !r.ok())
      return r.error();
    return ApplyOutcome::kApplied;
  }
  DeletePlan plan = PlanDelete(change.version, current.value(), settings_);
  Result<void> r = plan.remove ? directory_.DeleteUser(*current.value())
                               : directory_.SaveUser(plan.next, current.value());
  if (!r.ok()) return r.error();
  auto closed = recorder_.ResolveConflict(change.resource_id, "the user was deleted in SCIM");
  if (!closed.ok()) return closed.error();
  auto audited =
      recorder_.Audit({"scim-syncd", "User", change.resource_id, current.value()->user_name,
                       "delete", "", plan.remove ? "deleted" : "deactivated", ""});
  if (!audited.ok()) return audited.error();
  return ApplyOutcome::kApplied;
}

Result<ApplyOutcome> DirectoryApplier::ApplyGroup(const Change& change) {
  if (!directory_.groups()) {  // directory.groups = none: kept in the SCIM view only
    const Json* dn = change.attributes.Find("displayName");
    auto r = recorder_.Audit({"scim-syncd", "Group", change.resource_id,
                              dn && dn->is_string() ? dn->as_string() : "",
                              change.op == ChangeOp::kDelete ? "delete" : "apply", "", "not_mapped",
                              "directory.groups = none: the change stays in the SCIM view"});
    if (!r.ok()) return r.error();
    return ApplyOutcome::kApplied;
  }
  auto current = directory_.FindGroup(change.resource_id);
  if (!current.ok()) return current.error();
  bool stale = current.value() && current.value()->scim_version >= change.version;
  if (change.op == ChangeOp::kDelete) {
    if (!current.value() || stale) return ApplyOutcome::kStale;
    if (auto r = directory_.DeleteGroup(change.resource_id); !r.ok()) return r.error();
    return ApplyOutcome::kApplied;
  }
  if (stale) return ApplyOutcome::kStale;
  const Json* dn = change.attributes.Find("displayName");
  DirectoryGroup g{change.resource_id, dn && dn->is_string() ? dn->as_string() : "", change.version,
                   current.value() ? current.value()->key : ""};
  if (auto r = directory_.SaveGroup(g); !r.ok()) return r.error();
  // The directory holds the version the member changes start from: only
  // the members they touched can differ (O(change), not O(group size)).
  bool delta = change.members_touched && current.value() &&
               current.value()->scim_version == change.members_base;
  if (auto r = directory_.SyncGroupMembers(change.resource_id,
                                           delta ? &*change.members_touched : nullptr);
      !r.ok()) {
    return r.error();
  }
  return ApplyOutcome::kApplied;
}

}  // namespace scim::sync
