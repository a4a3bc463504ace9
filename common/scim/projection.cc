// attributes / excludedAttributes (RFC 7644 §3.4.2.5, §3.9): which parts
// of a rendered resource are returned. Paths are parsed by ParsePatchPath
// and value filters evaluated by Matches, as everywhere else.
#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/scim/filter_eval.h"
#include "common/scim/resource.h"
#include "common/scim/schema.h"
#include "common/scim/text.h"

namespace scim {
namespace {

// Splits at the commas outside [] and outside quoted strings.
std::vector<std::string_view> SplitItems(std::string_view text) {
  std::vector<std::string_view> items;
  size_t start = 0;
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '\\') ++i;  // the escaped character cannot end the string
      if (c == '"') quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '[' || c == ']') {
      depth += c == '[' ? 1 : -1;
    } else if (c == ',' && depth == 0) {
      items.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  items.push_back(text.substr(start));
  return items;
}

bool IsCoreUrn(std::string_view urn) {
  return urn.empty() || EqualsCi(urn, kUserSchema) || EqualsCi(urn, kGroupSchema);
}

Result<PatchPath> ParseItem(std::string_view item, const char* what) {
  auto path = ParsePatchPath(item);
  std::string where = std::string(what) + ": " + std::string(item);
  bool filtered = item.find('[') != std::string_view::npos;
  if (!path.ok() && filtered) {
    return InvalidFilter("bad value filter in " + where + " (" + path.error().detail + ")");
  }
  if (!path.ok()) return InvalidValue("bad attribute name in " + where);
  if (path.value().value_filter && !IsCoreUrn(path.value().attr.urn)) {
    return InvalidFilter("a value filter selects values of a core attribute, not in " + where);
  }
  return path;
}

Result<std::vector<PatchPath>> ParseList(std::string_view text, const char* what) {
  std::vector<PatchPath> out;
  for (std::string_view item : SplitItems(text)) {
    item = Trim(item);
    if (item.empty()) continue;
    auto path = ParseItem(item, what);
    if (!path.ok()) return path.error();
    out.push_back(std::move(path).value());
  }
  return out;
}

// A projection path as (top-level key, member inside it, values it
// selects): "name.givenName" is {name, givenName}; "urn:…:enterprise:2.0:
// User:department" is {urn:…:User, department}; the bare extension URN is
// {urn:…:User, ""}; emails[type eq "work"].value is {emails, value, the
// filter}.
struct Target {
  std::string top;
  std::string inner;               // "" selects the whole value
  const Filter* filter = nullptr;  // null: every value of top
};

Target TargetOf(const ResourceTypeDef& type, const PatchPath& p) {
  const AttrPath& a = p.attr;
  if (!a.urn.empty()) {
    if (const SchemaDef* ext = type.Extension(a.urn + ":" + a.attr))
      return {std::string(ext->id), "", nullptr};
    if (const SchemaDef* ext = type.Extension(a.urn))
      return {std::string(ext->id), a.attr, nullptr};
  }
  return {a.attr, a.sub.empty() ? p.sub : a.sub, p.value_filter.get()};
}

std::vector<Target> TargetsAt(const ResourceTypeDef& type, const std::vector<PatchPath>& paths,
                              std::string_view key) {
  std::vector<Target> out;
  for (const auto& p : paths) {
    Target t = TargetOf(type, p);
    if (EqualsCi(t.top, key)) out.push_back(std::move(t));
  }
  return out;
}

// Whether t names the whole top-level attribute.
bool IsWhole(const Target& t) { return t.inner.empty() && !t.filter; }

// Whether t applies to the value e of its top-level attribute.
bool Selects(const Target& t, const Json& e, const TraitsFn& traits) {
  return !t.filter || (e.is_object() && Matches(e, *t.filter, traits));
}

void RemoveCi(Json* o, std::string_view name) {
  if (!o->is_object()) return;
  auto& members = o->as_object();
  for (size_t i = 0; i < members.size();) {
    if (EqualsCi(members[i].first, name)) {
      members.erase(members.begin() + static_cast<long>(i));
    } else {
      ++i;
    }
  }
}

bool IsEmptyObject(const Json& v) { return v.is_object() && v.as_object().empty(); }

// The part of one value that the targets ask for; null for none.
Json Selected(const std::vector<Target>& targets, const Json& e, const TraitsFn& traits) {
  std::vector<const Target*> hits;
  for (const auto& t : targets) {
    if (!Selects(t, e, traits)) continue;
    if (t.inner.empty()) return e;
    hits.push_back(&t);
  }
  if (hits.empty() || !e.is_object()) return Json();
  Json picked = Json::MakeObject();
  for (const auto& [k, v] : e.as_object()) {
    for (const Target* t : hits) {
      if (EqualsCi(k, t->inner)) {
        picked.Set(k, v);
        break;
      }
    }
  }
  return IsEmptyObject(picked) ? Json() : picked;
}

// One value without what the targets exclude; null when nothing is left.
Json Remaining(const std::vector<Target>& targets, const Json& e, const TraitsFn& traits) {
  Json out = e;
  for (const auto& t : targets) {
    if (!Selects(t, e, traits)) continue;
    if (t.inner.empty()) return Json();
    RemoveCi(&out, t.inner);
  }
  return IsEmptyObject(out) && !IsEmptyObject(e) ? Json() : out;
}

// Applies keep (Selected or Remaining) to value, or to each of its values;
// null when nothing is left.
Json EachValue(const Json& value, const std::function<Json(const Json&)>& keep) {
  if (!value.is_array()) return keep(value);
  Json arr = Json::MakeArray();
  for (const auto& e : value.as_array()) {
    Json kept = keep(e);
    if (!kept.is_null()) arr.as_array().push_back(std::move(kept));
  }
  return arr.as_array().empty() && !value.as_array().empty() ? Json() : arr;
}

// The traits for value filters on the top-level attribute key.
TraitsFn ElementTraitsOf(const ResourceTypeDef& type, std::string_view key) {
  const AttributeDef* def = Resolve(type, AttrPath{"", std::string(key), ""}).attr;
  return def ? ElementTraits(*def) : TraitsFn();
}

}  // namespace

Result<Projection> ParseProjection(std::string_view attributes, std::string_view excluded) {
  Projection p;
  auto a = ParseList(attributes, "attributes");
  if (!a.ok()) return a.error();
  auto e = ParseList(excluded, "excludedAttributes");
  if (!e.ok()) return e.error();
  p.attributes = std::move(a).value();
  p.excluded = std::move(e).value();
  return p;
}

bool Projection::Includes(const ResourceTypeDef& type, std::string_view attr) const {
  for (const auto& t : TargetsAt(type, excluded, attr)) {
    if (IsWhole(t)) return false;
  }
  return attributes.empty() || !TargetsAt(type, attributes, attr).empty();
}

Json Project(const ResourceTypeDef& type, const Json& rendered, const Projection& projection) {
  if (projection.empty()) return rendered;
  bool including = !projection.attributes.empty();
  const auto& paths = including ? projection.attributes : projection.excluded;
  Json out = Json::MakeObject();
  for (const auto& [key, value] : rendered.as_object()) {
    std::vector<Target> targets = TargetsAt(type, paths, key);
    bool always = EqualsCi(key, "schemas") || EqualsCi(key, "id");
    if (always || (targets.empty() && !including)) {
      out.Set(key, value);
      continue;
    }
    if (targets.empty()) continue;
    if (std::any_of(targets.begin(), targets.end(), IsWhole)) {
      if (including) out.Set(key, value);
      continue;
    }
    TraitsFn traits = ElementTraitsOf(type, key);
    Json kept = EachValue(value, [&](const Json& e) {
      return including ? Selected(targets, e, traits) : Remaining(targets, e, traits);
    });
    if (!kept.is_null()) out.Set(key, std::move(kept));
  }
  return out;
}

}  // namespace scim
