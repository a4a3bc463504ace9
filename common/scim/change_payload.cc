#include "common/scim/change_payload.h"

namespace scim {
namespace {

Json IdArray(const std::vector<std::string>& ids) {
  Json a = Json::MakeArray();
  for (const auto& id : ids) a.as_array().emplace_back(id);
  return a;
}

// A Group upsert's "members": the ids of "add" then "remove", or nullopt
// when all were replaced or the hint is unreadable.
std::optional<std::vector<std::string>> MembersTouched(const Json& m) {
  const Json* replace = m.Find("replace");
  if (replace && replace->is_bool() && replace->as_bool()) return std::nullopt;
  std::vector<std::string> touched;
  for (const char* k : {"add", "remove"}) {
    const Json* ids = m.Find(k);
    if (!ids) continue;
    if (!ids->is_array()) return std::nullopt;
    for (const Json& id : ids->as_array()) {
      if (!id.is_string()) return std::nullopt;
      touched.push_back(id.as_string());
    }
  }
  return touched;
}

}  // namespace

Json ChangePayload(const ResourceTypeDef& type, const ResourceRecord& record, std::string_view op,
                   const MemberDelta* members) {
  Json out = Json::MakeObject();
  out.Set("op", op);
  out.Set("resourceType", type.name);
  out.Set("id", record.id);
  out.Set("version", record.version);
  if (op != "delete") out.Set("attributes", record.attributes);
  if (members && !members->empty()) {
    Json m = Json::MakeObject();
    m.Set("replace", members->replace);
    m.Set("add", IdArray(members->add));
    m.Set("remove", IdArray(members->remove));
    out.Set("members", std::move(m));
  }
  return out;
}

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
  if (op->as_string() == "delete") {
    c.op = ChangeOp::kDelete;
    return c;
  }
  if (op->as_string() != "upsert") return InvalidValue("unknown op '" + op->as_string() + "'");
  c.op = ChangeOp::kUpsert;
  if (!attributes || !attributes->is_object()) return InvalidValue("upsert without attributes");
  c.attributes = *attributes;
  if (const Json* m = p.Find("members"); m && m->is_object() && c.resource_type == "Group") {
    c.members_touched = MembersTouched(*m);
    if (c.members_touched) c.members_base = c.version - 1;
  }
  return c;
}

}  // namespace scim
