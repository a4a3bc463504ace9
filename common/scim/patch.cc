#include "common/scim/patch.h"

#include <utility>

#include "common/scim/filter_eval.h"
#include "common/scim/resource.h"
#include "common/scim/text.h"

namespace scim {
namespace {

// Where an attribute lives in the stored attributes: the top level, or the
// extension object under its URN.
struct Target {
  Json* container = nullptr;  // nullptr: nothing to do (unknown attribute)
  const AttributeDef* def = nullptr;
  const AttributeDef* sub = nullptr;  // set for "attr.sub"
};

Result<Target> Locate(const ResourceTypeDef& type, Json* doc, const AttrPath& path, bool create) {
  ResolvedAttr r = Resolve(type, path);
  if (!r.attr) return Target{};  // unknown attributes are ignored, as on POST
  if (r.attr->mutability == AttrMutability::kReadOnly ||
      (r.sub && r.sub->mutability == AttrMutability::kReadOnly)) {
    return Mutability("'" + ToString(path) + "' is read-only");
  }
  Target t{doc, r.attr, r.sub};
  if (r.in_extension) {
    t.container = doc->Find(r.schema->id);
    if (!t.container && create) t.container = &doc->Set(r.schema->id, Json::MakeObject());
  }
  return t;
}

// Only one value of a multi-valued attribute may be primary (RFC 7643 §2.4).
void KeepOnePrimary(Json* arr, size_t keep) {
  for (size_t i = 0; i < arr->as_array().size(); ++i) {
    Json& e = arr->as_array()[i];
    if (i != keep && e.is_object()) {
      if (Json* p = e.Find("primary"); p && p->is_bool() && p->as_bool()) *p = Json(false);
    }
  }
}

// Appends the values of `added` that are not there yet.
void AddValues(Json* container, const AttributeDef& def, const Json& added) {
  Json* arr = container->Find(def.name);
  if (!arr || !arr->is_array()) arr = &container->Set(def.name, Json::MakeArray());
  for (const auto& v : added.as_array()) {
    bool present = false;
    for (const auto& e : arr->as_array()) present = present || e == v;
    if (present) continue;
    arr->as_array().push_back(v);
    const Json* p = v.is_object() ? v.Find("primary") : nullptr;
    if (p && p->is_bool() && p->as_bool()) KeepOnePrimary(arr, arr->as_array().size() - 1);
  }
}

void MergeInto(Json* target, const Json& value) {
  if (!target->is_object() || !value.is_object()) {
    *target = value;
    return;
  }
  for (const auto& [k, v] : value.as_object()) target->Set(k, v);
}

bool SameValue(const Json& element, const Json& given) {
  const Json* gv = given.is_object() ? given.Find("value") : nullptr;
  const Json* ev = element.is_object() ? element.Find("value") : nullptr;
  if (gv && ev) return *gv == *ev;
  return element == given;
}

// remove with a value: drop exactly the given values (Entra member removal).
void RemoveValues(Json* container, const AttributeDef& def, const Json& given) {
  Json* arr = container->Find(def.name);
  if (!arr || !arr->is_array()) return;
  Json kept = Json::MakeArray();
  for (const auto& e : arr->as_array()) {
    bool drop = false;
    for (const auto& g : given.as_array()) drop = drop || SameValue(e, g);
    if (!drop) kept.as_array().push_back(e);
  }
  if (kept.as_array().empty())
    container->Erase(def.name);
  else
    *arr = std::move(kept);
}

Result<void> SetSub(const Target& t, const Json& value, bool replace_only) {
  auto v = NormalizeAttribute(*t.sub, value);
  if (!v.ok()) return v.error();
  Json* attr = t.container->Find(t.def->name);
  if (t.def->multi_valued) {
    if (!attr || !attr->is_array() || attr->as_array().empty()) {
      if (replace_only && v.value().is_null()) return {};
      attr = &t.container->Set(t.def->name, Json(Json::Array{Json::MakeObject()}));
    }
    for (auto& e : attr->as_array()) {
      if (e.is_object()) e.Set(t.sub->name, v.value());
    }
    return {};
  }
  if (!attr || !attr->is_object()) attr = &t.container->Set(t.def->name, Json::MakeObject());
  attr->Set(t.sub->name, std::move(v).value());
  return {};
}

// add/replace/remove on a path without a value filter.
Result<void> ApplyPlain(PatchOpKind op, const Target& t, const Json& value) {
  if (op == PatchOpKind::kRemove) {
    if (t.sub) {
      Json* attr = t.container->Find(t.def->name);
      if (attr && attr->is_array()) {
        for (auto& e : attr->as_array()) e.Erase(t.sub->name);
      } else if (attr) {
        attr->Erase(t.sub->name);
      }
    } else if (t.def->multi_valued && !value.is_null()) {
      auto given = NormalizeAttribute(*t.def, value);
      if (!given.ok()) return given.error();
      if (!given.value().is_null()) RemoveValues(t.container, *t.def, given.value());
    } else {
      t.container->Erase(t.def->name);
    }
    return {};
  }
  if (t.sub) return SetSub(t, value, false);
  auto v = NormalizeAttribute(*t.def, value);
  if (!v.ok()) return v.error();
  if (v.value().is_null()) {
    if (op == PatchOpKind::kReplace) t.container->Erase(t.def->name);
    return {};
  }
  Json* existing = t.container->Find(t.def->name);
  if (t.def->multi_valued && op == PatchOpKind::kAdd) {
    AddValues(t.container, *t.def, v.value());
  } else if (t.def->type == AttrType::kComplex && !t.def->multi_valued && existing) {
    MergeInto(existing, v.value());  // RFC 7644 §3.5.2.3: unspecified sub-attributes stay
  } else {
    t.container->Set(t.def->name, std::move(v).value());
  }
  return {};
}

// The element an add/replace on a filter path creates when nothing matches:
// emails[type eq "work"].value -> {"type": "work", "value": …}.
void CollectEqualities(const Filter& f, Json* element) {
  if (f.kind == Filter::Kind::kAnd) {
    CollectEqualities(*f.left, element);
    CollectEqualities(*f.right, element);
  } else if (f.kind == Filter::Kind::kCompare && f.op == CompareOp::kEq && !f.value.is_null()) {
    element->Set(f.path.attr.empty() ? f.path.sub : f.path.attr, f.value);
  }
}

Result<void> ApplyFiltered(PatchOpKind op, const Target& t, const PatchPath& path,
                           const Json& value) {
  if (!t.def->multi_valued || t.def->type != AttrType::kComplex) {
    return InvalidPath("'" + std::string(t.def->name) +
                       "' is not a multi-valued complex attribute");
  }
  const AttributeDef* sub = path.sub.empty() ? nullptr : t.def->Sub(path.sub);
  if (!path.sub.empty() && !sub) return InvalidPath("no sub-attribute '" + path.sub + "'");
  Json* arr = t.container->Find(t.def->name);
  TraitsFn traits = ElementTraits(*t.def);
  Json kept = Json::MakeArray();
  bool matched = false;
  for (auto& e : arr && arr->is_array() ? arr->as_array() : Json::Array{}) {
    bool hit = Matches(e, *path.value_filter, traits);
    matched = matched || hit;
    if (!hit) {
      kept.as_array().push_back(e);
    } else if (op == PatchOpKind::kRemove) {
      if (sub) kept.as_array().push_back(e), kept.as_array().back().Erase(sub->name);
    } else if (sub) {
      Json v = value;
      kept.as_array().push_back(e);
      kept.as_array().back().Set(sub->name, std::move(v));
    } else {
      kept.as_array().push_back(e);
      MergeInto(&kept.as_array().back(), value);
    }
  }
  if (!matched && op != PatchOpKind::kRemove) {
    Json created = Json::MakeObject();
    CollectEqualities(*path.value_filter, &created);
    if (sub)
      created.Set(sub->name, value);
    else
      MergeInto(&created, value);
    kept.as_array().push_back(std::move(created));
  }
  if (kept.as_array().empty())
    t.container->Erase(t.def->name);
  else
    t.container->Set(t.def->name, std::move(kept));
  return {};
}

Result<void> ApplyPathless(const ResourceTypeDef& type, Json* doc, PatchOpKind op,
                           const Json& value);

Result<void> ApplyPath(const ResourceTypeDef& type, Json* doc, PatchOpKind op,
                       const PatchPath& path, const Json& value) {
  // A path naming a whole extension ("urn:…:enterprise:2.0:User") parses as
  // urn "urn:…:2.0" + attr "User".
  if (const SchemaDef* ext = type.Extension(path.attr.urn + ":" + path.attr.attr);
      ext && !path.attr.urn.empty() && path.attr.sub.empty() && !path.value_filter) {
    if (op == PatchOpKind::kRemove) {
      doc->Erase(ext->id);
      return {};
    }
    Json wrapped = Json::MakeObject();
    wrapped.Set(ext->id, value);
    return ApplyPathless(type, doc, op, wrapped);
  }
  auto t = Locate(type, doc, path.attr, op != PatchOpKind::kRemove);
  if (!t.ok()) return t.error();
  if (!t.value().container) return {};
  if (path.value_filter) return ApplyFiltered(op, t.value(), path, value);
  return ApplyPlain(op, t.value(), value);
}

// A pathless add/replace: each key of the value is a path of its own
// ("name.givenName", "urn:…:User:employeeNumber", an extension object).
Result<void> ApplyPathless(const ResourceTypeDef& type, Json* doc, PatchOpKind op,
                           const Json& value) {
  if (!value.is_object()) return InvalidValue("a PATCH without path needs an object value");
  for (const auto& [key, v] : value.as_object()) {
    if (EqualsCi(key, "schemas") || EqualsCi(key, "id") || EqualsCi(key, "meta") ||
        EqualsCi(key, "groups")) {
      continue;  // Okta's group rename carries the resource's own id
    }
    if (const SchemaDef* ext = type.Extension(key)) {
      if (!v.is_object()) return InvalidValue("'" + key + "' must be an object");
      for (const auto& [ek, ev] : v.as_object()) {
        PatchPath p;
        p.attr = AttrPath{std::string(ext->id), ek, ""};
        if (auto r = ApplyPath(type, doc, op, p, ev); !r.ok()) return r;
      }
      continue;
    }
    auto p = ParsePatchPath(key);
    if (!p.ok()) continue;  // a key that is no attribute path is unknown: ignored
    if (auto r = ApplyPath(type, doc, op, p.value(), v); !r.ok()) return r;
  }
  return {};
}

std::optional<PatchOpKind> OpKind(const std::string& op) {
  if (EqualsCi(op, "add")) return PatchOpKind::kAdd;
  if (EqualsCi(op, "remove")) return PatchOpKind::kRemove;
  if (EqualsCi(op, "replace")) return PatchOpKind::kReplace;
  return std::nullopt;
}

Result<PatchOperation> DecodeOperation(const Json& o) {
  if (!o.is_object()) return InvalidSyntax("each operation must be an object");
  const Json* op = o.FindCi("op");
  std::optional<PatchOpKind> kind = op && op->is_string() ? OpKind(op->as_string()) : std::nullopt;
  if (!kind) return InvalidValue("'op' must be add, remove or replace");
  PatchOperation out;
  out.op = *kind;
  if (const Json* v = o.FindCi("value")) out.value = *v;
  if (const Json* p = o.FindCi("path"); p && p->is_string() && !p->as_string().empty()) {
    auto path = ParsePatchPath(p->as_string());
    if (!path.ok()) return path.error();
    out.path = std::move(path).value();
    out.raw_path = p->as_string();
  }
  if (out.op == PatchOpKind::kRemove && !out.path) {
    return NoTarget("'remove' needs a path");
  }
  if (out.op != PatchOpKind::kRemove && !o.FindCi("value")) {
    return InvalidValue("'" + op->as_string() + "' needs a value");
  }
  return out;
}

}  // namespace

Result<std::vector<PatchOperation>> ParsePatchRequest(const Json& body) {
  if (!body.is_object()) return InvalidSyntax("the request body must be a JSON object");
  const Json* schemas = body.FindCi("schemas");
  bool is_patch = false;
  if (schemas && schemas->is_array()) {
    for (const auto& s : schemas->as_array()) {
      is_patch = is_patch || (s.is_string() && EqualsCi(s.as_string(), kPatchOpSchema));
    }
  }
  if (!is_patch) return InvalidSyntax("'schemas' must list " + std::string(kPatchOpSchema));
  const Json* ops = body.FindCi("Operations");
  if (!ops || !ops->is_array() || ops->as_array().empty()) {
    return InvalidSyntax("'Operations' must be a non-empty array");
  }
  std::vector<PatchOperation> out;
  for (const auto& o : ops->as_array()) {
    auto op = DecodeOperation(o);
    if (!op.ok()) return op.error();
    out.push_back(std::move(op).value());
  }
  return out;
}

Result<Json> ApplyPatch(const ResourceTypeDef& type, const Json& attributes,
                        const std::vector<PatchOperation>& ops) {
  Json doc = attributes;
  for (const auto& op : ops) {
    Result<void> r = op.path ? ApplyPath(type, &doc, op.op, *op.path, op.value)
                             : ApplyPathless(type, &doc, op.op, op.value);
    if (!r.ok()) return r.error();
  }
  return NormalizeResource(type, doc, /*require_schemas=*/false);
}

}  // namespace scim
