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
// O(group size)); "members" says which members the change touched, and the
// directory reads their membership from scim_group_members when it applies
// (all members when it does not hold the version before).
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
    if (const Json* m = p.Find("members"); m && m->is_object() && c.resource_type == "Group") {
      const Json* replace = m->Find("replace");
      if (!(replace && replace->is_bool() && replace->as_bool())) {
        std::vector<std::string> touched;
        bool readable = true;
        for (const char* k : {"add", "remove"}) {
          const Json* ids = m->Find(k);
          if (!ids) continue;
          if (!ids->is_array()) {
            readable = false;
            break;
          }
          for (const Json& id : ids->as_array()) {
            if (!id.is_string()) readable = false;
            if (readable) touched.push_back(id.as_string());
          }
        }
        if (readable) {
          c.members_touched = std::move(touched);
          c.members_base = c.version - 1;
        }
      }
    }
  } else if (op->as_string() == "delete") {
    c.op = ChangeOp::kDelete;
  } else {
    return InvalidValue("unknown op '" + op->as_string() + "'");
  }
  return c;
}

}  // namespace scim::sync
