#include "common/scim/resource.h"

#include <utility>

#include "common/scim/clock.h"
#include "common/scim/text.h"

namespace scim {
namespace {

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

std::string NumberText(const Json& v) {
  std::string s = ToJson(v);
  return s;
}

Result<Json> Scalar(const AttributeDef& def, const Json& v, const std::string& where) {
  switch (def.type) {
    case AttrType::kString:
    case AttrType::kReference:
    case AttrType::kBinary:
    case AttrType::kDateTime:
      if (v.is_string()) return v;
      if (v.is_number()) return Json(NumberText(v));  // employeeNumber: 42
      return InvalidValue("'" + where + "' must be a string");
    case AttrType::kBoolean: {
      bool b = false;
      if (!ToBool(v, &b)) return InvalidValue("'" + where + "' must be a boolean");
      return Json(b);
    }
    case AttrType::kInteger:
      if (v.kind() == Json::Kind::kInt) return v;
      if (v.is_string()) {
        auto n = ParseJson(v.as_string());
        if (n.ok() && n.value().kind() == Json::Kind::kInt) return n;
      }
      return InvalidValue("'" + where + "' must be an integer");
    case AttrType::kDecimal:
      if (v.is_number()) return v;
      if (v.is_string()) {
        auto n = ParseJson(v.as_string());
        if (n.ok() && n.value().is_number()) return n;
      }
      return InvalidValue("'" + where + "' must be a number");
    case AttrType::kComplex:
      break;
  }
  return InvalidValue("'" + where + "' has an unsupported type");
}

// Entra sends app roles as {"value": "{\"id\":…,\"value\":\"Admin\",…}"}.
void ExpandJsonInValue(Json* element) {
  Json* value = element->Find("value");
  if (!value || !value->is_string() || value->as_string().empty() ||
      value->as_string().front() != '{') {
    return;
  }
  auto inner = ParseJson(value->as_string());
  if (!inner.ok() || !inner.value().is_object()) return;
  const Json& o = inner.value();
  if (const Json* v = o.FindCi("value"); v && v->is_string()) *value = *v;
  if (const Json* d = o.FindCi("displayName"); d && d->is_string() && !element->Find("display")) {
    element->Set("display", *d);
  }
}

Result<Json> ComplexValue(const AttributeDef& def, const Json& v, const std::string& where) {
  if (!v.is_object()) {
    // A bare value for a complex attribute with a "value" sub-attribute:
    // manager: "id", emails: ["a@b"].
    if (def.Sub("value") && (v.is_string() || v.is_number())) {
      Json o = Json::MakeObject();
      o.Set("value", v.is_string() ? v : Json(NumberText(v)));
      return o;
    }
    return InvalidValue("'" + where + "' must be an object");
  }
  Json out = Json::MakeObject();
  for (const auto& [key, value] : v.as_object()) {
    const AttributeDef* sub = def.Sub(key);
    if (!sub || value.is_null() || sub->mutability == AttrMutability::kReadOnly) continue;
    auto n = Scalar(*sub, value, where + "." + std::string(sub->name));
    if (!n.ok()) return n.error();
    out.Set(sub->name, std::move(n).value());
  }
  if (EqualsCi(def.name, "roles") || EqualsCi(def.name, "entitlements")) ExpandJsonInValue(&out);
  return out;
}

// Returns null for "not set".
Result<Json> AttributeValue(const AttributeDef& def, const Json& v) {
  std::string where(def.name);
  if (v.is_null()) return Json();
  if (!def.multi_valued) {
    if (def.type != AttrType::kComplex) return Scalar(def, v, where);
    if (v.is_array()) {  // manager: [{"value": …}]
      if (v.as_array().empty()) return Json();
      if (v.as_array().size() != 1) return InvalidValue("'" + where + "' takes one value");
      return ComplexValue(def, v.as_array()[0], where);
    }
    auto c = ComplexValue(def, v, where);
    if (c.ok() && c.value().as_object().empty()) return Json();
    return c;
  }
  Json::Array items = v.is_array() ? v.as_array() : Json::Array{v};
  Json out = Json::MakeArray();
  for (const auto& item : items) {
    if (item.is_null()) continue;
    auto n =
        def.type == AttrType::kComplex ? ComplexValue(def, item, where) : Scalar(def, item, where);
    if (!n.ok()) return n.error();
    if (n.value().is_object() && n.value().as_object().empty()) continue;
    out.as_array().push_back(std::move(n).value());
  }
  if (out.as_array().empty()) return Json();
  return out;
}

Result<void> CheckSchemas(const ResourceTypeDef& type, const Json& body) {
  const Json* schemas = body.FindCi("schemas");
  if (schemas && schemas->is_array()) {
    for (const auto& s : schemas->as_array()) {
      if (s.is_string() && EqualsCi(s.as_string(), type.schema->id)) return {};
    }
  }
  return InvalidValue("'schemas' must list " + std::string(type.schema->id));
}

// Sets out[urn][attr] = value, creating the extension object.
void SetInExtension(Json* out, const SchemaDef& ext, std::string_view attr, Json value) {
  Json* obj = out->Find(ext.id);
  if (!obj) obj = &out->Set(ext.id, Json::MakeObject());
  obj->Set(attr, std::move(value));
}

Result<void> AddExtension(const SchemaDef& ext, const Json& value, Json* out) {
  if (value.is_null()) return {};
  if (!value.is_object()) return InvalidValue("'" + std::string(ext.id) + "' must be an object");
  for (const auto& [key, v] : value.as_object()) {
    const AttributeDef* def = ext.Attr(key);
    if (!def || def->mutability == AttrMutability::kReadOnly) continue;
    auto n = AttributeValue(*def, v);
    if (!n.ok()) return n.error();
    if (!n.value().is_null()) SetInExtension(out, ext, def->name, std::move(n).value());
  }
  return {};
}

// Splits "urn:…:User:department" into the extension and the attribute name.
const SchemaDef* ExtensionOfQualified(const ResourceTypeDef& type, std::string_view key,
                                      std::string_view* attr) {
  size_t colon = key.rfind(':');
  if (colon == std::string_view::npos) return nullptr;
  *attr = key.substr(colon + 1);
  return type.Extension(key.substr(0, colon));
}

Result<void> AddMember(const ResourceTypeDef& type, std::string_view key, const Json& value,
                       Json* out) {
  const AttributeDef* def = type.schema->Attr(key);
  if (!def && EqualsCi(key, "externalId")) def = CommonAttributesDef().Attr("externalId");
  if (def) {
    if (def->mutability == AttrMutability::kReadOnly) return {};
    auto n = AttributeValue(*def, value);
    if (!n.ok()) return n.error();
    if (!n.value().is_null()) out->Set(def->name, std::move(n).value());
    return {};
  }
  if (const SchemaDef* ext = type.Extension(key)) return AddExtension(*ext, value, out);
  std::string_view attr;
  const SchemaDef* ext = ExtensionOfQualified(type, key, &attr);
  if (!ext) {
    // OneLogin: enterprise attributes (department) at the top level.
    for (const auto* e : type.extensions) {
      if (e->Attr(key) && key.find(':') == std::string_view::npos) {
        ext = e;
        attr = key;
      }
    }
  }
  if (!ext) return {};  // unknown attribute or extension: ignored
  Json wrapped = Json::MakeObject();
  wrapped.Set(attr, value);
  return AddExtension(*ext, wrapped, out);
}

}  // namespace

Result<Json> NormalizeAttribute(const AttributeDef& def, const Json& value) {
  return AttributeValue(def, value);
}

Result<Json> NormalizeResource(const ResourceTypeDef& type, const Json& body,
                               bool require_schemas) {
  if (!body.is_object()) return InvalidSyntax("the resource must be a JSON object");
  if (require_schemas) {
    if (auto r = CheckSchemas(type, body); !r.ok()) return r.error();
  }
  Json out = Json::MakeObject();
  for (const auto& [key, value] : body.as_object()) {
    if (EqualsCi(key, "schemas") || EqualsCi(key, "id") || EqualsCi(key, "meta")) continue;
    if (auto r = AddMember(type, key, value, &out); !r.ok()) return r.error();
  }
  for (const auto& def : type.schema->attributes) {
    if (!def.required) continue;
    const Json* v = out.Find(def.name);
    if (!v || (v->is_string() && v->as_string().find_first_not_of(" \t") == std::string::npos)) {
      return InvalidValue("'" + std::string(def.name) + "' is required and must not be empty");
    }
  }
  return out;
}

std::string WeakEtag(int64_t version) { return "W/\"" + std::to_string(version) + "\""; }

Json RenderResource(const ResourceTypeDef& type, const ResourceRecord& record,
                    std::string_view base_url) {
  Json schemas = Json::MakeArray();
  schemas.as_array().emplace_back(type.schema->id);
  for (const auto* ext : type.extensions) {
    if (record.attributes.Find(ext->id)) schemas.as_array().emplace_back(ext->id);
  }
  Json out = Json::MakeObject();
  out.Set("schemas", std::move(schemas));
  out.Set("id", record.id);
  for (const auto& [k, v] : record.attributes.as_object()) {
    const AttributeDef* def = type.schema->Attr(k);
    if (def && def->returned == AttrReturned::kNever) continue;
    out.Set(k, v);
  }
  Json meta = Json::MakeObject();
  meta.Set("resourceType", type.name);
  meta.Set("created", FormatTimestamp(record.created_ms));
  meta.Set("lastModified", FormatTimestamp(record.last_modified_ms));
  meta.Set("location", std::string(base_url) + std::string(type.endpoint) + "/" + record.id);
  meta.Set("version", WeakEtag(record.version));
  out.Set("meta", std::move(meta));
  return out;
}

namespace {

Json Shown(std::string_view key, const Json& v) {
  if (EqualsCi(key, "password")) return Json("(changed)");
  std::string text = ToJson(v);
  if (text.size() > 200) return Json(text.substr(0, 200) + "...");
  return v;
}

void DiffInto(std::string_view prefix, const Json* before, const Json& after, Json* set,
              Json* removed) {
  for (const auto& [k, v] : after.as_object()) {
    const Json* old = before ? before->Find(k) : nullptr;
    if (old && *old == v) continue;
    if (k.rfind("urn:", 0) == 0 && v.is_object()) {
      DiffInto(k + ":", old && old->is_object() ? old : nullptr, v, set, removed);
      continue;
    }
    set->Set(std::string(prefix) + k, Shown(k, v));
  }
  if (!before) return;
  for (const auto& [k, v] : before->as_object()) {
    if (after.Find(k)) continue;
    if (k.rfind("urn:", 0) == 0 && v.is_object()) {
      for (const auto& [ek, ev] : v.as_object()) removed->as_array().emplace_back(k + ":" + ek);
      continue;
    }
    removed->as_array().emplace_back(std::string(prefix) + k);
  }
}

}  // namespace

std::string AuditDiff(const Json* before, const Json& after, const Json& members) {
  Json set = Json::MakeObject(), removed = Json::MakeArray();
  DiffInto("", before, after, &set, &removed);
  Json out = Json::MakeObject();
  if (!set.as_object().empty()) out.Set("set", std::move(set));
  if (!removed.as_array().empty()) out.Set("removed", std::move(removed));
  if (!members.is_null()) out.Set("members", members);
  std::string text = ToJson(out);
  if (text.size() > 4000) text = text.substr(0, 4000) + "...";
  return text;
}

}  // namespace scim
