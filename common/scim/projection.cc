// attributes / excludedAttributes (RFC 7644 §3.4.2.5, §3.9): which parts
// of a rendered resource are returned.
#include "common/scim/resource.h"

namespace scim {
namespace {

Result<std::vector<AttrPath>> ParseList(std::string_view text, const char* what) {
  std::vector<AttrPath> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) continue;
    auto path = ParsePatchPath(item);
    if (!path.ok() || path.value().value_filter) {
      return InvalidValue(std::string("bad attribute name in ") + what + ": " + std::string(item));
    }
    out.push_back(path.value().attr);
  }
  return out;
}

// A projection path as (top-level key, member inside it): "name.givenName"
// is {name, givenName}; "urn:…:enterprise:2.0:User:department" is
// {urn:…:User, department}; the bare extension URN is {urn:…:User, ""}.
struct Target {
  std::string top;
  std::string inner;  // "" selects the whole top-level value
};

Target TargetOf(const ResourceTypeDef& type, const AttrPath& p) {
  if (!p.urn.empty()) {
    if (const SchemaDef* ext = type.Extension(p.urn + ":" + p.attr))
      return {std::string(ext->id), ""};
    if (const SchemaDef* ext = type.Extension(p.urn)) return {std::string(ext->id), p.attr};
  }
  return {p.attr, p.sub};
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

// The members of `element` named in inners.
Json Pick(const Json& element, const std::vector<std::string>& inners) {
  Json o = Json::MakeObject();
  for (const auto& [k, v] : element.as_object()) {
    for (const auto& name : inners) {
      if (EqualsCi(k, name)) o.Set(k, v);
    }
  }
  return o;
}

// Copies into out the parts of member key that the paths ask for.
void Include(const ResourceTypeDef& type, const std::vector<AttrPath>& paths, std::string_view key,
             const Json& from, Json* out) {
  bool whole = false;
  std::vector<std::string> inners;
  for (const auto& p : paths) {
    Target t = TargetOf(type, p);
    if (!EqualsCi(t.top, key)) continue;
    if (t.inner.empty())
      whole = true;
    else
      inners.push_back(t.inner);
  }
  if (whole) {
    out->Set(key, from);
  } else if (!inners.empty() && from.is_object()) {
    out->Set(key, Pick(from, inners));
  } else if (!inners.empty() && from.is_array()) {
    Json arr = Json::MakeArray();
    for (const auto& e : from.as_array()) {
      if (e.is_object()) arr.as_array().push_back(Pick(e, inners));
    }
    out->Set(key, std::move(arr));
  }
}

// Removes from value what the paths exclude; sets *drop for all of it.
void Exclude(const ResourceTypeDef& type, const std::vector<AttrPath>& paths, std::string_view key,
             Json* value, bool* drop) {
  for (const auto& p : paths) {
    Target t = TargetOf(type, p);
    if (!EqualsCi(t.top, key)) continue;
    if (t.inner.empty()) {
      *drop = true;
      return;
    }
    if (value->is_array()) {
      for (auto& e : value->as_array()) RemoveCi(&e, t.inner);
    } else {
      RemoveCi(value, t.inner);
    }
  }
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
  for (const auto& p : excluded) {
    Target t = TargetOf(type, p);
    if (EqualsCi(t.top, attr) && t.inner.empty()) return false;
  }
  if (attributes.empty()) return true;
  for (const auto& p : attributes) {
    if (EqualsCi(TargetOf(type, p).top, attr)) return true;
  }
  return false;
}

Json Project(const ResourceTypeDef& type, const Json& rendered, const Projection& projection) {
  if (projection.empty()) return rendered;
  Json out = Json::MakeObject();
  for (const auto& [key, value] : rendered.as_object()) {
    bool always = EqualsCi(key, "schemas") || EqualsCi(key, "id");
    if (always) {
      out.Set(key, value);
      continue;
    }
    if (!projection.attributes.empty()) {
      Include(type, projection.attributes, key, value, &out);
      continue;
    }
    Json copy = value;
    bool drop = false;
    Exclude(type, projection.excluded, key, &copy, &drop);
    if (!drop) out.Set(key, std::move(copy));
  }
  return out;
}

}  // namespace scim
