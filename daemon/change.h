// One queued change as the daemon sees it, decoded from its payload.
#ifndef SCIM_DAEMON_CHANGE_H_
#define SCIM_DAEMON_CHANGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/scim/error.h"
#include "common/scim/json.h"

namespace scim::sync {

enum class ChangeOp { kUpsert, kDelete };

struct Change {
  std::string resource_type;  // "User" or "Group"
  std::string resource_id;
  int64_t version = 0;
  ChangeOp op = ChangeOp::kUpsert;
  Json attributes;  // the full state after the change (upsert)
  // Groups: the members this change (or, after CoalesceMemberChanges, the
  // chain of changes since members_base) added or removed; nullopt when
  // unknown or all of them were replaced. Lets the directory sync just
  // those members when it holds version members_base.
  std::optional<std::vector<std::string>> members_touched;
  int64_t members_base = 0;
};

// Decodes a change_queue payload. Errors: 400 invalidValue when it is not
// the format described in change.cc (such a row can never apply: poison).
Result<Change> DecodeChange(std::string_view payload);

}  // namespace scim::sync

#endif  // SCIM_DAEMON_CHANGE_H_
