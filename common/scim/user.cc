#include "common/scim/user.h"

#include <array>

#include "common/scim/clock.h"
#include "common/scim/schema.h"

namespace scim {
namespace {

enum class AttrType { kString, kBoolean, kComplex, kMultiComplex, kReadOnly };

struct AttrDef {
  std::string_view name;  // canonical
  AttrType type;
};

// RFC 7643 §4.1 User attributes. The full schema registry (mutability,
// returned, sub-attributes) replaces this table with issue 3.
constexpr std::array<AttrDef, 25> kUserAttrs{{
    {"userName", AttrType::kString},
    {"externalId", AttrType::kString},
    {"name", AttrType::kComplex},
    {"displayName", AttrType::kString},
    {"nickName", AttrType::kString},
    {"profileUrl", AttrType::kString},
    {"title", AttrType::kString},
    {"userType", AttrType::kString},
    {"preferredLanguage", AttrType::kString},
    {"locale", AttrType::kString},
    {"timezone", AttrType::kString},
    {"active", AttrType::kBoolean},
    {"emails", AttrType::kMultiComplex},
    {"phoneNumbers", AttrType::kMultiComplex},
    {"ims", AttrType::kMultiComplex},
    {"photos", AttrType::kMultiComplex},
    {"addresses", AttrType::kMultiComplex},
    {"entitlements", AttrType::kMultiComplex},
    {"roles", AttrType::kMultiComplex},
    {"x509Certificates", AttrType::kMultiComplex},
    {kEnterpriseUserSchema, AttrType::kComplex},
    {"id", AttrType::kReadOnly},
    {"meta", AttrType::kReadOnly},
    {"groups", AttrType::kReadOnly},
    {"schemas", AttrType::kReadOnly},
}};

const AttrDef* FindAttr(std::string_view name) {
  for (const auto& def : kUserAttrs) {
    if (EqualsCi(def.name, name)) return &def;
  }
  return nullptr;
}

// Accepts JSON booleans and the strings IdPs send for them ("True", "false").
bool ToBool(const Json& v, bool* out) {
  if (v.is_bool()) {
    *out = v.as_bool();
    return true;
  }
  if (v.is_string() && (EqualsCi(v.as_string(), "true") || EqualsCi(v.as_string(), "false"))) {
    *out = EqualsCi(v.as_string(), "true");
    return true;
  }
  return false;
}

// Drops null members of a complex value, recursively.
Json WithoutNulls(const Json& v) {
  if (v.is_object()) {
    Json out = Json::MakeObject();
    for (const auto& [k, child] : v.as_object()) {
      if (!child.is_null()) out.Set(k, WithoutNulls(child));
    }
    return out;
  }
  if (v.is_array()) {
    Json out = Json::MakeArray();
    for (const auto& child : v.as_array()) {
      if (!child.is_null()) out.as_array().push_back(WithoutNulls(child));
    }
    return out;
  }
  return v;
}

Result<Json> NormalizeValue(const AttrDef& def, const Json& v) {
  std::string name(def.name);
  switch (def.type) {
    case AttrType::kString:
      if (!v.is_string()) return InvalidValue("'" + name + "' must be a string");
      return v;
    case AttrType::kBoolean: {
      bool b = false;
      if (!ToBool(v, &b)) return InvalidValue("'" + name + "' must be a boolean");
      return Json(b);
    }
    case AttrType::kComplex:
      if (!v.is_object()) return InvalidValue("'" + name + "' must be an object");
      return WithoutNulls(v);
    case AttrType::kMultiComplex:
      // OneLogin sends a single object where an array is due.
      if (v.is_object()) return Json(Json::Array{WithoutNulls(v)});
      if (!v.is_array()) return InvalidValue("'" + name + "' must be an array");
      return WithoutNulls(v);
    case AttrType::kReadOnly:
      break;
  }
  return Json();
}

Result<void> CheckSchemas(const Json& body) {
  const Json* schemas = body.FindCi("schemas");
  if (schemas && schemas->is_array()) {
    for (const auto& s : schemas->as_array()) {
      if (s.is_string() && EqualsCi(s.as_string(), kUserSchema)) return {};
    }
  }
  return InvalidValue("'schemas' must list " + std::string(kUserSchema));
}

std::string StringAt(const Json* v) { return v && v->is_string() ? v->as_string() : ""; }

}  // namespace

Result<Json> NormalizeUser(const Json& body) {
  if (!body.is_object()) return InvalidSyntax("the request body must be a JSON object");
  if (auto r = CheckSchemas(body); !r.ok()) return r.error();
  Json out = Json::MakeObject();
  for (const auto& [key, value] : body.as_object()) {
    const AttrDef* def = FindAttr(key);
    if (!def || def->type == AttrType::kReadOnly || value.is_null()) continue;
    auto normalized = NormalizeValue(*def, value);
    if (!normalized.ok()) return normalized.error();
    out.Set(def->name, std::move(normalized).value());
  }
  const Json* user_name = out.Find("userName");
  if (!user_name || user_name->as_string().find_first_not_of(" \t") == std::string::npos) {
    return InvalidValue("'userName' is required and must not be empty");
  }
  return out;
}

UserColumns ColumnsOf(const Json& attributes) {
  UserColumns c;
  c.user_name = StringAt(attributes.Find("userName"));
  c.external_id = StringAt(attributes.Find("externalId"));
  c.display_name = StringAt(attributes.Find("displayName"));
  c.user_type = StringAt(attributes.Find("userType"));
  if (const Json* name = attributes.Find("name")) {
    c.given_name = StringAt(name->FindCi("givenName"));
    c.family_name = StringAt(name->FindCi("familyName"));
  }
  if (const Json* emails = attributes.Find("emails"); emails && emails->is_array()) {
    for (const auto& e : emails->as_array()) {
      std::string value = StringAt(e.FindCi("value"));
      const Json* primary = e.FindCi("primary");
      bool is_primary = false;
      if (primary) ToBool(*primary, &is_primary);
      if (c.email.empty() || is_primary) c.email = value;
      if (is_primary) break;
    }
  }
  if (const Json* active = attributes.Find("active")) ToBool(*active, &c.active);
  return c;
}

std::string WeakEtag(int64_t version) { return "W/\"" + std::to_string(version) + "\""; }

Json RenderUser(const UserRecord& user, std::string_view base_url) {
  Json schemas = Json::MakeArray();
  schemas.as_array().emplace_back(kUserSchema);
  if (user.attributes.Find(kEnterpriseUserSchema)) {
    schemas.as_array().emplace_back(kEnterpriseUserSchema);
  }
  Json out = Json::MakeObject();
  out.Set("schemas", std::move(schemas));
  out.Set("id", user.id);
  for (const auto& [k, v] : user.attributes.as_object()) out.Set(k, v);
  Json meta = Json::MakeObject();
  meta.Set("resourceType", "User");
  meta.Set("created", FormatTimestamp(user.created_ms));
  meta.Set("lastModified", FormatTimestamp(user.last_modified_ms));
  meta.Set("location", std::string(base_url) + "/Users/" + user.id);
  meta.Set("version", WeakEtag(user.version));
  out.Set("meta", std::move(meta));
  return out;
}

Json UserChangePayload(const UserRecord& user, std::string_view op) {
  Json out = Json::MakeObject();
  out.Set("op", op);
  out.Set("resourceType", "User");
  out.Set("id", user.id);
  out.Set("version", user.version);
  out.Set("attributes", user.attributes);
  return out;
}

}  // namespace scim
