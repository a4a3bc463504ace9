// The change-queue payload: its one writer (the workers, in the transaction
// that changes the SCIM view) and its one reader (the daemon). Pure.
//
//   {"op": "upsert" | "delete",
//    "resourceType": "User" | "Group",
//    "id": "<SCIM id>",
//    "version": <n, 1 for a create, +1 per change>,
//    "attributes": { <the resource's full normalised attributes> },
//    "members": {"replace": bool, "add": [ids], "remove": [ids]}}
//
// "op", "resourceType", "id" and "version" are always there. "attributes"
// is there for "upsert" and absent for "delete" (a tombstone). "members" is
// optional, on Group upserts only: a group's members are not in the payload
// (a 50,000-member group would make every change O(group size)); "members"
// says which members the change touched, and the directory reads their
// membership from scim_group_members when it applies. It is absent when
// the change did not touch members (a rename); "replace": true means all of
// them were replaced (then "add" is the whole new set). The reader turns it
// into members_touched (the ids of "add" then "remove") and members_base
// (version - 1: the version those touches apply to). When "members" is
// absent, replaces all or is unreadable, members_touched is nullopt: the
// directory then syncs all members, as it does when it does not hold
// version members_base.
//
// Each payload is the whole state after the change, never a delta: applying
// version n is idempotent, and any older pending version of the same
// resource can be skipped once a newer one is applied.
#ifndef SCIM_COMMON_SCIM_CHANGE_PAYLOAD_H_
#define SCIM_COMMON_SCIM_CHANGE_PAYLOAD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/scim/error.h"
#include "common/scim/json.h"
#include "common/scim/resource.h"
#include "common/scim/schema.h"
#include "common/scim/store.h"

namespace scim {

enum class ChangeOp { kUpsert, kDelete };

// One queued change as the daemon sees it, read from its payload.
struct Change {
  std::string resource_type;  // "User" or "Group"
  std::string resource_id;
  int64_t version = 0;
  ChangeOp op = ChangeOp::kUpsert;
  Json attributes;  // the full state after the change (upsert)
  // Groups: the members this change (or, after MergeMemberChanges, the
  // chain of changes since members_base) added or removed; nullopt when
  // unknown or all of them were replaced. Lets the directory sync just
  // those members when it holds version members_base.
  std::optional<std::vector<std::string>> members_touched;
  int64_t members_base = 0;
};

// The payload of a change to record: op "upsert" (its full state) or
// "delete" (a tombstone: only record.id and record.version are used).
// members: for a Group upsert, the member change that made it (nullptr or
// empty: members untouched).
Json ChangePayload(const ResourceTypeDef& type, const ResourceRecord& record, std::string_view op,
                   const MemberDelta* members = nullptr);

// Reads a payload. Errors: 400 invalidValue when it is not the format above
// (such a row can never apply: poison).
Result<Change> DecodeChange(std::string_view payload);

}  // namespace scim

#endif  // SCIM_COMMON_SCIM_CHANGE_PAYLOAD_H_
