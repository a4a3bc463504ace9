// The change-queue payload, written by the workers in the transaction that
// changes the SCIM view (common/scim/user.cc, UserChangePayload) and read
// here:
//
//   {"op": "upsert" | "delete",
//    "resourceType": "User",
//    "id": "<SCIM id>",
//    "version": <n, 1 for a create, +1 per change>,
//    "attributes": { <the resource's full normalised attributes> },
//    "members": {"replace": bool, "add": [ids], "remove": [ids]}}   (Groups)
//
// "attributes" is absent for "delete" (a tombstone). A group's members are
// not in the payload (a 50,000-member group would make every change
// O(group size)); "members" is only a hint of what changed, and the
// directory reads the membership from scim_group_members when it applies.
//
// Each payload is the whole state after the change, never a delta: applying
// version n is idempotent, and any older pending version of the same
// resource can be skipped once a newer one is applied.
#include "daemon/change.h"

namespace scim::sync {

Result<Change> DecodeChange(std::string_view payload) {
  auto parsed = ParseJson(payload);
  if (!parsed.ok()) return InvalidValue("payload is not JSON: " + parsed.error().detail);
  const Json& p = parsed.value();
  const Json* op = p.Find("op");
  const Json* type = p.Find("resourceType");
  const Json* id = p.Find("id");
  const Json* version = p.Find("version");
  const Json* attributes = p.Find("attributes");
  if (!op || !op->is_string() || !type || !type->is_string() || !id || !id->is_string() ||
      !version || version->kind() != Json::Kind::kInt) {
    return InvalidValue("payload lacks op, resourceType, id or version");
  }
  Change c;
  c.resource_type = type->as_string();
  c.resource_id = id->as_string();
  c.version = version->as_int();
  if (op->as_string() == "upsert") {
    c.op = ChangeOp::kUpsert;
    if (!attributes || !attributes->is_object()) return InvalidValue("upsert without attributes");
    c.attributes = *attributes;
  } else if (op->as_string() == "delete") {
    c.op = ChangeOp::kDelete;
  } else {
    return InvalidValue("unknown op '" + op->as_string() + "'");
  }
  return c;
}

}  // namespace scim::sync
